"""The ledger in the REST API, with the permissions of the web pages.

Mount it with ``api.add_router("/problems/", "problems.api.router")``.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from accounts.permissions import can
from api.pagination import PageNumberPagination, paginate
from core.exceptions import TransitionNotAllowed
from organisations.models import Office, Unit

from . import selectors, services
from .models import Category, Source, Status

router = Router(tags=["problems"])


class ProblemErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class ProblemEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    on_date: date
    actor_name: str


class ProblemOut(Schema):
    id: int
    reference: str
    title: str
    category: Category
    source: Source
    status: Status
    responsible_unit_id: int | None
    responsible_office_id: int | None
    due_date: date | None
    is_overdue: bool
    public_summary: str
    resolution: str
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None


class ProblemDetailOut(ProblemOut):
    description: str
    decline_reason: str
    history: list[ProblemEventOut]

    @staticmethod
    def resolve_history(obj):
        return list(selectors.problem_history(problem=obj))


class ProblemFilters(Schema):
    status: Status | None = None
    category: Category | None = None
    overdue: bool = False
    q: str = ""


class ProblemIn(Schema):
    category: Category
    description: str = Field(min_length=1, max_length=5000)
    title: str = Field("", max_length=200)
    source: Source = Source.PHONE
    source_label: str = Field("", max_length=200)
    contact: str = Field("", max_length=100)
    due_date: date | None = None


class ProblemTransitionIn(Schema):
    note: str = Field("", max_length=3000)
    unit_id: int | None = Field(None, description="assign: the responsible unit")
    office_id: int | None = Field(None, description="assign: or the responsible office")
    due_date: date | None = None
    on_date: date | None = Field(None, description="progress: the date of the progress")
    resolution: str = Field("", max_length=3000)
    public_summary: str = Field("", max_length=1000)
    category: Category | None = None


def _invalid(error: ValidationError):
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Reply(422, {"detail": _("The input is not valid."), "errors": errors})


def _not_found():
    return Reply(404, {"detail": _("There is no such problem, or it is not yours to see.")})


def _forbidden():
    return Reply(403, {"detail": _("You may not do this.")})


def _visible(request, problem_id: int):
    return selectors.problems_visible(user=request.auth).filter(pk=problem_id).first()


@router.get("/", response=list[ProblemOut], summary="Problems you may see")
@paginate(PageNumberPagination, page_size=50)
def problem_list(request, filters: Query[ProblemFilters]):
    if not can(request.auth, "problems.ledger"):
        raise PermissionDenied("problems.ledger")
    return selectors.problem_ledger(user=request.auth, status=filters.status or "", category=filters.category or "",
                                    overdue=filters.overdue, search=filters.q)


@router.post("/", response={201: ProblemDetailOut, 403: ProblemErrorOut, 422: ProblemErrorOut},
             summary="Enter a problem received by phone or at a symposium")
def problem_create(request, payload: ProblemIn):
    try:
        problem = services.problem_create(actor=request.auth, **payload.dict())
    except PermissionDenied:
        return _forbidden()
    except ValidationError as error:
        return _invalid(error)
    return Reply(201, problem)


@router.get("/{int:problem_id}", response={200: ProblemDetailOut, 404: ProblemErrorOut}, summary="One problem")
def problem_detail(request, problem_id: int):
    problem = _visible(request, problem_id)
    return Reply(200, problem) if problem is not None else _not_found()


@router.post("/{int:problem_id}/transitions/{name}",
             response={200: ProblemDetailOut, 403: ProblemErrorOut, 404: ProblemErrorOut, 409: ProblemErrorOut, 422: ProblemErrorOut},
             summary="Move a problem on: accept, decline, assign, progress, resolve, confirm, object")
def problem_transition(request, problem_id: int, name: str, payload: ProblemTransitionIn):
    problem = _visible(request, problem_id)
    if problem is None:
        return _not_found()
    details = payload.dict(exclude={"unit_id", "office_id"})
    try:
        details["unit"] = Unit.objects.get(pk=payload.unit_id) if payload.unit_id else None
        details["office"] = Office.objects.get(pk=payload.office_id) if payload.office_id else None
    except (Unit.DoesNotExist, Office.DoesNotExist):
        return _invalid(ValidationError({"unit": [_("There is no such unit or office.")]}))
    try:
        problem = services.problem_transition(actor=request.auth, problem=problem, action=name, **details)
    except TransitionNotAllowed as error:
        return Reply(409, {"detail": error.message})
    except PermissionDenied:
        return _forbidden()
    except ValidationError as error:
        return _invalid(error)
    return Reply(200, problem)
