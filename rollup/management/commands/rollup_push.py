from django.core.management.base import BaseCommand, CommandError

from rollup.client import PushFailed, push
from rollup.models import ProvinceLink


class Command(BaseCommand):
    help = "Send the campaign's upward package to the level above (what 「上报」 does); --dry-run only checks."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        link = ProvinceLink.objects.select_related("campaign").filter(campaign__slug=options["campaign"]).first()
        if link is None:
            raise CommandError("No link to the level above for this campaign; enter it on the roll-up page.")
        try:
            result = push(actor=None, link=link, dry_run=options["dry_run"])
        except PushFailed as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{result.get('package_id')}: {result.get('counts')} ({result.get('how')}, "
                          f"{result.get('bytes')} bytes)")
