"""Education-base to-dos on the workbench: bookings waiting for the base's decision."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

from .selectors import visits_to_decide


def todos(user) -> list[dict]:
    if not (permissions.is_organiser(user) or permissions.is_coordinator(user)):
        return []
    waiting = visits_to_decide(user=user).count()
    if not waiting:
        return []
    return [{"text": _("%(count)d education-base visit bookings are waiting for confirmation.") % {"count": waiting},
             "url": reverse("exhibitions:visits") + "?state=requested"}]
