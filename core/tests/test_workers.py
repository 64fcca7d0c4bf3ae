"""Several task workers share one queue and never run a task twice.

django-tasks-db's ``db_worker`` claims a task inside a transaction: on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED`` (a row lock: another worker skips the row and takes the next), on
SQLite with an EXCLUSIVE transaction (the whole database is locked while one worker claims, so the
claims are serialised). Either way the claimed row is marked RUNNING with the worker's id before the
lock is released, so no other worker can take it. This test starts two real worker processes on 1,000
queued tasks."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry

from .worker_tasks import record_run

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
TASKS = 1000


def _worker_env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sciday.settings_test"}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = (f"postgres://{db['USER'] or ''}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
                               f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    return env


def test_two_workers_run_each_of_1000_tasks_exactly_once():
    for n in range(TASKS):
        record_run.using(backend="db").enqueue(n)
    assert DBTaskResult.objects.filter(status="READY").count() == TASKS
    command = [sys.executable, "manage.py", "db_worker", "--backend", "db", "--batch", "--interval", "0.1",
               "--no-reload", "--verbosity", "0"]
    workers = [subprocess.Popen([*command, "--worker-id", f"w{i}"], cwd=ROOT, env=_worker_env(),  # noqa: S603
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(2)]
    for worker in workers:
        _out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err.decode()[-3000:]
    runs = Counter(entry["n"] for entry in AuditEntry.objects.filter(action="test.worker.ran").values_list(
        "changes", flat=True))
    assert len(runs) == TASKS and set(runs.values()) == {1}  # every task once, none twice
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == TASKS
    # Both workers took tasks (the queue really was shared).
    assert len({ids[0] for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)}) == 2
