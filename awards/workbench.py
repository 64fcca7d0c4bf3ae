"""The selection's to-dos on the workbench."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

from .models import Assignment, Nomination, Selection, UnitQuota
from .selectors import SENT

S = Nomination.Status


def _drafts(units) -> tuple[list[Nomination], list[Nomination]]:
    """The units' drafts, and those of them beyond the quota (the places are taken by sent nominations)."""
    drafts = list(Nomination.objects.filter(unit_id__in=units, status=S.DRAFT).select_related("selection")
                  .order_by("id"))
    if not drafts:
        return [], []
    selections = {d.selection_id for d in drafts}
    sent = {(r["selection_id"], r["unit_id"]): r["n"] for r in Nomination.objects.filter(
        unit_id__in=units, selection_id__in=selections, status__in=SENT).values("selection_id", "unit_id")
        .annotate(n=Count("id")).order_by()}
    quotas = {(q.selection_id, q.unit_id): q.quota for q in UnitQuota.objects.filter(
        unit_id__in=units, selection_id__in=selections)}
    blocked = [d for d in drafts if sent.get((d.selection_id, d.unit_id), 0) >= quotas.get(
        (d.selection_id, d.unit_id), d.selection.default_quota)]
    return drafts, blocked


def todos(user) -> list[dict]:
    """Coordinators: nominations to complete or returned; experts: reviews to score; organisers: checks."""
    items = []
    if permissions.is_organiser(user):
        for selection in Selection.objects.annotate(
                n=Count("nominations", filter=Q(nominations__status=S.SUBMITTED))).filter(n__gt=0):
            items.append({"text": _("%(n)d nominations of “%(title)s” to check for eligibility") % {
                "n": selection.n, "title": selection.title},
                "url": f"{reverse('awards:nominations', args=[selection.pk])}?status={S.SUBMITTED}"})
    if permissions.is_coordinator(user):
        units = permissions.unit_ids(user)
        returned = Nomination.objects.filter(unit_id__in=units, status=S.RETURNED).count()
        if returned:
            items.append({"text": _("%(n)d nominations were returned for completion") % {"n": returned},
                          "url": reverse("awards:home")})
        drafts, blocked = _drafts(units)
        if len(drafts) > len(blocked):
            items.append({"text": _("%(n)d draft nominations to complete and submit") % {
                "n": len(drafts) - len(blocked)}, "url": reverse("awards:home")})
        if blocked:
            items.append({"text": _("%(n)d draft nominations cannot be submitted: your unit's places are taken. "
                                    "Withdraw a submitted nomination to free a place.") % {"n": len(blocked)},
                          "url": blocked[0].get_absolute_url()})
    if permissions.is_expert(user):
        pending = Assignment.objects.filter(expert=user, status=Assignment.Status.ASSIGNED).count()
        if pending:
            items.append({"text": _("%(n)d nominations are waiting for your scores") % {"n": pending},
                          "url": reverse("awards:reviews")})
    return items


def reviews(user) -> dict | None:
    """The expert's reviews for the workbench's 「评审任务」 section: waiting, scored, and where to score."""
    if not permissions.is_expert(user):
        return None
    counts = Assignment.objects.filter(expert=user).aggregate(
        pending=Count("id", filter=Q(status=Assignment.Status.ASSIGNED)),
        scored=Count("id", filter=Q(status=Assignment.Status.SCORED)))
    return {**counts, "url": reverse("awards:reviews")}
