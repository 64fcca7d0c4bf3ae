"""The selection's to-dos on the workbench."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

from .models import Assignment, Nomination, Selection

S = Nomination.Status


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
        counts = Nomination.objects.filter(unit_id__in=permissions.unit_ids(user)).aggregate(
            drafts=Count("id", filter=Q(status=S.DRAFT)), returned=Count("id", filter=Q(status=S.RETURNED)))
        if counts["returned"]:
            items.append({"text": _("%(n)d nominations were returned for completion") % {"n": counts["returned"]},
                          "url": reverse("awards:home")})
        if counts["drafts"]:
            items.append({"text": _("%(n)d draft nominations to complete and submit") % {"n": counts["drafts"]},
                          "url": reverse("awards:home")})
    if permissions.is_expert(user):
        pending = Assignment.objects.filter(expert=user, status=Assignment.Status.ASSIGNED).count()
        if pending:
            items.append({"text": _("%(n)d nominations are waiting for your scores") % {"n": pending},
                          "url": reverse("awards:reviews")})
    return items
