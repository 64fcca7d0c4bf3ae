"""Remove the files kept for refused forms that were never saved, a day after they were chosen."""

from django.core.management.base import BaseCommand

from uploads.services import pending_prune


class Command(BaseCommand):
    help = "Remove kept files of refused forms older than a day (run daily, like prune_audit_log)."

    def handle(self, *args, **options):
        self.stdout.write(f"{pending_prune()} kept file(s) removed")
