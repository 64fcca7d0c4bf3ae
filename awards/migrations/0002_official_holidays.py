"""Load the official holidays and adjusted working days of 2022 and 2023 into the holiday calendar."""

from django.db import migrations


def load(apps, schema_editor):
    from awards.workdays import load_official_calendar

    load_official_calendar(apps.get_model("awards", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
