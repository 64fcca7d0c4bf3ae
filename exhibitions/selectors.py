"""Every non-trivial read of exhibitions and education bases; each list in a constant number of queries."""

from django.db.models import Count, IntegerField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.permissions import can, is_organiser, unit_ids
from activities.models import PUBLIC_STATES
from core import clock

from .models import (
    HOLDING_STATES,
    BaseSlot,
    EducationBase,
    Exhibition,
    ExhibitionPhoto,
    ExhibitionStop,
    Visit,
    VisitState,
)


def exhibition_list(*, campaign=None):
    """Exhibitions (of ``campaign`` when given) with their number of stops and visitors (public)."""
    exhibitions = Exhibition.objects.all()
    if campaign is not None:
        exhibitions = exhibitions.filter(campaign_id=campaign.pk)
    return exhibitions.annotate(
        stop_count=Count("stops", distinct=True),
        visitor_total=Coalesce(Sum("stops__visitors"), Value(0), output_field=IntegerField()),
    ).order_by("order", "id")


def exhibition_get(*, pk: int) -> Exhibition:
    """One exhibition with its tour, hosts, photos and the public linked activities."""
    stops = ExhibitionStop.objects.select_related("host_unit", "district", "activity").prefetch_related(
        Prefetch("photos", queryset=ExhibitionPhoto.objects.select_related("asset"))).order_by("starts_on", "id")
    exhibition = Exhibition.objects.prefetch_related(Prefetch("stops", queryset=stops)).filter(pk=pk).first()
    if exhibition is None:
        raise Http404
    for stop in exhibition.stops.all():
        stop.public_activity = stop.activity if stop.activity and stop.activity.state in PUBLIC_STATES else None
    return exhibition


def stop_get(*, pk: int) -> ExhibitionStop:
    stop = ExhibitionStop.objects.select_related("exhibition", "host_unit").filter(pk=pk).first()
    if stop is None:
        raise Http404
    return stop


def base_list(*, district=None, search: str = "", active_only: bool = True):
    """Education bases for the public directory, filterable by district."""
    qs = EducationBase.objects.select_related("district")
    if active_only:
        qs = qs.filter(is_active=True)
    if district is not None:
        qs = qs.filter(district=district)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(address__icontains=search) | Q(exhibits__icontains=search))
    return qs.order_by("district__order", "name")


def base_get_public(*, pk: int) -> EducationBase:
    base = EducationBase.objects.select_related("district").filter(pk=pk, is_active=True).first()
    if base is None:
        raise Http404
    return base


def open_slots(*, base: EducationBase):
    """The base's slots from today on, each with ``booked`` places held and ``free`` places left."""
    slots = (BaseSlot.objects.filter(base=base, date__gte=clock.today())
             .annotate(booked=Coalesce(Sum("visits__group_size", filter=Q(visits__state__in=HOLDING_STATES)),
                                       Value(0), output_field=IntegerField()))
             .order_by("date", "starts_at", "id"))
    result = list(slots)
    for slot in result:
        slot.free = max(slot.capacity - slot.booked, 0)
    return result


def bases_managed(*, user):
    """The bases this user manages (all for organisers), with their figures."""
    qs = EducationBase.objects.select_related("district", "managing_unit")
    if not is_organiser(user):
        qs = qs.filter(managing_unit_id__in=unit_ids(user))
    return with_figures(qs).order_by("district__order", "name")


def with_figures(qs):
    """Annotate bases with their figures: bookings by state and the visitors who came."""
    def count(*states):
        return Count("visits", filter=Q(visits__state__in=states), distinct=True)
    return qs.annotate(
        bookings=Count("visits", distinct=True),
        requested=count(VisitState.REQUESTED), confirmed=count(VisitState.CONFIRMED),
        visited=count(VisitState.VISITED), no_show=count(VisitState.NO_SHOW),
        declined=count(VisitState.DECLINED), cancelled=count(VisitState.CANCELLED),
        visitor_total=Coalesce(Sum("visits__visitors"), Value(0), output_field=IntegerField()),
    )


def base_get_managed(*, user, pk: int) -> EducationBase:
    """A base its manager may run; 404 for anyone else (existence must not leak)."""
    base = with_figures(EducationBase.objects.select_related("district", "managing_unit")).filter(pk=pk).first()
    if base is None or not can(user, "base.manage", base):
        raise Http404
    return base


def visits_visible(*, user):
    """The bookings this user may see: all for organisers; a coordinator's bases' and own unit's bookings."""
    qs = Visit.objects.select_related("base", "slot", "unit")
    if is_organiser(user):
        return qs
    ids = unit_ids(user)
    return qs.filter(Q(base__managing_unit_id__in=ids) | Q(unit_id__in=ids))


def visit_list(*, user, base=None, state: str = "", date_from=None, date_to=None, campaign=None):
    """The bookings ``user`` may see, of ``campaign``'s slots when given (slots tied to no campaign: always)."""
    qs = visits_visible(user=user)
    if campaign is not None:
        qs = qs.filter(Q(slot__campaign_id=campaign.pk) | Q(slot__campaign__isnull=True))
    if base is not None:
        qs = qs.filter(base=base)
    if state:
        qs = qs.filter(state=state)
    if date_from:
        qs = qs.filter(slot__date__gte=date_from)
    if date_to:
        qs = qs.filter(slot__date__lte=date_to)
    return qs.order_by("slot__date", "slot__starts_at", "id")


def visits_to_decide(*, user):
    """Requested bookings at the bases this user decides."""
    qs = Visit.objects.filter(state=VisitState.REQUESTED)
    if not is_organiser(user):
        qs = qs.filter(base__managing_unit_id__in=unit_ids(user))
    return qs


def visit_get_visible(*, user, pk: int) -> Visit:
    visit = visits_visible(user=user).select_related("base__district").filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit
