"""Fill the calendar from the chinesecalendar package, and keep the days an administrator had added to the
former awards calendar (awards.Holiday, removed by awards 0003) that the package does not list."""

from django.db import migrations


def load(apps, schema_editor):
    from calendars.services import official_load

    Holiday = apps.get_model("calendars", "Holiday")
    official_load(holiday_model=Holiday, year_model=apps.get_model("calendars", "CalendarYear"))
    known = set(Holiday.objects.values_list("date", flat=True))
    Former = apps.get_model("awards", "Holiday")
    Holiday.objects.bulk_create([Holiday(date=row.date, kind=row.kind, name=row.name, source="organiser")
                                 for row in Former.objects.all() if row.date not in known])


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial"), ("awards", "0002_official_holidays")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
