"""The awards API router (mounted at /api/v1/ by api/urls.py); paths are absolute from there.

The same permissions as the pages: organisers see every nomination, a coordinator their units' ones, an
expert only their own assignments; the ID number and mobile are always masked here (reveal is a page
action, audited). The public notice endpoint shows only what the notice page publishes.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status as Reply

from accounts.permissions import can, require
from api.pagination import PageNumberPagination, paginate
from core.exceptions import TransitionNotAllowed

from . import personal, selectors, services
from .models import Assignment, Nomination, Selection

router = Router(tags=["awards"])


class ErrorOut(Schema):
    detail: str


class NominationOut(Schema):
    id: int
    selection_id: int
    unit_id: int
    unit_name: str
    status: str
    name: str
    gender: str
    birth_date: date | None
    workplace: str
    position: str
    field: str
    mobile_masked: str
    id_number_masked: str
    deeds_summary: str

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_mobile_masked(obj):
        return personal.nominee_mobile(obj)

    @staticmethod
    def resolve_id_number_masked(obj):
        return personal.nominee_id_number(obj)


class AssignmentOut(Schema):
    id: int
    nomination_id: int
    nominee: str
    status: str
    total: Decimal | None
    comment: str

    @staticmethod
    def resolve_nominee(obj):
        return obj.nomination.name


class ScoreIn(Schema):
    scores: dict[int, Decimal]
    comment: str = ""


class FinalistOut(Schema):
    name: str
    workplace: str
    position: str
    deeds_summary: str


class NoticeOut(Schema):
    title: str
    text: str
    start: date
    end: date
    finalists: list[FinalistOut]


@router.get("/awards/nominations/", response=list[NominationOut], url_name="awards_nominations")
@paginate(PageNumberPagination)
def nominations(request, status: str = ""):
    require(request.user, "awards.view")
    qs = selectors.nominations_visible(user=request.user)
    return qs.filter(status=status) if status else qs


@router.get("/awards/nominations/{pk}", response=NominationOut, url_name="awards_nomination")
def nomination(request, pk: int):
    require(request.user, "awards.view")
    return selectors.nomination_get_visible(user=request.user, pk=pk)


@router.get("/awards/assignments/", response=list[AssignmentOut], url_name="awards_assignments")
@paginate(PageNumberPagination)
def assignments(request):
    """An expert's own assignments; organisers see every assignment."""
    require(request.user, "awards.view")
    if can(request.user, "awards.manage"):
        return Assignment.objects.select_related("nomination").order_by("id")
    return selectors.assignments_for_expert(user=request.user)


@router.post("/awards/assignments/{pk}/scores", response={200: AssignmentOut, 409: ErrorOut, 422: ErrorOut},
             url_name="awards_assignment_scores")
def score(request, pk: int, payload: ScoreIn):
    assignment = selectors.assignment_get_for_expert(user=request.user, pk=pk)
    try:
        return services.assignment_score(actor=request.user, assignment=assignment, scores=payload.scores,
                                         comment=payload.comment)
    except ValidationError as error:
        return Reply(422, {"detail": "; ".join(error.messages)})
    except TransitionNotAllowed as error:
        return Reply(409, {"detail": error.message})


@router.get("/awards/public/{slug}/notice", response=NoticeOut, auth=None, url_name="awards_public_notice")
def public_notice(request, slug: str):
    selection = get_object_or_404(Selection, campaign__slug=slug)
    if selection.stage != Selection.Stage.NOTICE:
        raise Http404
    finalists = selection.nominations.filter(status=Nomination.Status.FINALIST).select_related("unit")
    return {"title": str(selection), "text": selection.notice_text, "start": selection.notice_start,
            "end": selection.notice_end,
            "finalists": [{"name": n.name, "workplace": selectors.workplace(n), "position": n.position,
                           "deeds_summary": n.deeds_summary} for n in finalists.order_by("name")]}
