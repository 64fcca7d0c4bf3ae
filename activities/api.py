"""The activities API: the same services and permissions as the pages (mount with
``api.add_router("/", "activities.api.router")``)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from accounts.permissions import is_organiser, require, unit_ids
from api.pagination import PageNumberPagination, paginate
from campaigns.models import ActivityForm as FormOfActivity
from campaigns.selectors import current_campaign
from core.exceptions import TransitionNotAllowed
from core.links import HttpLink
from organisations.models import District, Unit

from . import selectors, services
from .models import Audience, Mode, PlanKind, State


class ErrorOut(Schema):
    detail: str


class ActivityFieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Messages by field.")


class ActivityIn(Schema):
    unit_id: int | None = Field(None, description="The host unit; needed only by a coordinator of several units.")
    form_id: int = Field(description="The activity form (形式); its category follows from it.")
    title: str = Field(max_length=200)
    mode: Mode
    starts_at: datetime
    ends_at: datetime
    district: str | None = Field(None, description="District code, for offline and hybrid activities.")
    address: str = ""
    platform: str = ""
    link: HttpLink = Field("", max_length=500, description="An http:// or https:// address (nothing else).")
    audiences: list[Audience] = []
    expected_participants: int = Field(0, ge=0)
    joint_st_week: bool = False
    contact_person: str = Field(max_length=50)
    contact_phone: str = Field(max_length=30)
    show_contact_phone: bool = False
    description: str = ""
    partner_units: str = ""
    frugality_pledge: bool = False


class ActivityPatch(Schema):
    form_id: int | None = None
    title: str | None = Field(None, max_length=200)
    mode: Mode | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    district: str | None = None
    address: str | None = None
    platform: str | None = None
    link: HttpLink | None = Field(None, max_length=500, description="An http:// or https:// address.")
    audiences: list[Audience] | None = None
    expected_participants: int | None = Field(None, ge=0)
    joint_st_week: bool | None = None
    contact_person: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)
    show_contact_phone: bool | None = None
    description: str | None = None
    partner_units: str | None = None
    frugality_pledge: bool | None = None


class ActivityOut(Schema):
    id: int
    unit_id: int
    unit: str
    category: str
    form_id: int
    form: str
    title: str
    mode: str
    state: str
    starts_at: datetime
    ends_at: datetime
    district: str | None
    address: str
    platform: str
    link: str
    audiences: list[str]
    expected_participants: int
    joint_st_week: bool
    contact_person: str
    contact_phone: str
    show_contact_phone: bool
    description: str
    partner_units: str
    frugality_pledge: bool
    return_reason: str
    cancel_reason: str
    actual_participants: int | None
    online_views: int | None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_form(obj):
        return obj.form.name

    @staticmethod
    def resolve_district(obj):
        return obj.district.code if obj.district else None


def _published(name: str):
    return staticmethod(lambda obj: (obj.published or {}).get(name))


class PublicActivityOut(Schema):
    """The published (last approved) version of an activity; nothing private."""

    id: int
    title: str
    unit: str
    category: str
    form: str
    mode: str
    starts_at: str
    ends_at: str
    district: str
    address: str
    platform: str
    link: str
    joint_st_week: bool
    cancelled: bool

    resolve_title = _published("title")
    resolve_unit = _published("unit")
    resolve_category = _published("category")
    resolve_form = _published("form")
    resolve_mode = _published("mode")
    resolve_starts_at = _published("starts_at")
    resolve_ends_at = _published("ends_at")
    resolve_district = _published("district")
    resolve_address = _published("address")
    resolve_platform = _published("platform")
    resolve_link = _published("link")
    resolve_joint_st_week = _published("joint_st_week")

    @staticmethod
    def resolve_cancelled(obj):
        return obj.state == State.CANCELLED


class AssetOut(Schema):
    """A stored file: its public id and where to fetch it (the download checks permissions)."""

    id: int
    asset: str
    name: str
    content_type: str
    url: str


class PlanOut(AssetOut):
    kind: PlanKind


def _asset_out(obj, request, **extra) -> dict:
    from django.urls import reverse

    asset = obj.asset
    return {"id": obj.pk, "asset": str(asset.public_id), "name": asset.original_name,
            "content_type": asset.content_type,
            "url": request.build_absolute_uri(reverse("uploads:asset", args=[asset.public_id])), **extra}


class CoverageIn(Schema):
    outlet: str = Field(max_length=100)
    title: str = Field(max_length=200)
    link: HttpLink = Field("", max_length=500, description="An http:// or https:// address (nothing else).")
    date: date


class ActivityTransitionIn(Schema):
    reason: str = Field("", description="Required to return or cancel.")
    actual_participants: int | None = Field(None, ge=0, description="Required to report.")
    online_views: int | None = Field(None, ge=0)
    outcome: str = ""
    coverage: list[CoverageIn] = []


class ActivityFilters(Schema):
    campaign: str | None = Field(None, description="Campaign slug (as in /c/<slug>/); default: the current "
                                 "campaign.")
    category: str | None = Field(None, description="Category code (within the campaign).")
    unit_type: str | None = None
    district: str | None = Field(None, description="District code.")
    mode: Mode | None = None
    state: State | None = None
    date_from: date | None = None
    date_to: date | None = None
    st_week: bool | None = None
    q: str | None = None


def _campaign(filters: ActivityFilters, *, user=None):
    """The campaign a list is scoped to: the ``campaign`` slug asked for (published ones, or any for organisers),
    else the current one. An unknown slug answers 404."""
    from campaigns.selectors import campaign_light

    campaign = campaign_light(slug=filters.campaign or "", published_only=not is_organiser(user))
    if campaign is None and filters.campaign:
        raise HttpError(404, _("There is no campaign %(slug)s.") % {"slug": filters.campaign})
    return campaign


def _filters(filters: ActivityFilters, *, public: bool = False, campaign=None) -> dict:
    result = {
        "category": None, "district": None, "mode": filters.mode or "", "date_from": filters.date_from,
        "date_to": filters.date_to, "st_week": filters.st_week, "search": filters.q or "",
    }
    if filters.category:
        from campaigns.models import Category

        categories = Category.objects.filter(code=filters.category)
        if campaign is not None:
            categories = categories.filter(campaign=campaign)
        result["category"] = categories.first()
        if result["category"] is None:
            raise HttpError(422, _("Unknown category."))
    if filters.district:
        result["district"] = District.objects.filter(code=filters.district).first()
        if result["district"] is None:
            raise HttpError(422, _("Unknown district."))
    if not public:
        result |= {"unit_type": filters.unit_type or "", "state": filters.state or ""}
    return result


def _values(payload: dict) -> dict:
    """Schema fields -> service keyword arguments (objects looked up, 400 on unknown references)."""
    values = dict(payload)
    errors = {}
    if "form_id" in values:
        form = FormOfActivity.objects.select_related("category").filter(pk=values.pop("form_id")).first()
        if form is None:
            errors["form_id"] = [_("Unknown activity form.")]
        else:
            values["form"], values["category"] = form, form.category
    if "district" in values:
        code = values.pop("district")
        values["district"] = District.objects.filter(code=code).first() if code else None
        if code and values["district"] is None:
            errors["district"] = [_("Unknown district.")]
    if "audiences" in values:
        values["audiences"] = [str(a) for a in values["audiences"]]
    if "mode" in values:
        values["mode"] = str(values["mode"])
    if errors:
        raise _BadRequest(errors)
    return values


class _BadRequest(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


def _error_response(error) -> Status:
    if isinstance(error, _BadRequest):
        return Status(400, {"detail": _("Some fields are not valid."), "errors": error.errors})
    if hasattr(error, "error_dict"):
        return Status(400, {"detail": _("Some fields are not valid."), "errors": error.message_dict})
    return Status(400, {"detail": " ".join(error.messages), "errors": {"__all__": error.messages}})


def _get(request, activity_id: int):
    """The activity if the caller may see it; 404 otherwise (another unit's answers as missing)."""
    from django.http import Http404

    try:
        return selectors.activity_get_visible(user=request.auth, pk=activity_id)
    except Http404:
        raise HttpError(404, _("There is no such activity, or it is not yours to see.")) from None


def _transition_payload(request) -> ActivityTransitionIn:
    """The optional JSON body of a transition (ActivityTransitionIn); an empty body means no details."""
    body = request.body.strip() if request.content_type == "application/json" else b""
    try:
        return ActivityTransitionIn.model_validate_json(body or b"{}")
    except PydanticValidationError as error:
        raise NinjaValidationError(error.errors(include_url=False, include_context=False, include_input=False)) \
            from None


def build_router() -> Router:
    """A fresh router (a ninja router can be mounted on one API only; tests mount their own)."""
    router = Router(tags=["activities"])

    @router.get("/activities/", response=list[ActivityOut], summary="Activities you may see")
    @paginate(PageNumberPagination, page_size=50)
    def activity_list(request, filters: Query[ActivityFilters]):
        require(request.auth, "activities.manage")
        campaign = _campaign(filters, user=request.auth)
        return selectors.activity_list(user=request.auth, campaign=campaign,
                                       **_filters(filters, campaign=campaign))

    @router.post("/activities/", response={201: ActivityOut, 400: ActivityFieldErrorsOut, 403: ErrorOut},
                 summary="Register an activity (a draft)")
    def activity_create(request, payload: ActivityIn):
        require(request.auth, "activities.create")
        data = payload.dict()
        unit_id = data.pop("unit_id", None)
        units = list(Unit.objects.filter(pk__in=unit_ids(request.auth), is_active=True).order_by("pk"))
        unit = next((u for u in units if u.pk == unit_id), None) if unit_id else (units[0] if units else None)
        if unit is None:
            raise PermissionDenied("activity.create")
        campaign = current_campaign(published_only=not is_organiser(request.auth))
        try:
            activity = services.activity_create(actor=request.auth, unit=unit, campaign=campaign, **_values(data))
        except (ValidationError, _BadRequest) as error:
            return _error_response(error)
        return Status(201, selectors.activity_get_visible(user=request.auth, pk=activity.pk))

    @router.get("/activities/{int:activity_id}", response={200: ActivityOut, 404: ErrorOut}, summary="One activity")
    def activity_detail(request, activity_id: int):
        return _get(request, activity_id)

    @router.patch("/activities/{int:activity_id}", response={200: ActivityOut, 400: ActivityFieldErrorsOut, 404: ErrorOut,
                                                            409: ErrorOut},
                  summary="Change an activity (an approved one goes back to review)")
    def activity_update(request, activity_id: int, payload: ActivityPatch):
        activity = _get(request, activity_id)
        if not activity.is_editable and request.auth and activity.unit_id in unit_ids(request.auth):
            return Status(409, {"detail": _("This activity cannot be changed while it is “%(state)s”.")
                                % {"state": activity.get_state_display()}})
        try:
            services.activity_update(actor=request.auth, activity=activity,
                                     **_values(payload.dict(exclude_unset=True)))
        except (ValidationError, _BadRequest) as error:
            return _error_response(error)
        return selectors.activity_get_visible(user=request.auth, pk=activity.pk)

    @router.post("/activities/{int:activity_id}/transitions/{name}",
                 response={200: ActivityOut, 400: ActivityFieldErrorsOut, 404: ErrorOut, 409: ErrorOut},
                 summary="Move an activity: submit, withdraw, approve, return, report, recommend, recommend_up, "
                         "cancel")
    def activity_transition(request, activity_id: int, name: str):
        activity = _get(request, activity_id)
        payload = _transition_payload(request)
        if name not in services.ACTIONS:
            raise HttpError(404, _("Unknown action."))
        kwargs = {}
        if name in ("return", "cancel"):
            kwargs["reason"] = payload.reason
        if name == "report":
            kwargs = {"actual_participants": payload.actual_participants, "online_views": payload.online_views,
                      "outcome": payload.outcome, "coverage": [c.dict() for c in payload.coverage]}
        try:
            services.activity_transition(actor=request.auth, activity=activity, action=name, **kwargs)
        except TransitionNotAllowed as error:
            return Status(409, {"detail": error.message})
        except ValidationError as error:
            return _error_response(error)
        return selectors.activity_get_visible(user=request.auth, pk=activity.pk)

    @router.post("/activities/{int:activity_id}/plans/{kind}",
                 response={201: PlanOut, 400: ActivityFieldErrorsOut, 404: ErrorOut, 409: ErrorOut},
                 summary="Upload (or replace) one plan of an activity: epidemic, security or emergency")
    def plan_upload(request, activity_id: int, kind: str, file: File[UploadedFile]):
        activity = _get(request, activity_id)
        if kind not in PlanKind.values:
            raise HttpError(404, _("Unknown plan."))
        if not activity.is_editable and activity.unit_id in unit_ids(request.auth):
            return Status(409, {"detail": _("This activity cannot be changed while it is “%(state)s”.")
                                % {"state": activity.get_state_display()}})
        try:
            plan = services.activity_plan_attach(actor=request.auth, activity=activity, kind=kind, uploaded_file=file)
        except ValidationError as error:
            return _error_response(error)
        return Status(201, _asset_out(plan, request, kind=plan.kind))

    @router.post("/activities/{int:activity_id}/photos",
                 response={201: list[AssetOut], 400: ActivityFieldErrorsOut, 404: ErrorOut, 409: ErrorOut},
                 summary="Add photos to a reported outcome (multipart, field “files”, several allowed)")
    def photos_upload(request, activity_id: int, files: File[list[UploadedFile]]):
        activity = _get(request, activity_id)
        before = set(activity.photos.values_list("pk", flat=True))
        try:
            services.activity_media_add(actor=request.auth, activity=activity, photos=files)
        except TransitionNotAllowed as error:
            return Status(409, {"detail": error.message})
        except ValidationError as error:
            return _error_response(error)
        added = activity.photos.exclude(pk__in=before).select_related("asset").order_by("pk")
        return Status(201, [_asset_out(photo, request) for photo in added])

    @router.get("/public/activities/", response=list[PublicActivityOut], auth=None,
                summary="Published activities (no login)")
    @paginate(PageNumberPagination, page_size=50)
    def public_list(request, filters: Query[ActivityFilters]):
        """The published activities of one campaign (``?campaign=<slug>``, default the current one)."""
        campaign = _campaign(filters)
        return selectors.public_snapshots(campaign=campaign, **_filters(filters, public=True, campaign=campaign))

    return router


router = build_router()
