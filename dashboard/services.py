"""The dashboard's one write: reminding units that have registered no approved activity."""

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from campaigns.models import Campaign
from notifications.services import notify
from organisations.models import Unit

MAX_UNITS = 500


def units_remind(*, actor, campaign: Campaign, units: list[Unit]) -> int:
    """Tell the coordinators of each of ``units`` that the campaign still has no approved activity of
    theirs (one bell notification and e-mail each), audited per unit. Returns how many units had a
    coordinator to tell."""
    require(actor, "dashboard.view")
    units = list(units)[:MAX_UNITS]
    if not units:
        return 0
    coordinators = defaultdict(list)
    memberships = User.objects.filter(unit_memberships__unit__in=units, is_active=True).values_list(
        "unit_memberships__unit_id", "pk")
    for unit_id, user_id in memberships:
        coordinators[unit_id].append(user_id)
    users = {u.pk: u for u in User.objects.filter(pk__in={pk for ids in coordinators.values() for pk in ids})}
    reminded = 0
    title = _("Reminder: register your activities for %(campaign)s") % {"campaign": campaign.title}
    body = _("Your unit has no approved activity in %(campaign)s yet. Please register your activities "
             "and submit them for review.") % {"campaign": campaign.title}
    with transaction.atomic():
        for unit in units:
            recipients = [users[pk] for pk in coordinators.get(unit.pk, []) if pk in users]
            if recipients:
                notify(recipients=recipients, title=title, body=body, url=reverse("activities:manage_list"),
                       kind="dashboard.remind")
                reminded += 1
            audit_record(action="dashboard.unit.remind", actor=actor, obj=unit,
                         changes={"campaign": campaign.slug, "recipients": len(recipients)})
    return reminded
