"""Every non-trivial read of units: each list takes the user and returns only what they may see."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts import permissions
from accounts.models import User

from .models import District, Unit


def visible_units(*, user) -> QuerySet[Unit]:
    """Organisers see every unit, coordinators the units they coordinate, everybody else none."""
    units = Unit.objects.select_related("district")
    if permissions.is_organiser(user):
        return units
    return units.filter(pk__in=permissions.unit_ids(user))


def unit_list(
    *,
    user,
    unit_type: str = "",
    district: District | None = None,
    active: bool | None = None,
    search: str = "",
    reported: bool | None = None,
    campaign_slug: str = "",
) -> QuerySet[Unit]:
    """The units list page: ``user``'s units filtered as asked, district joined in (one query a page).

    ``reported``: only the units with (True) or without (False) an approved activity in the campaign
    ``campaign_slug`` (else the current campaign), as the dashboard counts them."""
    units = visible_units(user=user)
    if reported is not None:
        from activities.models import APPROVED_STATES, Activity
        from campaigns.models import Campaign
        from campaigns.selectors import current_campaign

        campaign = (Campaign.objects.filter(slug=campaign_slug).first() if campaign_slug else None) \
            or current_campaign(published_only=False)
        approved = Activity.objects.filter(campaign=campaign, unit=OuterRef("pk"), state__in=APPROVED_STATES)
        units = units.filter(Exists(approved)) if reported else units.exclude(Exists(approved))
    if unit_type:
        units = units.filter(unit_type=unit_type)
    if district is not None:
        units = units.filter(district=district)
    if active is not None:
        units = units.filter(is_active=active)
    search = (search or "").strip()
    if search:
        units = units.filter(
            Q(name__icontains=search) | Q(contact_person__icontains=search) | Q(phone__icontains=search)
            | Q(email__icontains=search)
        )
    return units.order_by(*Unit._meta.ordering, "pk")


def unit_get(*, pk: int) -> Unit | None:
    """A unit by id whoever asks; the view checks the permission (and answers 404 to outsiders)."""
    return Unit.objects.select_related("district").filter(pk=pk).first()


def unit_coordinators(*, unit: Unit) -> QuerySet[User]:
    return User.objects.filter(unit_memberships__unit=unit).order_by("full_name", "username")


def districts() -> QuerySet[District]:
    return District.objects.order_by("order", "id")


def import_lookups() -> dict:
    """What ``importing.validate_rows`` checks rows against, read in three queries."""
    from .importing import unit_type_lookup

    return {
        "unit_types": unit_type_lookup(),
        "districts": dict(District.objects.values_list("name", "id")),
        "existing_names": set(Unit.objects.values_list("name", flat=True)),
    }
