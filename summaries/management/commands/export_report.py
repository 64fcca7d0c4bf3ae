"""``manage.py export_report <campaign> --office <code|city> --out FILE.docx``: the consolidated report (and,
with ``--workbook FILE.xlsx``, the workbook beside it) from the command line, for scheduled runs. The same
code as the page's export (summaries.cityreport)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from campaigns.models import Campaign
from organisations.models import Office
from summaries import cityreport


class Command(BaseCommand):
    help = "Write the consolidated report of a campaign (.docx) for the city or one office."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="the campaign's slug, as in its address /c/<slug>/")
        parser.add_argument("--office", default="city", help="an office's code, or 'city' for the whole city")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--workbook", help="also write the workbook (.xlsx) whose sheets the report names")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"No campaign {options['campaign']!r}.")
        office = None
        if options["office"] != "city":
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"No office {options['office']!r}; use an office code or 'city'.")
        with translation.override("zh-hans"):
            data = cityreport.report_data(campaign=campaign, office=office)
            Path(options["out"]).write_bytes(cityreport.report_docx(campaign=campaign, office=office, data=data))
            if options["workbook"]:
                Path(options["workbook"]).write_bytes(cityreport.report_xlsx(campaign=campaign, office=office,
                                                                             data=data))
        self.stdout.write(f"{options['out']}: {len(data.sheets)} tables, {data.figures['activities']} activities")
