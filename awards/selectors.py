"""Every non-trivial read of the selection: what a user may see, completeness, eligibility and the ranking."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import can, is_organiser, unit_ids

from .models import Assignment, Nomination, Objection, Selection, UnitQuota

S = Nomination.Status
REVIEWABLE = [S.ELIGIBLE, S.FINALIST, S.WINNER, S.DROPPED]


def selections_visible(*, user, campaign=None) -> QuerySet[Selection]:
    """The selections ``user`` may see (of ``campaign`` when given): organisers every one, others only those of
    published campaigns (next year's stays with the organisers until it is published)."""
    qs = Selection.objects.select_related("campaign")
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign.pk)
    if not is_organiser(user):
        qs = qs.filter(campaign__is_published=True)
    return qs


def nominations_visible(*, user, selection: Selection | None = None) -> QuerySet[Nomination]:
    """Organisers see every nomination, a coordinator their own units' ones, anybody else none."""
    qs = Nomination.objects.select_related("unit", "selection__campaign")
    if selection is not None:
        qs = qs.filter(selection=selection)
    if is_organiser(user):
        return qs
    return qs.filter(unit_id__in=unit_ids(user))


def nomination_get_visible(*, user, pk: int) -> Nomination:
    nomination = nominations_visible(user=user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


def unit_quota(selection: Selection, unit) -> int:
    override = UnitQuota.objects.filter(selection=selection, unit=unit).values_list("quota", flat=True).first()
    return selection.default_quota if override is None else override


# Nominations that were sent to the organisers and hold one of the unit's places for good (until withdrawn).
SENT = [S.SUBMITTED, S.RETURNED, S.ELIGIBLE, S.FINALIST, S.WINNER, S.DROPPED]


@dataclass
class Quota:
    """A unit's places in a selection: ``used`` counts every nomination but rejected ones (drafts hold a
    place too, so no new nomination starts beyond the quota); ``sent`` only those sent to the organisers."""

    unit: object
    quota: int
    used: int
    sent: int

    @property
    def full(self) -> bool:
        return self.used >= self.quota


def quota_for(selection: Selection, unit) -> Quota:
    counts = selection.nominations.filter(unit=unit).aggregate(
        used=Count("id", filter=~Q(status=S.REJECTED)), sent=Count("id", filter=Q(status__in=SENT)))
    return Quota(unit=unit, quota=unit_quota(selection, unit), used=counts["used"], sent=counts["sent"])


def quota_full_message(quota: Quota) -> str:
    return _("Your unit has used all its places (%(used)d used of %(quota)d): no new nomination can be started. "
             "To nominate someone else, first withdraw one of your unit's submitted nominations.") % {
        "used": quota.used, "quota": quota.quota}


def submit_blocked_by_quota(nomination: Nomination) -> str:
    """Why this draft cannot be submitted because the unit's places are taken by sent nominations ('' if it can)."""
    if nomination.status not in (S.DRAFT, S.RETURNED):
        return ""
    quota = unit_quota(nomination.selection, nomination.unit)
    sent = (Nomination.objects.filter(selection_id=nomination.selection_id, unit_id=nomination.unit_id,
                                      status__in=SENT).exclude(pk=nomination.pk).count())
    if sent < quota:
        return ""
    return _("This draft cannot be submitted: your unit's %(quota)d places are taken by %(sent)d nominations "
             "already submitted. To free a place, withdraw one of them (open it and choose “Withdraw "
             "nomination”), then submit this one.") % {"quota": quota, "sent": sent}


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def missing_items(nomination: Nomination) -> list[str]:
    """What the 推荐表 still lacks before it can be submitted, in the words a coordinator understands."""
    missing = []
    labels = [("gender", _("gender")), ("birth_date", _("date of birth")), ("ethnicity", _("ethnicity")),
              ("political_status", _("political status")), ("workplace", _("workplace")),
              ("position", _("position and title")), ("field", _("field of work")),
              ("achievements", _("main achievements")), ("deeds_summary", _("deeds summary for the public notice")),
              ("unit_opinion", _("opinion of the nominating unit"))]
    missing += [label for name, label in labels if not getattr(nomination, name)]
    if not nomination.mobile_encrypted:
        missing.append(_("mobile number"))
    if not nomination.id_number_encrypted:
        missing.append(_("ID number"))
    if not nomination.id_photo_id:
        missing.append(_("2-inch ID photo"))
    photos = nomination.life_photos.count() if nomination.pk else 0
    if not 3 <= photos <= 5:
        missing.append(_("3 to 5 life photos (now %(n)d)") % {"n": photos})
    if not nomination.consent_id:
        missing.append(_("signed consent of the nominee"))
    shown = [_("Missing: %(item)s") % {"item": item} for item in missing]
    limit = nomination.selection.achievements_max_chars
    if len(nomination.achievements) > limit:
        shown.append(_("The main achievements are too long (%(n)d of at most %(max)d characters).") % {
            "n": len(nomination.achievements), "max": limit})
    return shown


def eligibility_problems(nomination: Nomination) -> list[str]:
    """The switched-on eligibility rules that the nominee breaks."""
    selection, problems = nomination.selection, []
    if selection.max_age and nomination.birth_date and age_on(
            nomination.birth_date, selection.nomination_end) > selection.max_age:
        problems.append(_("The nominee is older than %(age)d.") % {"age": selection.max_age})
    if selection.exclude_senior_officials and nomination.is_senior_official:
        problems.append(_("Officials at department/bureau level and above are not eligible."))
    if selection.exclude_previous_winners and nomination.id_hash and Nomination.objects.filter(
            id_hash=nomination.id_hash, status=S.WINNER).exclude(selection=selection).exists():
        problems.append(_("The nominee has already won in an earlier year."))
    return problems


def young_share_warning(selection: Selection, queryset: QuerySet[Nomination]) -> str:
    """A warning when fewer nominees than the selection's minimum share are under 45."""
    if not selection.young_share_min:
        return ""
    births = [b for b in queryset.exclude(status=S.DRAFT).values_list("birth_date", flat=True) if b]
    if not births:
        return ""
    young = sum(1 for b in births if age_on(b, selection.nomination_end) < 45)
    share = round(100 * young / len(births))
    if share >= selection.young_share_min:
        return ""
    return _("Only %(share)d%% of the nominees are under 45; the selection asks for at least %(min)d%%.") % {
        "share": share, "min": selection.young_share_min}


@dataclass
class RankRow:
    nomination: Nomination
    totals: list[Decimal] = field(default_factory=list)
    score: Decimal | None = None
    rank: int = 0
    tied: bool = False
    complete: bool = False


def combine(totals: list[Decimal], *, drop_extremes: bool) -> Decimal | None:
    """The mean of the experts' totals, without the highest and lowest when five or more scored."""
    if not totals:
        return None
    values = sorted(totals)
    if drop_extremes and len(values) >= 5:
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(selection: Selection) -> list[RankRow]:
    """The reviewed nominations by combined score, best first; equal scores share a rank (ties)."""
    scored = Prefetch("assignments", queryset=Assignment.objects.filter(status=Assignment.Status.SCORED),
                      to_attr="scored")
    rows = []
    for nomination in (Nomination.objects.filter(selection=selection, status__in=REVIEWABLE)
                       .select_related("unit").prefetch_related(scored)):
        totals = [a.total for a in nomination.scored]
        rows.append(RankRow(nomination=nomination, totals=totals,
                            score=combine(totals, drop_extremes=selection.drop_extremes),
                            complete=len(totals) >= selection.reviews_required))
    rows = [r for r in rows if r.score is not None]
    rows.sort(key=lambda r: (-r.score, r.nomination.pk))
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and rows[i - 1].score == row.score else i + 1
    ranks = Counter(r.rank for r in rows)
    for row in rows:
        row.tied = ranks[row.rank] > 1
    return rows


@dataclass
class MissingReview:
    """A nomination whose reviews are not finished: how many experts scored, how many are needed, who is due."""

    nomination: Nomination
    scored: int
    required: int
    pending: list[str]


def missing_reviews(selection: Selection) -> list[MissingReview]:
    """The nominations under review with fewer scored reviews than the selection requires."""
    prefetch = Prefetch("assignments", queryset=Assignment.objects.select_related("expert").order_by("id"))
    missing = []
    for nomination in (Nomination.objects.filter(selection=selection, status__in=REVIEWABLE)
                       .select_related("unit").prefetch_related(prefetch).order_by("name", "id")):
        assignments = list(nomination.assignments.all())
        scored = sum(1 for a in assignments if a.status == Assignment.Status.SCORED)
        if scored < selection.reviews_required:
            missing.append(MissingReview(
                nomination=nomination, scored=scored, required=selection.reviews_required,
                pending=[a.expert.display_name for a in assignments if a.status == Assignment.Status.ASSIGNED]))
    return missing


def assignment_progress(selection: Selection) -> QuerySet[Nomination]:
    """Per eligible nomination: how many reviews are assigned, scored and declined."""
    return (Nomination.objects.filter(selection=selection, status__in=REVIEWABLE).select_related("unit")
            .annotate(n_assigned=Count("assignments"),
                      n_scored=Count("assignments", filter=Q(assignments__status=Assignment.Status.SCORED)),
                      n_declined=Count("assignments", filter=Q(assignments__status=Assignment.Status.DECLINED)))
            .order_by("unit__name", "id"))


def assignments_for_expert(*, user) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(expert=user).select_related("nomination__unit", "nomination__selection")
            .order_by("status", "id"))


def assignment_get_for_expert(*, user, pk: int) -> Assignment:
    assignment = assignments_for_expert(user=user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def finalists(selection: Selection) -> QuerySet[Nomination]:
    return selection.nominations.filter(status__in=[S.FINALIST, S.WINNER, S.DROPPED]).select_related("unit")


def finalists_for_notice(selection: Selection) -> QuerySet[Nomination]:
    """The finalists as the public notice lists them."""
    return selection.nominations.filter(status=S.FINALIST).select_related("unit").order_by("name")


def winners_to_release(selection: Selection) -> QuerySet[Nomination]:
    """Who the release will confirm as winners: the finalists without an upheld objection."""
    return (finalists_for_notice(selection)
            .exclude(objections__outcome=Objection.Outcome.UPHELD).distinct())


def winners(selection: Selection) -> QuerySet[Nomination]:
    return (selection.nominations.filter(status=S.WINNER).select_related("unit", "id_photo")
            .order_by("name"))


def objections_for(*, user, selection: Selection) -> QuerySet[Objection]:
    if not can(user, "awards.manage"):
        return Objection.objects.none()
    return Objection.objects.filter(nomination__selection=selection).select_related("nomination__unit")


def workplace(nomination: Nomination) -> str:
    return nomination.workplace or nomination.unit.name

