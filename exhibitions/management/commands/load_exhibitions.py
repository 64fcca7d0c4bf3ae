from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from exhibitions.services import exhibitions_seed


class Command(BaseCommand):
    help = "Create the two touring exhibitions of the 2022 notice for a campaign (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", default="qingdao-2022", help="The campaign's slug.")

    def handle(self, *args, campaign, **options):
        found = Campaign.objects.filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign {campaign!r}; run load_campaign first.")
        for exhibition in exhibitions_seed(campaign=found):
            self.stdout.write(f"{exhibition.code}: {exhibition.title}")
