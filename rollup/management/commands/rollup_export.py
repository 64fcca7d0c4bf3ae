from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from rollup.package import package_write


class Command(BaseCommand):
    help = "Write the campaign's upward package (docs/upward-package.md) to a .zip file, streamed to disk."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug")
        parser.add_argument("--out", required=True, help="the .zip to write")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"No campaign {options['campaign']!r}.")
        manifest = package_write(campaign=campaign, target=options["out"])
        self.stdout.write(f"{manifest['package_id']}: {len(manifest['activities'])} activities, "
                          f"{len(manifest['summaries'])} summaries, {len(manifest['role_models'])} role models "
                          f"-> {options['out']}")
