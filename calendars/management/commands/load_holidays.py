"""``manage.py load_holidays``: bring the holiday calendar in line with the chinesecalendar package (idempotent).

Run it after every upgrade of the package (each year after the State Council's notice, usually in
November) and from a yearly scheduled task; organisers' own entries are kept.
"""

from django.core.management.base import BaseCommand

from calendars.official import package_version
from calendars.services import official_load


class Command(BaseCommand):
    help = "Load the official holidays and adjusted working days from the chinesecalendar package (idempotent)."

    def handle(self, *args, **options):
        counts = official_load()
        self.stdout.write(
            f"chinesecalendar {package_version()}: years {counts['years']}; {counts['created']} days added, "
            f"{counts['updated']} corrected, {counts['removed']} removed, {counts['years_added']} years newly covered.")
