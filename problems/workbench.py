"""The ledger's to-dos on the workbench: what each person should act on now."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

from .models import Status
from .selectors import overdue_q, problems_visible


def todos(user) -> list[dict]:
    """Organisers: new problems to accept and overdue ones; coordinators: what is assigned to their unit."""
    ledger = reverse("problems:ledger")
    items = []
    if permissions.is_organiser(user):
        counts = problems_visible(user=user).order_by().aggregate(
            new=Count("id", filter=Q(status=Status.RAISED)), overdue=Count("id", filter=overdue_q()),
            reopened=Count("id", filter=Q(status=Status.REOPENED)))
        if counts["new"]:
            items.append({"text": _("%(n)d new problems to accept or decline") % {"n": counts["new"]},
                          "url": f"{ledger}?status={Status.RAISED}"})
        if counts["reopened"]:
            items.append({"text": _("%(n)d problems reopened after an objection") % {"n": counts["reopened"]},
                          "url": f"{ledger}?status={Status.REOPENED}"})
    elif permissions.is_coordinator(user):
        counts = problems_visible(user=user).order_by().aggregate(
            to_handle=Count("id", filter=Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED])),
            overdue=Count("id", filter=overdue_q()))
        if counts["to_handle"]:
            items.append({"text": _("%(n)d problems assigned to your unit to handle") % {"n": counts["to_handle"]},
                          "url": ledger})
    else:
        return items
    if counts["overdue"]:
        items.append({"text": _("%(n)d problems are overdue") % {"n": counts["overdue"]},
                      "url": f"{ledger}?overdue=on"})
    return items

