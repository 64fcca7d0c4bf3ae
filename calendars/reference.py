"""Reference data every database needs: the official holiday calendar."""

from .models import CalendarYear


def ensure_reference_data() -> None:
    """Load the official calendar when no year is covered (a flushed test database, a fresh install)."""
    if not CalendarYear.objects.exists():
        from .services import official_load

        official_load()
