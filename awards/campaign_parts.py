"""The award selection's part in copying a campaign as a later year's (see campaigns.services.campaign_copy)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from campaigns.services import shift_date

from .models import Criterion, Selection
from .services import DEFAULT_RUBRIC, SETTINGS_FIELDS

DATE_FIELDS = ("nomination_start", "nomination_end")


@transaction.atomic
def copy_to(*, actor, source, target, years: int) -> Selection | None:
    """The selection's settings (places, quotas by default, eligibility, reviews, 公示 length) and its scoring
    rubric for ``target``, nomination dates moved by ``years``; none of the nominations, reviews or results.
    A campaign without a selection gives the new one the default settings and rubric, nominations open from
    the window's start to the key day."""
    if Selection.objects.filter(campaign=target).exists():
        return None
    old = Selection.objects.filter(campaign=source).prefetch_related("criteria").first()
    if old is not None:
        values = {f: getattr(old, f) for f in SETTINGS_FIELDS if f not in DATE_FIELDS}
        values |= {f: shift_date(getattr(old, f), years) for f in DATE_FIELDS}
        rubric = [(c.name, c.description, c.weight, c.max_score) for c in old.criteria.all()]
    else:
        values = {"nomination_start": target.window_start, "nomination_end": target.key_day}
        rubric = list(DEFAULT_RUBRIC)
    selection = Selection.objects.create(campaign=target, **values)
    Criterion.objects.bulk_create(Criterion(selection=selection, name=n, description=d, weight=w, max_score=m,
                                            order=i) for i, (n, d, w, m) in enumerate(rubric))
    audit_record(action="awards.selection.copied", actor=actor, obj=selection,
                 changes={"from": source.slug, "campaign": target.slug, "criteria": len(rubric)})
    return selection


def review(campaign) -> dict:
    selection = Selection.objects.filter(campaign=campaign).prefetch_related("criteria").first()
    items = []
    if selection is not None:
        items = [
            _("%(title)s: %(places)s places, nominations %(start)s – %(end)s, %(days)s working days of public notice")
            % {"title": selection.title, "places": selection.places, "start": f"{selection.nomination_start:%Y-%m-%d}",
               "end": f"{selection.nomination_end:%Y-%m-%d}", "days": selection.notice_working_days},
            _("Rubric: %(criteria)s") % {"criteria": "、".join(
                f"{c.name}（{c.max_score}）" for c in selection.criteria.all())},
        ]
    return {"key": "awards", "title": _("Award selection"),
            "url": selection.get_absolute_url() if selection else reverse("awards:home"), "items": items,
            "empty": _("No award selection yet.")}
