"""What the workbench (工作台) shows each role; later capabilities add their own to-dos here."""

from django.db.models import Count, Q

from accounts import permissions
from organisations.models import Office, Unit, UnitType


def coordinator_units(*, user):
    return Unit.objects.filter(pk__in=permissions.unit_ids(user)).select_related("district").order_by("name")


def coordinator_todos(*, user, units) -> list[dict]:
    """The coordinator's to-dos that follow from data (a later capability adds its own)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    todos = []
    for unit in units:
        missing = [label for label, value in (
            (_("contact person"), unit.contact_person), (_("phone"), unit.phone), (_("e-mail"), unit.email)
        ) if not value]
        if missing:
            todos.append({
                "text": _("Complete the contact details of %(unit)s: %(missing)s") % {
                    "unit": unit.name, "missing": "、".join(missing)},
                "url": reverse("organisations:edit", args=[unit.pk]),
            })
    return todos


def office_overview(*, user, campaign) -> list[dict]:
    """For each of the user's offices: the unit types routed to it and the active units of each."""
    offices = list(Office.objects.filter(pk__in=permissions.office_ids(user)))
    if not offices:
        return []
    rules = list(campaign.routing_rules.all()) if campaign else []
    counts = dict(
        Unit.objects.filter(is_active=True).values_list("unit_type").annotate(n=Count("id")).order_by()
    )
    labels = dict(UnitType.choices)
    overview = []
    for office in offices:
        types = [r.unit_type for r in rules if r.office_id == office.pk]
        rows = [{"unit_type": t, "label": labels[t], "count": counts.get(t, 0)} for t in types]
        overview.append({"office": office, "rows": rows, "total": sum(r["count"] for r in rows)})
    return overview


def organiser_totals() -> dict:
    return Unit.objects.aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True)),
        inactive=Count("id", filter=Q(is_active=False)),
    )
