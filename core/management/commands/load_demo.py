from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.seeding import campaign_load_seed
from core import clock
from core.registry import app_hooks


class Command(BaseCommand):
    help = "Load the demo data set (demo accounts with the password sciday-demo). Refuses with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo creates accounts with a known password and runs only with DEBUG on.")
        if not clock.is_frozen():
            raise CommandError("load_demo builds the demo around the demo clock, so that no record is dated after "
                               "it: set SCIDAY_CLOCK, e.g. SCIDAY_CLOCK=2022-05-20T10:00+08:00 (make run does).")
        campaign_load_seed(slug="qingdao-2022")
        logins = []
        # Every app's demo.load_demo_data, in INSTALLED_APPS order (core's units and accounts first).
        for loader in app_hooks("demo", "load_demo_data"):
            logins += loader(stdout=self.stdout) or []
        if not options["quiet_logins"]:
            self.stdout.write("\nDemo logins (password: sciday-demo)")
            for username, role in logins:
                self.stdout.write(f"  {username:<22} {role}")
