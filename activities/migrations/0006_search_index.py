"""The search index of activities' titles, units and addresses (live and published): SQLite FTS5 with the
trigram tokenizer, kept in step by triggers; on PostgreSQL pg_trgm GIN indexes on the very expressions
Django's ``icontains`` compares (``UPPER(col::text)``).

A later migration that remakes ``activities_activity`` on SQLite (Django's way to alter a column there:
copy, drop, rename) drops these triggers with the old table: it must call ``activities.search.install``
again (``activities/tests/test_search.py`` checks the triggers are there after every migration).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from activities import search

    search.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from activities import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [("activities", "0005_photo_highlight")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
