"""Reference data the awards need in every database: the official holiday calendar."""

from .models import Holiday
from .workdays import load_official_calendar


def ensure_reference_data() -> None:
    """Load the calendar when it is missing (a flushed test database, a fresh install)."""
    if not Holiday.objects.exists():
        load_official_calendar(Holiday)
