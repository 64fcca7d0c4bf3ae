"""Every non-trivial read of activities: each takes the user and returns only what they may see."""

import contextlib
import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from campaigns import selectors as campaigns_selectors
from campaigns.models import Campaign
from core import clock, versioned_cache

from .models import APPROVED_STATES, COUNTED, Activity, CheckIn, State
from .search import search_filter

LIST_RELATED = ("campaign", "unit", "category", "form", "district")


def activities_visible(*, user, campaign=None) -> QuerySet[Activity]:
    """Organisers see every activity, coordinators those of their units, everybody else none; only those of
    ``campaign`` when one is given (every management list, export and figure is scoped to one campaign)."""
    activities = Activity.objects.select_related(*LIST_RELATED)
    if campaign is not None:
        activities = activities.filter(campaign_id=campaign.pk)
    if permissions.is_organiser(user):
        return activities
    return activities.filter(unit_id__in=permissions.unit_ids(user))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def activity_filter(activities: QuerySet[Activity], *, category=None, form=None, unit_type: str = "",
                    district=None, mode: str = "", state: str = "", date_from: datetime.date | None = None,
                    date_to: datetime.date | None = None, st_week: bool | None = None,
                    search: str = "") -> QuerySet[Activity]:
    """The filters shared by the review queue, the unit's list, the export and the public list."""
    if category is not None:
        activities = activities.filter(category=category)
    if form is not None:
        activities = activities.filter(form=form)
    if unit_type:
        activities = activities.filter(unit__unit_type=unit_type)
    if district is not None:
        activities = activities.filter(district=district)
    if mode:
        activities = activities.filter(mode=mode)
    if state == COUNTED:
        activities = activities.filter(state__in=APPROVED_STATES)
    elif state:
        activities = activities.filter(state=state)
    if date_from is not None:
        activities = activities.filter(ends_at__gte=_day_start(date_from))
    if date_to is not None:
        activities = activities.filter(starts_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if st_week is not None:
        activities = activities.filter(joint_st_week=st_week)
    search = (search or "").strip()
    if search:
        activities = search_filter(activities, search, public=False)
    return activities


LIST_ORDER = ("starts_at", "pk")  # the management list's order and keyset
REVIEW_ORDER = ("submitted_at", "pk")  # the review queue's (the (state, submitted_at, id) index)


def activity_list(*, user, campaign=None, **filters) -> QuerySet[Activity]:
    """The management list: what ``user`` may see (of ``campaign``), filtered, in time order (one query a page)."""
    return activity_filter(activities_visible(user=user, campaign=campaign), **filters).order_by(*LIST_ORDER)


REVIEW_RELATED = ("unit", "category", "form", "district")
# What a row of the review queue shows: the page loads these columns only (not descriptions, snapshots…).
REVIEW_FIELDS = ("id", "state", "title", "mode", "starts_at", "submitted_at", "unit__name", "unit__unit_type",
                 "category__name", "category__name_en", "form__name", "form__name_en", "district__name",
                 "district__name_en")


def review_rows() -> QuerySet[Activity]:
    """How the review queue loads the rows of a page: the related rows it shows, only the columns it shows."""
    return Activity.objects.select_related(*REVIEW_RELATED).only(*REVIEW_FIELDS)


def review_queue(*, user, campaign=None, **filters) -> QuerySet[Activity]:
    """The organisers' review queue: submitted activities first, oldest submission first (the order of the
    (state, submitted_at, id) index), with only the columns a row shows."""
    if not filters.get("state"):
        filters["state"] = State.SUBMITTED
    activities = activities_visible(user=user, campaign=campaign).select_related(None).select_related(*REVIEW_RELATED)
    return activity_filter(activities, **filters).only(*REVIEW_FIELDS).order_by(*REVIEW_ORDER)


def review_waiting_count(*, user, campaign=None) -> int:
    """How many activities ``user`` may see wait for review: one COUNT on the (state, submitted_at, id) index."""
    return (activities_visible(user=user, campaign=campaign).select_related(None).filter(state=State.SUBMITTED)
            .order_by().count())


def review_queue_is_default(filters: dict) -> bool:
    """Whether ``filters`` ask for the plain queue (every submitted activity), which review_waiting_count counts."""
    return all(value in (None, "") or (name == "state" and value == State.SUBMITTED)
               for name, value in filters.items())


def current_campaign_cached(*, published_only: bool = True) -> Campaign | None:
    """campaigns.selectors.current_campaign_cached (kept here for the callers of this module)."""
    return campaigns_selectors.current_campaign_cached(published_only=published_only)


def activity_get_visible(*, user, pk: int) -> Activity:
    """One activity ``user`` may see, or 404 (another unit's activity answers like a missing one)."""
    activity = (Activity.objects.select_related(*LIST_RELATED, "cover", "video", "created_by")
                .filter(pk=pk).first())
    if activity is None or not permissions.can(user, "activity.view", activity):
        if activity is not None:
            with contextlib.suppress(PermissionDenied):
                permissions.require(user, "activity.view", activity)  # audits the denial
        raise Http404
    return activity


PUBLIC_LIST_FIELDS = ("id", "state", "public_title", "public_unit", "public_district__name",
                      "public_district__name_en", "public_mode", "public_starts_at", "public_ends_at",
                      "public_cover", "video")


PUBLIC_VERSION_KEY = versioned_cache.ACTIVITIES


def public_version() -> int:
    """The version of the published data in the shared cache; public page caches are keyed on it."""
    return versioned_cache.version(PUBLIC_VERSION_KEY)


def public_activities(*, campaign=None) -> QuerySet[Activity]:
    """Activities approved at least once (of ``campaign`` when given): the public site shows their published
    version (never live values)."""
    activities = Activity.objects.filter(public_starts_at__isnull=False)
    if campaign is not None:
        activities = activities.filter(campaign_id=campaign.pk)
    return activities


def public_filter(activities: QuerySet[Activity], *, category=None, district=None, mode: str = "",
                  date_from: datetime.date | None = None, date_to: datetime.date | None = None,
                  st_week: bool | None = None, search: str = "", **_ignored) -> QuerySet[Activity]:
    """The public filters, on the published (last approved) values only: a change under review never
    matches before it is approved."""
    if category is not None:
        activities = activities.filter(public_category=category)
    if district is not None:
        activities = activities.filter(public_district=district)
    if mode:
        activities = activities.filter(public_mode=mode)
    if date_from is not None:
        activities = activities.filter(public_ends_at__gte=_day_start(date_from))
    if date_to is not None:
        activities = activities.filter(public_starts_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if st_week is not None:
        activities = activities.filter(public_joint_st_week=st_week)
    search = (search or "").strip()
    if search:
        activities = search_filter(activities, search, public=True)
    return activities


# The public list's order (``useful_first``): upcoming and ongoing ones soonest first, then held ones latest
# first; also its keyset (core.pagination.keyset_paginate).
PUBLIC_ORDER = ("sciday_ended", "sciday_next", "-public_starts_at", "pk")
NEVER = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def public_list(*, campaign=None, useful_first: bool = False, cancelled: bool = True, when: str = "",
                **filters) -> QuerySet[Activity]:
    """Published activities (of ``campaign``) for the public list and calendar, with only the published columns loaded.

    ``useful_first`` (the public list): upcoming and ongoing ones first, soonest first, then the held ones,
    latest first. ``cancelled=False`` leaves the cancelled ones out (the list shows them only when asked);
    ``when`` is ``upcoming`` (not yet ended) or ``held`` (ended)."""
    found = public_filter(public_activities(campaign=campaign), **filters)
    if not cancelled:
        found = found.exclude(state=State.CANCELLED)
    if when == "upcoming":
        found = found.filter(public_ends_at__gte=clock.now())
    elif when == "held":
        found = found.filter(public_ends_at__lt=clock.now())
    found = found.select_related("public_district").only(*PUBLIC_LIST_FIELDS)
    if not useful_first:
        return found.order_by("public_starts_at", "pk")
    now = clock.now()
    ended = Q(public_ends_at__lt=now)
    return found.annotate(
        sciday_ended=Case(When(ended, then=Value(1)), default=Value(0), output_field=IntegerField()),
        # The held ones share one far date (not NULL): a keyset cursor compares it like any other value.
        sciday_next=Case(When(ended, then=Value(NEVER)), default=F("public_starts_at"), output_field=DateTimeField()),
    ).order_by(*PUBLIC_ORDER)


def public_snapshots(*, campaign=None, **filters) -> QuerySet[Activity]:
    """Published activities (of ``campaign``) with their whole snapshot (the public API)."""
    return public_filter(public_activities(campaign=campaign), **filters).only("id", "state", "published").order_by(
        "public_starts_at", "pk")


def public_get(*, pk: int) -> Activity:
    activity = public_activities().only("id", "state", "cancel_reason", "published", "public_title",
                                        "public_cover").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


HELD_STATES = (State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP)


def public_story(*, activity: Activity) -> dict | None:
    """What a held activity's public page tells: participants, views, outcome, photos, video and coverage
    (three queries); None before it is held."""
    if activity.state not in HELD_STATES:
        return None
    figures = Activity.objects.filter(pk=activity.pk).select_related("video").only(
        "actual_participants", "online_views", "outcome", "video__public_id", "video__content_type",
        "video__is_public").first()
    video = figures.video if figures.video_id and figures.video.is_public else None
    return {
        "participants": figures.actual_participants, "online_views": figures.online_views,
        "outcome": figures.outcome, "video": video,
        "photos": list(activity.photos.select_related("asset").filter(asset__is_public=True)
                       .only("id", "is_highlight", "asset__public_id", "asset__is_public", "asset__thumbnail")
                       .order_by("-is_highlight", "id")),
        "coverage": list(activity.coverage.order_by("date", "id")),
    }


def checkin_list(*, activity: Activity) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(activity=activity).order_by("-created_at", "-id")


def state_counts(*, user, campaign=None) -> dict[str, int]:
    """How many activities ``user`` may see (of ``campaign``) are in each state."""
    rows = activities_visible(user=user, campaign=campaign).order_by().values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def checkin_counts(activity: Activity) -> dict:
    """How many checked in by QR code and how many the host added (补签), and the total."""
    counts = CheckIn.objects.filter(activity=activity).aggregate(
        qr=Count("id", filter=Q(is_manual=False)), manual=Count("id", filter=Q(is_manual=True)))
    return {**counts, "total": counts["qr"] + counts["manual"]}
