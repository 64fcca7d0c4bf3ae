"""Links in e-mails come from one setting, SCIDAY_SITE_URL, which `make run` points at the address it serves."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_gives_the_worker_and_the_server_the_address_it_serves():
    dry_run = subprocess.run(["make", "-n", "run", "HOST=127.0.0.1", "PORT=8101"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, env={"PATH": "/usr/bin:/bin"}).stdout
    worker = next(line for line in dry_run.splitlines() if "db_worker" in line)
    server = next(line for line in dry_run.splitlines() if "runserver" in line)
    assert 'SCIDAY_SITE_URL="http://127.0.0.1:8101"' in worker  # the worker sends the e-mails
    assert 'SCIDAY_SITE_URL="http://127.0.0.1:8101"' in server
    chosen = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={"PATH": "/usr/bin:/bin", "SCIDAY_SITE_URL": "https://kjgzzr.example.cn"})
    assert 'SCIDAY_SITE_URL="https://kjgzzr.example.cn"' in chosen.stdout


def test_the_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^\| `SCIDAY_SITE_URL` \|.*e-mails and notifications", readme, re.M)


@pytest.mark.django_db
def test_an_emailed_link_starts_with_the_site_url(django_capture_on_commit_callbacks, settings):
    from django.core import mail

    from accounts.tests.factories import UserFactory
    from notifications import services

    settings.SCIDAY_SITE_URL = "http://127.0.0.1:8101/"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[UserFactory(username="alice")], title="活动已通过", url="/activities/manage/7/",
                        kind="activities.approved")
    assert "http://127.0.0.1:8101/activities/manage/7/" in mail.outbox[0].body
    assert "127.0.0.1:8000" not in mail.outbox[0].body
