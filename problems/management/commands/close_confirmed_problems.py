from django.core.management.base import BaseCommand

from problems.services import auto_close_days, problems_auto_close


class Command(BaseCommand):
    help = ("Close resolved problems whose submitter did not object within SCIDAY_PROBLEM_AUTO_CLOSE_DAYS (15) "
            "days. Idempotent: run it daily, or as often as you like.")

    def handle(self, *args, **options):
        closed = problems_auto_close()
        self.stdout.write(f"Closed {closed} problem(s) resolved {auto_close_days()} or more days ago.")
