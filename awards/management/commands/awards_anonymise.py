"""Erase nominees' personal data once the retention period after the release has passed.

A winner whose signed consent covers publication keeps the published profile (name, workplace,
title, field, story, photos, video); everything else personal (ID number, mobile, birth date,
ethnicity, political status, the consent form) goes, and non-winners are anonymised entirely.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q

from awards.models import Nomination, Selection
from awards.services import nomination_anonymise
from core import clock


class Command(BaseCommand):
    help = "Anonymise nominees of selections released (or started) more than --days days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="Retention period in days (default 365).")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, dry_run=False, **options):
        cutoff = clock.now() - timedelta(days=days)
        due = Nomination.objects.filter(anonymised_at__isnull=True).filter(
            Q(selection__stage=Selection.Stage.RELEASED, selection__released_at__lt=cutoff)
            | Q(selection__stage=Selection.Stage.OPEN, selection__nomination_end__lt=cutoff.date())
            & ~Q(status__in=[Nomination.Status.ELIGIBLE, Nomination.Status.FINALIST])
        )
        count = 0
        for nomination in due.select_related("selection"):
            if not dry_run:
                nomination_anonymise(nomination=nomination)
            count += 1
        self.stdout.write(f"{'Would anonymise' if dry_run else 'Anonymised'} {count} nominations.")
