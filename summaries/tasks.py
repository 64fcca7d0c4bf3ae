"""Background work of summaries: exports, and the daily reminder job.

Schedule: run ``manage.py send_summary_reminders`` once a day, e.g. at 09:00 Asia/Shanghai from
cron (``0 9 * * * cd /srv/sciday && .venv/bin/python manage.py send_summary_reminders``), or
enqueue ``send_summary_reminders_task`` daily from any scheduler. Running it more than once a
day is harmless: each reminder goes to each unit at most once (ReminderSent).
"""

from django_tasks import task


@task()
def export_task(export_id: int) -> str:
    from .exports import export_run

    return export_run(export_id=export_id).status


@task()
def send_summary_reminders_task() -> int:
    from .services import reminders_send

    return reminders_send()
