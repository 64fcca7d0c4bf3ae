from django.core.management.base import BaseCommand

from surveys.tallies import tallies_fold_all


class Command(BaseCommand):
    help = ("Count the survey responses submitted since the last run into the tallies (run every minute, "
            "e.g. from cron; the results pages also do it before they read, so this only keeps them quick).")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20_000, help="responses per survey and batch")

    def handle(self, *args, **options):
        total = 0
        while counted := tallies_fold_all(limit=options["limit"]):
            total += counted
        self.stdout.write(f"{total} responses counted into the tallies.")
