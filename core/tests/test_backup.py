"""The backup-and-restore drill: the demo with uploads backed up, restored into a fresh database and a
fresh storage; every table's row count and every file's checksum the same; an encrypted ID number of a
nomination still decrypts. Runs on the configured database (SQLite's backup API, or PostgreSQL's
pg_dump/pg_restore)."""

import hashlib
import io
import json

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections

from awards import personal
from awards.models import Nomination
from core import backup
from uploads import services as uploads
from uploads.tests.samples import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEBUG = True
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    settings.DEBUG = False
    from accounts.models import User

    owner = User.objects.filter(is_superuser=False).first()
    uploads.asset_store(uploaded_file=upload("plan.pdf", pdf_bytes(), "application/pdf"), use="plan",
                        owner=owner)
    uploads.asset_store(uploaded_file=upload("photo.jpg", image_bytes(), "image/jpeg"), use="image",
                        owner=owner)
    assert Nomination.objects.exclude(id_number_encrypted="").exists()
    return settings


def _fresh_connection(tmp_path):
    """A connection to a new, empty database beside the test database."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings_dict['NAME']}")
            cursor.execute(f"CREATE DATABASE {settings_dict['NAME']}")
    return type(connections["default"])(settings_dict, alias="restored")


def _drop(restored):
    restored.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {restored.settings_dict['NAME']}")


def _checksums(storage):
    sums = {}
    for name in backup.storage_files(storage):
        with storage.open(name, "rb") as handle:
            sums[name] = hashlib.sha256(handle.read()).hexdigest()
    return sums


def test_the_demo_with_uploads_survives_backup_and_restore(demo, tmp_path):
    files_before = _checksums(default_storage)
    assert len(files_before) >= 2
    counts_before = backup.table_counts(connection)
    nomination = Nomination.objects.exclude(id_number_encrypted="").order_by("pk").first()
    id_number = personal.decrypt(nomination.id_number_encrypted)
    assert len(id_number) == 18

    call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO())
    [made] = list((tmp_path / "backups").iterdir())
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["tables"] == counts_before and len(manifest["files"]) == len(files_before)

    restored = _fresh_connection(tmp_path)
    storage = FileSystemStorage(location=tmp_path / "restored-media")
    try:
        backup.restore(made, connection=restored, storage=storage)
        assert backup.table_counts(restored) == counts_before
        assert sum(counts_before.values()) > 100
        assert _checksums(storage) == files_before
        with restored.cursor() as cursor:
            cursor.execute("SELECT id_number_encrypted FROM awards_nomination WHERE id = %s", [nomination.pk])
            token = cursor.fetchone()[0]
        assert personal.decrypt(token) == id_number
        # Into a database that is not empty any more: refused, nothing touched.
        with pytest.raises(backup.BackupError, match="not empty"):
            backup.restore(made, connection=restored, storage=FileSystemStorage(location=tmp_path / "other"))
    finally:
        _drop(restored)


def test_a_damaged_backup_is_refused(demo, tmp_path):
    out = backup.backup(tmp_path / "backups")
    manifest = json.loads((out / "manifest.json").read_text())
    damaged = out / "files" / manifest["files"][0]["name"]
    damaged.write_bytes(damaged.read_bytes() + b"x")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(out), "--verify-only", stdout=io.StringIO())


def test_old_backups_are_pruned_by_keep(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for stamp in ("20220101T000000Z", "20220102T000000Z", "20220103T000000Z"):
        (tmp_path / f"sciday-{stamp}").mkdir()
        (tmp_path / f"sciday-{stamp}" / "manifest.json").write_text("{}")
    deleted = backup.prune(tmp_path, keep=2)
    assert [p.name for p in deleted] == ["sciday-20220101T000000Z"]
