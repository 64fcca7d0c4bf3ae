from django.core.management.base import BaseCommand

from summaries.exports import EXPORT_STALE_MINUTES, exports_requeue_stale


class Command(BaseCommand):
    help = ("Queue again every export still 'running' whose worker has been silent for a while (killed, host "
            "lost); run it every 5 minutes (docs/deployment.md).")

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=EXPORT_STALE_MINUTES,
                            help="silent this long counts as lost (default: %(default)s)")

    def handle(self, *args, minutes, **options):
        requeued = exports_requeue_stale(minutes=minutes)
        self.stdout.write(f"Re-queued {len(requeued)} stale exports.")
