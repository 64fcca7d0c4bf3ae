"""Every non-trivial read of activities: each takes the user and returns only what they may see."""

import contextlib
import datetime
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import permissions

from .models import Activity, CheckIn, State

LIST_RELATED = ("campaign", "unit", "category", "form", "district")


def activities_visible(*, user) -> QuerySet[Activity]:
    """Organisers see every activity, coordinators those of their units, everybody else none."""
    activities = Activity.objects.select_related(*LIST_RELATED)
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
    if state:
        activities = activities.filter(state=state)
    if date_from is not None:
        activities = activities.filter(ends_at__gte=_day_start(date_from))
    if date_to is not None:
        activities = activities.filter(starts_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if st_week is not None:
        activities = activities.filter(joint_st_week=st_week)
    search = (search or "").strip()
    if search:
        activities = activities.filter(Q(title__icontains=search) | Q(unit__name__icontains=search)
                                       | Q(address__icontains=search))
    return activities


def activity_list(*, user, **filters) -> QuerySet[Activity]:
    """The management list: what ``user`` may see, filtered, in time order (one query a page)."""
    return activity_filter(activities_visible(user=user), **filters).order_by("starts_at", "pk")


def review_queue(*, user, **filters) -> QuerySet[Activity]:
    """The organisers' review queue: submitted activities first, oldest submission first."""
    if not filters.get("state"):
        filters["state"] = State.SUBMITTED
    return activity_filter(activities_visible(user=user), **filters).order_by("submitted_at", "pk")


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
                      "public_cover")


PUBLIC_VERSION_KEY = "activities:public:version"


def public_version() -> int:
    """The version of the published data in the shared cache; public page caches are keyed on it."""
    return cache.get_or_set(PUBLIC_VERSION_KEY, time.time_ns, None)


def public_activities() -> QuerySet[Activity]:
    """Activities approved at least once: the public site shows their published version (never live values)."""
    return Activity.objects.filter(public_starts_at__isnull=False)


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
        activities = activities.filter(Q(public_title__icontains=search) | Q(public_unit__icontains=search)
                                       | Q(public_venue__icontains=search))
    return activities


def public_list(**filters) -> QuerySet[Activity]:
    """Published activities for the public list and calendar, with only the published columns loaded."""
    return (public_filter(public_activities(), **filters).select_related("public_district")
            .only(*PUBLIC_LIST_FIELDS).order_by("public_starts_at", "pk"))


def public_snapshots(**filters) -> QuerySet[Activity]:
    """Published activities with their whole snapshot (the public API)."""
    return public_filter(public_activities(), **filters).only("id", "state", "published").order_by(
        "public_starts_at", "pk")


def public_get(*, pk: int) -> Activity:
    activity = public_activities().only("id", "state", "cancel_reason", "published", "public_title",
                                        "public_cover").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def checkin_list(*, activity: Activity) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(activity=activity).order_by("-created_at", "-id")


def state_counts(*, user) -> dict[str, int]:
    """How many activities ``user`` may see are in each state."""
    rows = activities_visible(user=user).order_by().values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}
