"""The exhibitions API (mounted at /api/v1/ by api/urls.py): the same services and permissions as the pages.

Public (no login): the exhibition list and detail, the education-base directory. Everything else needs a
login or a token and answers only what the caller may see (another unit's booking answers 404).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from accounts.permissions import require, unit_ids
from api.pagination import PageNumberPagination, paginate
from api.types import MAX_INT, LocalTime
from core.exceptions import TransitionNotAllowed
from organisations.models import District, Unit

from . import selectors, services
from .models import BaseSlot, GroupKind, VisitState


class ErrorOut(Schema):
    detail: str


class ExhibitionFieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class StopOut(Schema):
    id: int
    host: str
    venue: str
    district: str | None
    starts_on: date
    ends_on: date
    visitors: int | None
    activity_id: int | None = Field(None, description="The linked activity, when it is public.")
    photos: list[str]

    @staticmethod
    def resolve_district(obj):
        return obj.district.code if obj.district else None

    @staticmethod
    def resolve_activity_id(obj):
        activity = getattr(obj, "public_activity", None)
        return activity.pk if activity else None

    @staticmethod
    def resolve_photos(obj):
        return [p.asset.get_absolute_url() for p in obj.photos.all()]


class ExhibitionOut(Schema):
    id: int
    code: str = Field(description="Unique within the campaign.")
    ended_on: date | None
    title: str
    organiser: str
    description: str


class ExhibitionListOut(ExhibitionOut):
    stop_count: int
    visitor_total: int


class ExhibitionDetailOut(ExhibitionOut):
    stops: list[StopOut]

    @staticmethod
    def resolve_stops(obj):
        return list(obj.stops.all())


class BaseOut(Schema):
    id: int
    name: str
    district: str
    address: str
    exhibits: str
    opening_hours: str
    capacity_per_slot: int
    contact_person: str
    contact_phone: str

    @staticmethod
    def resolve_district(obj):
        return obj.district.code


class BaseFiguresOut(BaseOut):
    bookings: int
    requested: int
    confirmed: int
    visited: int
    no_show: int
    declined: int
    cancelled: int
    visitor_total: int


class SlotOut(Schema):
    id: int
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    capacity: int
    booked: int
    free: int


class SlotIn(Schema):
    date: date
    starts_at: LocalTime = Field(description="Local time (Beijing time), no offset: 09:30")
    ends_at: LocalTime
    capacity: int | None = Field(None, ge=1, le=MAX_INT)


class VisitOut(Schema):
    id: int
    reference: str
    base_id: int
    slot_id: int
    date: date
    group_name: str
    group_kind: str
    group_size: int
    unit_id: int | None
    state: str
    visitors: int | None
    contact: str = Field(description="Masked: 138****8000.")

    @staticmethod
    def resolve_date(obj):
        return obj.slot.date

    @staticmethod
    def resolve_contact(obj):
        return obj.contact_masked


class VisitIn(Schema):
    slot_id: int
    unit_id: int | None = Field(None, description="Needed only by a coordinator of several units.")
    group_name: str = Field(max_length=200)
    group_kind: GroupKind = GroupKind.UNIT
    group_size: int = Field(ge=1, le=1000)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=30)
    note: str = Field("", max_length=300)


class VisitTransitionIn(Schema):
    reason: str = ""


class BaseFilters(Schema):
    district: str | None = Field(None, description="District code.")
    q: str | None = None


class VisitFilters(Schema):
    base_id: int | None = None
    state: VisitState | None = None
    date_from: date | None = None
    date_to: date | None = None


def _errors(error: ValidationError) -> Status:
    if hasattr(error, "error_dict"):
        return Status(400, {"detail": _("Some fields are not valid."), "errors": error.message_dict})
    return Status(400, {"detail": " ".join(error.messages), "errors": {"__all__": error.messages}})


def _managed_base(request, base_id: int):
    try:
        return selectors.base_get_managed(user=request.auth, pk=base_id)
    except Http404:
        raise HttpError(404, _("There is no such base, or it is not yours to run.")) from None


def _visit(request, visit_id: int):
    try:
        return selectors.visit_get_visible(user=request.auth, pk=visit_id)
    except Http404:
        raise HttpError(404, _("There is no such booking, or it is not yours to see.")) from None


def _transition_payload(request) -> VisitTransitionIn:
    """The optional JSON body of a transition ({"reason": ...}); an empty body means no reason."""
    body = request.body.strip() if request.content_type == "application/json" else b""
    try:
        return VisitTransitionIn.model_validate_json(body or b"{}")
    except PydanticValidationError as error:
        raise NinjaValidationError(error.errors(include_url=False, include_context=False, include_input=False)) \
            from None


def build_router() -> Router:
    router = Router(tags=["exhibitions"])

    @router.get("/exhibitions/", response=list[ExhibitionListOut], auth=None, summary="Exhibitions (no login)")
    @paginate(PageNumberPagination, page_size=50)
    def exhibition_list(request, campaign: str | None = None):
        """The exhibitions of one published campaign (``?campaign=<slug>``, default the current one)."""
        from campaigns.selectors import campaign_light

        found = campaign_light(slug=campaign or "")
        if found is None and campaign:
            raise HttpError(404, _("There is no campaign %(slug)s.") % {"slug": campaign})
        return selectors.exhibition_list(campaign=found)

    @router.get("/exhibitions/{int:exhibition_id}", response={200: ExhibitionDetailOut, 404: ErrorOut}, auth=None,
                summary="One exhibition with its tour (no login)")
    def exhibition_detail(request, exhibition_id: int):
        try:
            return selectors.exhibition_get(pk=exhibition_id)
        except Http404:
            raise HttpError(404, _("There is no such exhibition.")) from None

    @router.get("/bases/", response=list[BaseOut], auth=None, summary="Education bases (no login)")
    @paginate(PageNumberPagination, page_size=50)
    def base_list(request, filters: Query[BaseFilters]):
        district = None
        if filters.district:
            district = District.objects.filter(code=filters.district).first()
            if district is None:
                raise HttpError(422, _("Unknown district."))
        return selectors.base_list(district=district, search=filters.q or "")

    @router.get("/bases/managed/", response=list[BaseFiguresOut], summary="The bases you run, with their figures")
    @paginate(PageNumberPagination, page_size=50)
    def bases_managed(request):
        require(request.auth, "bases.manage")
        return selectors.bases_managed(user=request.auth)

    @router.get("/bases/{int:base_id}/slots/", response={200: list[SlotOut], 404: ErrorOut}, auth=None,
                summary="A base's open slots with the places left (no login)")
    def slot_list(request, base_id: int):
        try:
            base = selectors.base_get_public(pk=base_id)
        except Http404:
            raise HttpError(404, _("There is no such base.")) from None
        return selectors.open_slots(base=base)

    @router.post("/bases/{int:base_id}/slots/", response={201: SlotOut, 400: ExhibitionFieldErrorsOut, 404: ErrorOut},
                 summary="Open a slot at a base you run")
    def slot_create(request, base_id: int, payload: SlotIn):
        base = _managed_base(request, base_id)
        try:
            slot = services.slot_create(actor=request.auth, base=base, **payload.dict())
        except ValidationError as error:
            return _errors(error)
        slot.booked, slot.free = 0, slot.capacity
        return Status(201, slot)

    @router.get("/visits/", response=list[VisitOut], summary="Bookings you may see")
    @paginate(PageNumberPagination, page_size=50)
    def visit_list(request, filters: Query[VisitFilters]):
        require(request.auth, "bases.manage")
        base = None
        if filters.base_id:
            base = selectors.bases_managed(user=request.auth).filter(pk=filters.base_id).first()
        return selectors.visit_list(user=request.auth, base=base, state=filters.state or "",
                                    date_from=filters.date_from, date_to=filters.date_to)

    @router.post("/visits/", response={201: VisitOut, 400: ExhibitionFieldErrorsOut, 403: ErrorOut, 404: ErrorOut},
                 summary="Book a visit for your unit (capacity is enforced)")
    def visit_create(request, payload: VisitIn):
        require(request.auth, "bases.book")
        units = list(Unit.objects.filter(pk__in=unit_ids(request.auth), is_active=True).order_by("pk"))
        unit = next((u for u in units if u.pk == payload.unit_id), None) if payload.unit_id else units[0]
        if unit is None:
            raise HttpError(403, _("You may not do this."))
        slot = BaseSlot.objects.filter(pk=payload.slot_id, base__is_active=True).first()
        if slot is None:
            raise HttpError(404, _("There is no such slot."))
        data = payload.dict(exclude={"slot_id", "unit_id"})
        data["group_kind"] = str(data["group_kind"])
        try:
            visit = services.visit_book(slot=slot, actor=request.auth, unit=unit, **data)
        except ValidationError as error:
            return _errors(error)
        return Status(201, selectors.visit_get_visible(user=request.auth, pk=visit.pk))

    @router.get("/visits/{int:visit_id}", response={200: VisitOut, 404: ErrorOut}, summary="One booking")
    def visit_detail(request, visit_id: int):
        return _visit(request, visit_id)

    @router.post("/visits/{int:visit_id}/transitions/{name}",
                 response={200: VisitOut, 400: ExhibitionFieldErrorsOut, 404: ErrorOut, 409: ErrorOut},
                 summary="Decide a booking: confirm, decline, no_show, cancel")
    def visit_transition(request, visit_id: int, name: str):
        visit = _visit(request, visit_id)
        if name not in services.VISIT_SERVICES:
            raise HttpError(404, _("Unknown action."))
        kwargs = {"reason": _transition_payload(request).reason} if name in ("decline", "cancel") else {}
        try:
            services.VISIT_SERVICES[name](actor=request.auth, visit=visit, **kwargs)
        except TransitionNotAllowed as error:
            return Status(409, {"detail": error.message})
        return selectors.visit_get_visible(user=request.auth, pk=visit.pk)

    return router


router = build_router()
