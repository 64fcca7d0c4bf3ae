from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from campaigns.seeding import campaign_load_seed

# Each capability adds its demo loader here; each takes ``stdout`` and returns its logins (if any).
DEMO_LOADERS = [
    "core.demo.load_units_and_accounts",
]


class Command(BaseCommand):
    help = "Load the demo data set (demo accounts with the password sciday-demo). Refuses with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo creates accounts with a known password and runs only with DEBUG on.")
        campaign_load_seed(slug="qingdao-2022")
        logins = []
        for path in DEMO_LOADERS:
            logins += import_string(path)(stdout=self.stdout) or []
        if not options["quiet_logins"]:
            self.stdout.write("\nDemo logins (password: sciday-demo)")
            for username, role in logins:
                self.stdout.write(f"  {username:<22} {role}")
