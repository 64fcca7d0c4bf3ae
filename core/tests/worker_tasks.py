"""A task for the worker test (core/tests/test_workers.py): each run leaves one audit entry naming its worker."""

import os

from django_tasks import task


@task()
def record_run(n: int) -> int:
    from audit.models import AuditEntry

    AuditEntry.objects.create(action="test.worker.ran", actor_name=str(os.getpid()), changes={"n": n})
    return n
