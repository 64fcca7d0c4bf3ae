from django.core.management.base import BaseCommand

from rollup.client import PushFailed, pull
from rollup.models import ProvinceLink


class Command(BaseCommand):
    help = "Fetch the level above's decisions for every campaign linked to it (run it from a timer, e.g. hourly)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="only this campaign's link (slug)")

    def handle(self, *args, **options):
        links = ProvinceLink.objects.select_related("campaign")
        if options["campaign"]:
            links = links.filter(campaign__slug=options["campaign"])
        failed = 0
        for link in links:
            try:
                result = pull(actor=None, link=link)
            except PushFailed as exc:
                failed += 1
                self.stderr.write(f"{link.campaign.slug}: {exc.message}")
            else:
                self.stdout.write(f"{link.campaign.slug}: {result['applied']} applied, {result['skipped']} skipped")
        if failed:
            raise SystemExit(1)
