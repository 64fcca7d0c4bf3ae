"""Remove transfers left incomplete (or failed) longer than SCIDAY_TRANSFER_STALE_HOURS (default 7 days)."""

from django.core.management.base import BaseCommand

from transfer.services import upload_prune_stale


class Command(BaseCommand):
    help = "Remove stale incomplete transfers and their parts (run daily, like prune_pending_uploads)."

    def handle(self, *args, **options):
        self.stdout.write(f"{upload_prune_stale()} stale transfer(s) removed")
