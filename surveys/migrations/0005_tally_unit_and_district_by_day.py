from django.db import migrations


def recount(apps, schema_editor):
    """The tallies gain counts per unit and day and per district and day: count every response
    afresh (the next read of the results, or manage.py fold_survey_tallies, does it)."""
    apps.get_model("surveys", "Tally").objects.all().delete()
    apps.get_model("surveys", "Response").objects.filter(tally_batch__isnull=False).update(tally_batch=None)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_tally_cross_dimensions")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop, elidable=True)]
