"""Summaries' to-dos on the workbench: a unit's summary due or returned; an office's inbox waiting."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions
from campaigns.selectors import current_campaign

from .models import Summary, SummaryState


def todos(user) -> list[dict]:
    items: list[dict] = []
    if not (permissions.is_coordinator(user) or permissions.is_organiser(user)):
        return items
    campaign = current_campaign(published_only=False)
    if campaign is None:
        return items
    if permissions.is_coordinator(user):
        states = dict(Summary.objects.filter(campaign=campaign, unit_id__in=permissions.unit_ids(user))
                      .values_list("unit_id", "state"))
        for unit_id in sorted(permissions.unit_ids(user)):
            url = reverse("summaries:edit", args=[campaign.slug, unit_id])
            state = states.get(unit_id)
            if state == SummaryState.RETURNED:
                items.append({"text": _("Your summary was returned for revision"), "url": url})
            elif state in (None, SummaryState.DRAFT):
                items.append({"text": _("Your unit's summary is due on %(day)s")
                              % {"day": f"{campaign.summary_deadline:%Y-%m-%d}"}, "url": url})
    if permissions.is_organiser(user):
        waiting = Summary.objects.filter(campaign=campaign, state=SummaryState.SUBMITTED)
        if not permissions.is_admin(user):
            waiting = waiting.filter(office_id__in=permissions.office_ids(user))
        n = waiting.count()
        if n:
            items.append({"text": _("%(n)d summaries are waiting in your inbox") % {"n": n},
                          "url": reverse("summaries:inbox") + f"?state={SummaryState.SUBMITTED}"})
    return items
