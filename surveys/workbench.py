"""The survey's to-dos on the workbench: a coordinator is reminded to spread an open survey in their unit."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions
from core import clock

from .models import Response, SurveyLink


def todos(user) -> list[dict]:
    """Coordinators: each open survey with a link for their unit, and how many have answered (one query)."""
    if permissions.is_organiser(user) or not permissions.is_coordinator(user):
        return []
    now = clock.now()
    answered = (Response.objects.filter(survey=OuterRef("survey"), unit=OuterRef("unit")).values("unit")
                .annotate(n=Count("id")).values("n"))
    links = (SurveyLink.objects.filter(unit_id__in=permissions.unit_ids(user), survey__opens_at__lte=now,
                                       survey__closes_at__gt=now)
             .select_related("survey", "unit").annotate(responses=Coalesce(Subquery(answered), 0))
             .order_by("survey__closes_at", "unit__name"))
    return [{"text": _("Share the survey “%(survey)s” in %(unit)s: %(n)d answered so far")
             % {"survey": link.survey.label, "unit": link.unit.name, "n": link.responses},
             "url": reverse("surveys:units", kwargs={"pk": link.survey_id})} for link in links]
