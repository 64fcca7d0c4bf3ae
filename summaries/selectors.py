"""Every non-trivial read of summaries: deadlines, a unit's figures, the inbox, the completion board."""

import contextlib
import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts import permissions
from activities.models import PUBLIC_STATES, Activity, CheckIn, MediaCoverage, State
from campaigns.models import Campaign
from core import clock
from organisations.models import Office, Unit

from .models import Export, Extension, Highlight, Summary, SummaryState

SHANGHAI = ZoneInfo("Asia/Shanghai")
HELD_STATES = (State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP)
# Activities that count in the figures: approved at least once (cancelled ones are counted apart).
COUNTED_STATES = tuple(PUBLIC_STATES)
NOT_STARTED = "not_started"
LATE = "late"
BOARD_STATUSES = (NOT_STARTED, *SummaryState.values)


# --- deadlines ---------------------------------------------------------------------------------

def deadline_at(day: datetime.date) -> datetime.datetime:
    """23:59:59 Asia/Shanghai of ``day``: the last instant a summary is on time."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)


def extension_for(*, campaign: Campaign, unit: Unit) -> Extension | None:
    return Extension.objects.filter(campaign=campaign, unit=unit).first()


def deadline_date_for(*, campaign: Campaign, unit: Unit) -> datetime.date:
    """The unit's summary deadline: its extension's date if an office granted one, else the campaign's."""
    extension = extension_for(campaign=campaign, unit=unit)
    return extension.until if extension is not None else campaign.summary_deadline


def deadline_for(*, campaign: Campaign, unit: Unit) -> datetime.datetime:
    return deadline_at(deadline_date_for(campaign=campaign, unit=unit))


def is_past_deadline(*, campaign: Campaign, unit: Unit) -> bool:
    return clock.now() > deadline_for(campaign=campaign, unit=unit)


# --- routing -----------------------------------------------------------------------------------

def office_unit_types(*, campaign: Campaign, office: Office) -> list[str]:
    """The unit types whose summaries the campaign routes to ``office``."""
    return list(campaign.routing_rules.filter(office=office).values_list("unit_type", flat=True))


def routed_units(*, campaign: Campaign, office: Office) -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True, unit_type__in=office_unit_types(campaign=campaign, office=office))


def offices_of(*, user) -> QuerySet[Office]:
    """The offices whose inbox and board ``user`` may open (administrators: every office)."""
    if permissions.is_admin(user):
        return Office.objects.all()
    return Office.objects.filter(pk__in=permissions.office_ids(user))


# --- figures -----------------------------------------------------------------------------------

def counted_activities(*, campaign: Campaign) -> QuerySet[Activity]:
    return Activity.objects.filter(campaign=campaign, state__in=COUNTED_STATES)


def activity_figures(activities: QuerySet[Activity]) -> dict:
    """The figures of a set of activities: totals, by category and mode, reach (a few queries)."""
    activities = activities.order_by()
    totals = activities.aggregate(
        total=Count("id"),
        held=Count("id", filter=Q(state__in=HELD_STATES)),
        cancelled=Count("id", filter=Q(state=State.CANCELLED)),
        recommended=Count("id", filter=Q(state=State.RECOMMENDED)),
        recommended_up=Count("id", filter=Q(state=State.RECOMMENDED_UP)),
        participants=Coalesce(Sum("actual_participants", filter=Q(state__in=HELD_STATES)), 0),
        online_views=Coalesce(Sum("online_views", filter=Q(state__in=HELD_STATES)), 0),
    )
    ids = activities.values("id")
    totals["checkins"] = CheckIn.objects.filter(activity_id__in=ids).count()
    totals["coverage"] = MediaCoverage.objects.filter(activity_id__in=ids).count()
    totals["by_category"] = [
        (row["category__name"], row["n"]) for row in
        activities.values("category__number", "category__name").annotate(n=Count("id")).order_by("category__number")
    ]
    mode_labels = dict(Activity._meta.get_field("mode").choices)
    totals["by_mode"] = [
        (str(mode_labels.get(row["mode"], row["mode"])), row["n"])
        for row in activities.values("mode").annotate(n=Count("id")).order_by("mode")
    ]
    return totals


def unit_figures(*, campaign: Campaign, unit: Unit) -> dict:
    """A unit's own figures for its summary, filled in from its activities."""
    return activity_figures(counted_activities(campaign=campaign).filter(unit=unit))


def campaign_figures(*, campaign: Campaign, office: Office | None = None) -> dict:
    """The city's figures (or, with ``office``, those of the units routed to it): the unit's figures
    for all, plus totals by unit type and district."""
    activities = counted_activities(campaign=campaign)
    if office is not None:
        activities = activities.filter(unit__in=routed_units(campaign=campaign, office=office))
    figures = activity_figures(activities)
    type_labels = dict(Unit._meta.get_field("unit_type").choices)
    figures["by_unit_type"] = [
        (str(type_labels.get(row["unit__unit_type"], row["unit__unit_type"])), row["n"])
        for row in activities.order_by().values("unit__unit_type").annotate(n=Count("id")).order_by("unit__unit_type")
    ]
    figures["by_district"] = [
        (row["unit__district__name"] or "—", row["n"])
        for row in activities.order_by().values("unit__district__order", "unit__district__name")
        .annotate(n=Count("id")).order_by("unit__district__order")
    ]
    return figures


# --- summaries ---------------------------------------------------------------------------------

def summary_for(*, campaign: Campaign, unit: Unit) -> Summary | None:
    return (Summary.objects.select_related("campaign", "unit", "office")
            .prefetch_related("highlights__activities", "attachments__asset")
            .filter(campaign=campaign, unit=unit).first())


def summary_get_visible(*, user, campaign: Campaign, unit: Unit) -> Summary | None:
    """The summary, or None if there is none yet; 404 if ``user`` may not see it (no leak)."""
    summary = summary_for(campaign=campaign, unit=unit)
    if summary is None:
        if permissions.can(user, "summary.edit", unit):
            return None
        raise Http404
    if not permissions.can(user, "summary.view", summary):
        with contextlib.suppress(PermissionDenied):
            permissions.require(user, "summary.view", summary)  # audits the denial
        raise Http404
    return summary


def inbox(*, user, campaign: Campaign, state: str = "", office: Office | None = None) -> QuerySet[Summary]:
    """What has been routed to ``user``'s offices (administrators: all): submitted, returned, accepted."""
    summaries = (Summary.objects.select_related("unit", "unit__district", "office", "campaign")
                 .filter(campaign=campaign).exclude(state=SummaryState.DRAFT)
                 .annotate(highlight_count=Count("highlights")))
    if not permissions.is_admin(user):
        summaries = summaries.filter(office_id__in=permissions.office_ids(user))
    if office is not None:
        summaries = summaries.filter(office=office)
    if state == LATE:
        summaries = summaries.filter(is_late=True)
    elif state:
        summaries = summaries.filter(state=state)
    return summaries.order_by(F("submitted_at").asc(nulls_last=True), "pk")


def board(*, campaign: Campaign, office: Office, status: str = "") -> QuerySet[Unit]:
    """The completion board: every unit routed to ``office`` with its summary's status and lateness.

    Each unit carries ``board_status`` (not_started or a summary state), ``summary_late`` and
    ``deadline_date`` (its extension or the campaign's) and ``is_overdue_now``; one query a page.
    """
    summaries = Summary.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    extensions = Extension.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    today = clock.today()
    units = (routed_units(campaign=campaign, office=office).select_related("district")
             .annotate(
                 board_status=Coalesce(Subquery(summaries.values("state")[:1]), Value(NOT_STARTED), output_field=CharField()),
                 summary_late=Coalesce(Subquery(summaries.values("is_late")[:1]), Value(False),
                                        output_field=BooleanField()),
                 summary_id=Subquery(summaries.values("pk")[:1]),
                 deadline_date=Coalesce(Subquery(extensions.values("until")[:1]), Value(campaign.summary_deadline),
                                         output_field=DateField()))
             .annotate(is_overdue_now=Case(
                 When(Q(board_status__in=[NOT_STARTED, SummaryState.DRAFT, SummaryState.RETURNED])
                      & Q(deadline_date__lt=today), then=Value(True)), default=Value(False), output_field=BooleanField()))
             .order_by("unit_type", "district__order", "name"))
    if status == LATE:
        units = units.filter(Q(summary_late=True) | Q(is_overdue_now=True))
    elif status in BOARD_STATUSES:
        units = units.filter(board_status=status)
    return units


def board_counts(*, campaign: Campaign, office: Office) -> dict[str, int]:
    """How many routed units are in each board status, and how many are late (one query)."""
    rows = board(campaign=campaign, office=office).order_by().values("board_status").annotate(n=Count("id"))
    counts = dict.fromkeys(BOARD_STATUSES, 0)
    for row in rows:
        counts[row["board_status"]] = row["n"]
    counts[LATE] = board(campaign=campaign, office=office, status=LATE).count()
    counts["total"] = sum(counts[s] for s in BOARD_STATUSES)
    return counts


def starred_highlights(*, campaign: Campaign, office: Office | None = None) -> QuerySet[Highlight]:
    """Starred highlights of summaries that are not drafts (with ``office``: of summaries routed to it)."""
    highlights = Highlight.objects.filter(summary__campaign=campaign, is_starred=True).exclude(
        summary__state=SummaryState.DRAFT)
    if office is not None:
        highlights = highlights.filter(summary__office=office)
    return highlights.select_related("summary__unit").order_by("summary__unit__unit_type", "summary__unit__name",
                                                               "order")


def recommended_activities(*, campaign: Campaign, office: Office | None = None) -> QuerySet[Activity]:
    activities = Activity.objects.filter(campaign=campaign, state__in=[State.RECOMMENDED, State.RECOMMENDED_UP])
    if office is not None:
        activities = activities.filter(unit__in=routed_units(campaign=campaign, office=office))
    return activities.select_related("unit", "category").order_by("-state", "unit__name", "starts_at", "pk")


def late_and_missing(*, campaign: Campaign, office: Office | None = None) -> list[dict]:
    """Every unit that submitted late or has not submitted by its deadline (for the report); with
    ``office``, only the units routed to it."""
    rows = []
    offices = Office.objects.filter(pk__in=campaign.routing_rules.values("office"))
    if office is not None:
        offices = offices.filter(pk=office.pk)
    for receiving in offices:
        for unit in board(campaign=campaign, office=receiving, status=LATE):
            rows.append({"unit": unit, "office": receiving, "status": unit.board_status, "late": unit.summary_late,
                         "deadline": unit.deadline_date})
    return rows


def exports_of(*, user) -> QuerySet[Export]:
    return Export.objects.filter(owner=user).order_by("-created_at", "-id")
