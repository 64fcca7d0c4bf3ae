"""Activity to-dos on the workbench: returned activities for units, the review queue for organisers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

from .models import Activity, State


def todos(user) -> list[dict]:
    items = []
    if permissions.is_coordinator(user):
        returned = (Activity.objects.filter(unit_id__in=permissions.unit_ids(user), state=State.RETURNED)
                    .only("pk", "title", "return_reason").order_by("reviewed_at", "pk")[:10])
        items += [{"text": _("Returned for changes: %(title)s — %(reason)s")
                   % {"title": a.title, "reason": a.return_reason}, "url": a.get_absolute_url()} for a in returned]
    if permissions.is_organiser(user):
        waiting = Activity.objects.filter(state=State.SUBMITTED).count()
        if waiting:
            items.append({"text": _("%(count)d activities are waiting for review.") % {"count": waiting},
                          "url": reverse("activities:review")})
    return items
