"""Backup and restore: the database (a consistent dump) and every uploaded file, with a manifest.

``manage.py backup <directory>`` writes ``<directory>/sciday-<UTC time>/``:

- ``database.dump`` — PostgreSQL: ``pg_dump --format=custom``, one consistent snapshot (a single
  repeatable-read transaction) taken while the site runs; or ``database.sqlite3`` — SQLite: the
  online backup API (``sqlite3.Connection.backup``), also a consistent copy of a live database;
- ``files/…`` — every file of the default storage (local disk or the S3 bucket), read through the
  storage API, copied AFTER the dump: uploads get new random names and are never overwritten, so every
  file a row of the dump names is there (one deleted in between is listed as missing in the manifest);
- ``manifest.json`` — when, which database engine, the row count of every table, and each file's
  size and SHA-256 (the database file's too).

``manage.py restore <backup>`` checks every checksum first, refuses unless the database has no tables
and the storage no files, then restores both and compares the row counts with the manifest.

NOT in the backup: ``SECRET_KEY``. Encrypted personal data (nominees' ID numbers and mobiles,
submitters' contacts: core.crypto) is keyed from it, so a restore is only useful with the same key (or
the old one in ``SECRET_KEY_FALLBACKS``). Keep the key apart from the backups — see docs/deployment.md
"Backups".
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection as default_connection
from django.utils import timezone

FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in ``storage``, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names.extend(storage_files(storage, f"{folder}/{sub}" if folder else sub))
    return sorted(names)


def table_counts(connection) -> dict[str, int]:
    """The number of rows of every table of the database behind ``connection``."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def backup(target: Path | str, *, connection=None, storage: Storage | None = None) -> Path:
    """Write one backup under ``target``; return its directory."""
    connection = connection or default_connection
    storage = storage or default_storage
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    out = Path(target) / f"sciday-{stamp}"
    out.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    counts = table_counts(connection)
    if connection.vendor == "postgresql":
        dump = out / "database.dump"
        args, env = _pg_env(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args, "--file", str(dump), db["NAME"]],
             env)
    elif connection.vendor == "sqlite":
        dump = out / "database.sqlite3"
        connection.ensure_connection()
        target_db = sqlite3.connect(dump)
        try:
            connection.connection.backup(target_db)
        finally:
            target_db.close()
    else:
        raise BackupError(f"No backup for the {connection.vendor} database.")
    files, missing = [], []
    for name in storage_files(storage):
        destination = out / "files" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as source, open(destination, "wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
        except FileNotFoundError:
            missing.append(name)
            continue
        files.append({"name": name, "size": destination.stat().st_size, "sha256": sha256_of(destination)})
    manifest = {
        "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": connection.vendor,
        "database": {"file": dump.name, "size": dump.stat().st_size, "sha256": sha256_of(dump)},
        "tables": counts, "files": files, "missing_files": missing,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return out


def verify(source: Path | str) -> dict:
    """The manifest of the backup in ``source``, after checking every checksum in it."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("Unknown backup format.")
    dump = source / manifest["database"]["file"]
    if sha256_of(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump.name}: checksum does not match; the backup is damaged.")
    for entry in manifest["files"]:
        if sha256_of(source / "files" / entry["name"]) != entry["sha256"]:
            raise BackupError(f"files/{entry['name']}: checksum does not match; the backup is damaged.")
    return manifest


def restore(source: Path | str, *, connection=None, storage: Storage | None = None) -> dict:
    """Restore the backup in ``source`` into an empty database and storage; return the manifest."""
    connection = connection or default_connection
    storage = storage or default_storage
    source = Path(source)
    manifest = verify(source)
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"This is a {manifest['engine']} backup; the database is {connection.vendor}.")
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError("The database is not empty: restore only into a new, empty database.")
    if storage_files(storage):
        raise BackupError("The file storage is not empty: restore only into an empty storage.")
    db = connection.settings_dict
    dump = source / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, "--dbname", db["NAME"],
              str(dump)], env)
    else:
        connection.ensure_connection()
        backup_db = sqlite3.connect(dump)
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    for entry in manifest["files"]:
        with open(source / "files" / entry["name"], "rb") as handle:
            saved = storage.save(entry["name"], File(handle))
        if saved != entry["name"]:
            raise BackupError(f"files/{entry['name']} was stored as {saved}.")
    counts = table_counts(connection)
    if counts != manifest["tables"]:
        differ = sorted(t for t in set(counts) | set(manifest["tables"]) if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"Row counts differ after the restore: {', '.join(differ)}.")
    return manifest


def prune(target: Path | str, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``target``; return the deleted directories."""
    found = sorted(p for p in Path(target).glob("sciday-*") if (p / "manifest.json").exists())
    doomed = found[:-keep] if keep > 0 else found
    for path in doomed:
        shutil.rmtree(path)
    return doomed


__all__ = ["BackupError", "backup", "prune", "restore", "storage_files", "table_counts", "verify"]
