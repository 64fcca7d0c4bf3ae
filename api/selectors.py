"""The API's reads: each list takes the caller and returns only what they may see."""

from django.db.models import QuerySet

from accounts.permissions import is_organiser, unit_ids
from organisations.models import Unit


def units_visible_to(user) -> QuerySet[Unit]:
    """Organisers see every unit; a coordinator sees only the units they coordinate."""
    units = Unit.objects.select_related("district")
    if is_organiser(user):
        return units
    return units.filter(pk__in=unit_ids(user))
