"""Reference data volunteering needs in every database: the fields of expertise and the programmes."""

from importlib import import_module

from django.apps import apps


def ensure_reference_data() -> None:
    """Seed the starting lists when they are missing (a flushed test database, a fresh install)."""
    Programme = apps.get_model("volunteering", "Programme")
    if not Programme.objects.exists():
        import_module("volunteering.migrations.0002_seed_fields_and_programmes").seed(apps, None)
