from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from campaigns.services import campaign_copy


class Command(BaseCommand):
    help = ("Copy a campaign as a later year's, unpublished: dates moved, key day kept, the Day's count grown; "
            "categories, routing, contacts, exhibitions, questionnaire and award selection copied.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the slug of the campaign to copy, as in its address /c/<slug>/")
        parser.add_argument("--year", type=int, required=True, help="the new campaign's year, e.g. 2027")
        parser.add_argument("--slug", dest="new_slug", default="", help="the new short name (default: the year swapped)")

    def handle(self, *args, slug, year, new_slug, **options):
        source = Campaign.objects.filter(slug=slug).first()
        if source is None:
            raise CommandError(f"No campaign {slug!r}.")
        try:
            copy = campaign_copy(actor=None, operator="manage.py campaign_copy", campaign=source, year=year,
                                 new_slug=new_slug)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Created {copy.slug} (year {copy.year}, key day {copy.key_day:%Y-%m-%d}, edition {copy.edition}), "
            f"not published: {copy.categories.count()} categories, {copy.routing_rules.count()} routing rules, "
            f"{copy.contacts.count()} contacts. Review it under /manage/campaigns/{copy.slug}/ and publish it.")
