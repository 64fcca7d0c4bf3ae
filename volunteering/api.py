"""The volunteering API router (mounted at /api/v1/ by api/urls.py); paths are absolute from there.

The same permissions as the web pages: staff endpoints need a session or a personal token; only the
programmes and the list of active teams are public. Volunteers' mobiles are always masked here.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from accounts.permissions import can
from api.pagination import PageNumberPagination, paginate
from api.types import ObjectId

from . import selectors, services
from .models import RequestStatus, ServiceRecord, ServiceTeam

router = Router(tags=["volunteering"])


class VolunteeringErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    audience: str
    description: str
    record_count: int
    beneficiary_total: int
    confirmed_hours: Decimal


class PublicTeamOut(Schema):
    id: int
    name: str
    unit: str = Field(..., alias="unit.name")
    fields: list[str]
    districts: list[str]

    @staticmethod
    def resolve_fields(obj):
        return [f.name for f in obj.fields.all()]

    @staticmethod
    def resolve_districts(obj):
        return [d.name for d in obj.districts.all()]


class TeamOut(PublicTeamOut):
    unit_id: int
    leader_id: int | None
    is_active: bool
    member_count: int
    record_count: int
    confirmed_hours: Decimal


class VolunteerOut(Schema):
    id: int
    name: str
    unit_id: int
    workplace: str
    field: str | None = Field(None, alias="field.name")
    title: str
    mobile_masked: str
    registry_number: str
    confirmed_hours: Decimal


class RequestEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    actor_name: str
    created_at: datetime


class RequestOut(Schema):
    id: int
    reference: str
    requester_kind: str
    organisation: str
    need: str
    field_id: int
    district_id: int
    programme_id: int | None
    preferred_from: date | None
    preferred_to: date | None
    status: RequestStatus
    team_id: int | None
    scheduled_for: date | None
    close_reason: str
    created_at: datetime


class SuggestionOut(Schema):
    team_id: int
    team: str
    reason: str


class RequestDetailOut(RequestOut):
    history: list[RequestEventOut]

    @staticmethod
    def resolve_history(obj):
        return list(selectors.request_history(request=obj))


class RequestTransitionIn(Schema):
    team_id: int | None = Field(None, description="match: the team that takes the request")
    scheduled_for: date | None = Field(None, description="schedule: the date of the service")
    note: str = Field("", max_length=1000, description="close: the reason; otherwise optional")


class RecordOut(Schema):
    id: int
    team_id: int
    request_id: int | None
    programme_id: int | None
    date: date
    place: str
    beneficiaries: int
    beneficiary_kind: str
    volunteer_count: int
    confirmed_hours: Decimal


class ConfirmHoursIn(Schema):
    hour_ids: list[int]


class ConfirmHoursOut(Schema):
    confirmed: int


def _need(request, permission: str, obj=None) -> None:
    if not can(request.auth, permission, obj):
        raise PermissionDenied(permission)


def _invalid(error: ValidationError):
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Reply(422, {"detail": _("The input is not valid."), "errors": errors})


def _not_found():
    return Reply(404, {"detail": _("There is no such record, or it is not yours to see.")})


# --- public ------------------------------------------------------------------------------------

@router.get("/volunteering/programmes/", auth=None, response=list[ProgrammeOut],
            summary="Volunteer programmes with their figures (public)")
def programme_list(request):
    return list(selectors.programmes_with_totals())


@router.get("/volunteering/public/teams/", auth=None, response=list[PublicTeamOut],
            summary="Active S&T service teams (public)")
@paginate(PageNumberPagination, page_size=50)
def public_team_list(request):
    return selectors.public_teams()


# --- staff ------------------------------------------------------------------------------------

@router.get("/volunteering/teams/", response=list[TeamOut], summary="Service teams with their totals")
@paginate(PageNumberPagination, page_size=50)
def team_list(request, own: bool = False, field_id: int | None = None):
    _need(request, "volunteering.view")
    return selectors.teams_visible(user=request.auth, own_only=own, field_id=field_id)


@router.get("/volunteering/teams/{int:team_id}", response={200: TeamOut, 404: VolunteeringErrorOut}, summary="One team")
def team_detail(request, team_id: int):
    team = selectors.team_get(pk=team_id)
    if team is None or not can(request.auth, "team.view", team):
        return _not_found()
    return Reply(200, team)


@router.get("/volunteering/volunteers/", response=list[VolunteerOut], summary="Volunteers (mobiles masked)")
@paginate(PageNumberPagination, page_size=50)
def volunteer_list(request, q: str = ""):
    _need(request, "volunteering.view")
    return selectors.volunteers_visible(user=request.auth, search=q)


class RequestFilters(Schema):
    status: RequestStatus | None = None
    q: str = ""


@router.get("/volunteering/requests/", response=list[RequestOut], summary="Requests for service you may see")
@paginate(PageNumberPagination, page_size=50)
def request_list(request, filters: Query[RequestFilters]):
    _need(request, "volunteering.view")
    return selectors.requests_visible(user=request.auth, status=filters.status or "", search=filters.q)


def _visible_request(request, request_id: int):
    service_request = selectors.request_get(pk=request_id)
    if service_request is None or not can(request.auth, "servicerequest.view", service_request):
        return None
    return service_request


@router.get("/volunteering/requests/{int:request_id}", response={200: RequestDetailOut, 404: VolunteeringErrorOut},
            summary="One request for service with its history")
def request_detail(request, request_id: int):
    service_request = _visible_request(request, request_id)
    return Reply(200, service_request) if service_request is not None else _not_found()


@router.get("/volunteering/requests/{int:request_id}/suggestions", response={200: list[SuggestionOut], 404: VolunteeringErrorOut},
            summary="Teams that fit the request, with the reason")
def request_suggestions(request, request_id: int):
    service_request = _visible_request(request, request_id)
    if service_request is None:
        return _not_found()
    return Reply(200, [{"team_id": t.pk, "team": t.name, "reason": reason}
                       for t, reason in selectors.suggest_teams(request=service_request)])


@router.post("/volunteering/requests/{int:request_id}/transitions/{name}",
             response={200: RequestDetailOut, 403: VolunteeringErrorOut, 404: VolunteeringErrorOut, 409: VolunteeringErrorOut, 422: VolunteeringErrorOut},
             summary="Move a request on: match, schedule, confirm, close")
def request_transition(request, request_id: int, name: str, payload: RequestTransitionIn):
    service_request = _visible_request(request, request_id)
    if service_request is None:
        return _not_found()
    details = {"note": payload.note, "scheduled_for": payload.scheduled_for}
    if name == "match":
        details["team"] = ServiceTeam.objects.select_related("unit").filter(pk=payload.team_id).first()
    from core.exceptions import TransitionNotAllowed

    try:
        service_request = services.request_transition(actor=request.auth, request=service_request, action=name,
                                                      **details)
    except TransitionNotAllowed as error:
        return Reply(409, {"detail": error.message})
    except PermissionDenied:
        return Reply(403, {"detail": _("You may not do this.")})
    except ValidationError as error:
        return _invalid(error)
    return Reply(200, service_request)


@router.get("/volunteering/records/", response=list[RecordOut], summary="Service records you may see")
@paginate(PageNumberPagination, page_size=50)
def record_list(request, team_id: ObjectId | None = None):
    _need(request, "volunteering.view")
    return selectors.records_visible(user=request.auth, team_id=team_id)


@router.post("/volunteering/records/{int:record_id}/confirm-hours",
             response={200: ConfirmHoursOut, 403: VolunteeringErrorOut, 404: VolunteeringErrorOut},
             summary="The team leader confirms some volunteers' hours")
def record_confirm_hours(request, record_id: int, payload: ConfirmHoursIn):
    record = ServiceRecord.objects.select_related("team", "team__unit").filter(pk=record_id).first()
    if record is None or not can(request.auth, "team.view", record.team):
        return _not_found()
    try:
        count = services.hours_confirm(actor=request.auth, record=record, hour_ids=payload.hour_ids)
    except PermissionDenied:
        return Reply(403, {"detail": _("You may not do this.")})
    return Reply(200, {"confirmed": count})
