"""Send today's summary deadline reminders (run daily; see summaries/tasks.py for the schedule)."""

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign
from summaries.services import reminders_send


class Command(BaseCommand):
    help = "Send the summary reminders due today (7, 3, 1 days before the deadline, and the day after)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="campaign slug (default: the current campaign)")

    def handle(self, *args, **options):
        campaign = None
        if options.get("campaign"):
            campaign = Campaign.objects.filter(slug=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"No campaign {options['campaign']!r}")
        sent = reminders_send(campaign=campaign)
        self.stdout.write(f"{sent} reminder(s) sent.")
