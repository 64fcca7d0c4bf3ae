from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = ("Load the province demo (Shandong 2022, 16 city associations with their region codes, the organiser "
            "`province` with the demo password); optionally import a city's package by hand. DEBUG only.")

    def add_arguments(self, parser):
        parser.add_argument("--package", help="a city's upward package (.zip) to import by hand")
        parser.add_argument("--link", metavar="REGION", help="create an upward link for this region and print its token")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_province_demo creates an account with a known password and runs only with DEBUG on.")
        if settings.SCIDAY_LEVEL != "province":
            raise CommandError("Run it with SCIDAY_LEVEL=province.")
        from rollup.demo_province import province_demo_load

        loaded = province_demo_load(password=DEMO_PASSWORD)
        campaign = loaded["campaign"]
        self.stdout.write(f"Province demo: {campaign.slug}, {loaded['units']} city units; login "
                          f"{loaded['organiser']} / {DEMO_PASSWORD}")
        if options["link"]:
            from django.contrib.auth import get_user_model

            from organisations.models import Unit
            from rollup.services import link_create

            unit = Unit.objects.get(region_code=options["link"], unit_type="city_association")
            actor = get_user_model().objects.get(username=loaded["organiser"])
            _link, token = link_create(actor=actor, campaign=campaign, unit=unit)
            self.stdout.write(f"TOKEN {token}")
        if options["package"]:
            from django.contrib.auth import get_user_model

            from rollup.services import PackageRefused, package_import

            actor = get_user_model().objects.get(username=loaded["organiser"])
            with open(options["package"], "rb") as handle:
                try:
                    summary = package_import(fileobj=handle, campaign=campaign, actor=actor)
                except PackageRefused as exc:
                    raise CommandError(f"Package refused: {exc.message}") from None
            self.stdout.write(f"Imported {summary['package_id']}: {summary['counts']}")
