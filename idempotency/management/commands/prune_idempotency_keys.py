from django.core.management.base import BaseCommand

from idempotency.services import idempotency_keys_prune


class Command(BaseCommand):
    help = "Delete idempotency keys older than IDEMPOTENCY_KEY_TTL_HOURS (a day); run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="keep keys this many hours instead")

    def handle(self, *args, hours=None, **options):
        count = idempotency_keys_prune(hours=hours)
        self.stdout.write(f"Deleted {count} idempotency keys.")
