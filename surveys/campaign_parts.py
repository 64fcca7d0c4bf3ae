"""The questionnaire's part in copying a campaign as a later year's (see campaigns.services.campaign_copy)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Survey
from .services import survey_copy_unchecked


def _new_slug(slug: str, old_year: int, new_year: int) -> str:
    base = slug.replace(str(old_year), str(new_year)) if str(old_year) in slug else f"{slug}-{new_year}"
    candidate, n = base[:60], 2
    while Survey.objects.filter(slug=candidate).exists():
        candidate, n = f"{base[:55]}-{n}", n + 1
    return candidate


def copy_to(*, actor, source, target, years: int) -> list[Survey]:
    """The newest version of each questionnaire of ``source`` becomes a new version bound to ``target``: same
    sections, questions, options and display logic, opening dates and the year in its titles moved."""
    newest = {}
    for survey in Survey.objects.filter(campaign=source).select_related("campaign").order_by("version", "id"):
        root = survey.copied_from_id or survey.pk
        newest[root] = survey  # later versions of the same questionnaire replace earlier ones
    latest = {}
    for survey in newest.values():  # a copy's own copies share its title: keep one per title
        latest[survey.title] = survey
    return [survey_copy_unchecked(actor=actor, survey=survey, campaign=target, years=years,
                                  slug=_new_slug(survey.slug, source.year, target.year))
            for survey in latest.values()]


def review(campaign) -> dict:
    """What the organiser checks before publishing: the questionnaires bound to the campaign."""
    surveys = list(Survey.objects.filter(campaign=campaign).order_by("-version", "id"))
    return {"key": "surveys", "title": _("Questionnaire"), "url": reverse("surveys:manage_list"),
            "items": [_("%(title)s (version %(version)s, opens %(opens)s)")
                      % {"title": s.label, "version": s.version, "opens": f"{s.opens_at:%Y-%m-%d}"} for s in surveys],
            "empty": _("No questionnaire yet.")}
