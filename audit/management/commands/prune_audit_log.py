from django.conf import settings
from django.core.management.base import BaseCommand

from audit.selectors import entries_older_than


class Command(BaseCommand):
    help = "Delete audit entries older than SCIDAY_AUDIT_RETENTION_DAYS (never fewer than 180 days)."

    def handle(self, *args, **options):
        days = max(180, settings.SCIDAY_AUDIT_RETENTION_DAYS)
        qs = entries_older_than(days)
        # The queryset refuses delete() so that no view can erase the log; retention is the one
        # sanctioned way out, and it goes straight to SQL.
        deleted = qs._raw_delete(qs.db)
        self.stdout.write(f"Deleted {deleted} audit entries older than {days} days.")
