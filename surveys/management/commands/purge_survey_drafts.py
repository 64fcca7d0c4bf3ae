from django.core.management.base import BaseCommand

from surveys.services import drafts_purge


class Command(BaseCommand):
    help = "Delete the half-finished responses of closed surveys (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{drafts_purge()} unsubmitted drafts of closed surveys deleted.")
