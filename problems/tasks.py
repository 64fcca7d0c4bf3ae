"""Background work of the ledger, run by ``manage.py db_worker`` (django-tasks)."""

from django_tasks import task


@task()
def close_confirmed_problems_task() -> int:
    """Close problems resolved long enough ago without objection; safe to run as often as wanted."""
    from .services import problems_auto_close

    return problems_auto_close()
