from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.seeding import SEEDS, campaign_load_seed
from exhibitions.services import exhibitions_seed


class Command(BaseCommand):
    help = "Load a seeded campaign (default: qingdao-2022) with its exhibitions. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default="qingdao-2022", help=f"one of: {', '.join(SEEDS)}")

    def handle(self, *args, slug, **options):
        if slug not in SEEDS:
            raise CommandError(f"Unknown campaign {slug!r}; known: {', '.join(SEEDS)}")
        outcomes = campaign_load_seed(slug=slug)
        exhibitions = exhibitions_seed(campaign=Campaign.objects.get(slug=slug))
        self.stdout.write(f"Exhibitions: {', '.join(e.code for e in exhibitions) or 'none'}.")
        self.stdout.write(
            f"Campaign {slug}: {outcomes['created']} created, {outcomes['updated']} updated, "
            f"{outcomes['unchanged']} unchanged."
        )
