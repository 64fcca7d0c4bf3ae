"""What /readyz asks: can this app server reach everything a request may need?

Small code rather than django-health-check: sciday's four dependencies are each one call (a query, a
cache round trip, a storage look-up, a count of queued tasks), the answer must be JSON that nginx and
systemd can act on without the package's HTML views, and the queue check reads django-tasks-db's own
table, which the package has no check for.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def cache_round_trip() -> str:
    key = f"sciday:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the value written was not read back")
    cache.delete(key)
    return "ok"


def storage() -> str:
    # A look-up that needs the store (bucket or shared directory) to answer, and writes nothing.
    default_storage.exists("readyz-probe")
    return "ok"


def task_queue() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return "ok"
    from django_tasks_db.models import DBTaskResult

    return f"ok ({queue_depth(DBTaskResult)} queued)"


def queue_depth(model=None) -> int:
    if model is None:
        from django_tasks_db.models import DBTaskResult as model
    from django_tasks.base import TaskResultStatus

    return model.objects.filter(status=TaskResultStatus.READY).count()


CHECKS = {"database": database, "cache": cache_round_trip, "storage": storage, "queue": task_queue}


def run_all() -> tuple[bool, dict]:
    """(all fine?, {name: {"status": "ok …" or the error, "ms": duration}})."""
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            status = check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready", and says why
            status, healthy = f"error: {type(error).__name__}: {error}"[:300], False
        results[name] = {"status": status, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return healthy, results
