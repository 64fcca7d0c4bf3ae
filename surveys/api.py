"""The survey's REST endpoints (mounted by the lead: ``api.add_router("/surveys/", "surveys.api.router")``).

GET  /surveys/{id}/results    the guarded aggregates (organisers; others 404), optional crosstab
POST /surveys/{id}/responses  one response, through the same service as the answer page (anonymous)
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import Router, Schema, Status

from core.middleware import client_ip

from . import selectors, services
from .models import AnswerCode, SurveyLink
from .views import REFUSAL_STATUS, device_id, is_new_device, set_device_cookie

router = Router(tags=["surveys"])


class ResponseIn(Schema):
    token: str  # a survey link's token or a one-time answer code 填答码
    consent: bool
    answers: dict[str, Any]  # {"q1": 2, "q19": [1, 4], "q19_other": "…", "q8": 50}
    contact_name: str = ""
    contact_phone: str = ""


class ResponseOut(Schema):
    id: int
    submitted_at: str


class Problem(Schema):
    detail: str
    reason: str = ""
    errors: dict[str, list[str]] = {}


def _entry(survey_id: int, token: str) -> services.Entry:
    # [:1] of an unordered query: first() would add ORDER BY id, which a unique token does not need.
    link = next(iter(SurveyLink.objects.select_related("survey", "unit").filter(token=token, survey_id=survey_id)
                     .order_by()[:1]), None)
    if link is not None:
        return services.Entry(survey=link.survey, link=link)
    code = next(iter(AnswerCode.objects.select_related("survey", "unit").filter(code=token.strip().upper(),
                                                                                survey_id=survey_id).order_by()[:1]),
                None)
    if code is not None:
        return services.Entry(survey=code.survey, code=code)
    raise Http404


@router.get("/{survey_id}/results", response=dict, url_name="survey_results")
def survey_results(request, survey_id: int, unit: int | None = None, district: int | None = None,
                   date_from: date | None = None, date_to: date | None = None, target: int | None = None,
                   by: int | None = None):
    """Counts, percentages, means; groups of fewer than 5 respondents are null or merged."""
    survey = selectors.survey_for(request.user, survey_id)
    questions = selectors.questions_of(survey)
    filters = selectors.Filters(unit=unit, district=district, date_from=date_from, date_to=date_to)
    results = selectors.survey_results(survey=survey, questions=questions, filters=filters).as_dict()
    results["crosstab"] = None
    by_id = {q.pk: q for q in questions}
    if target and by and not results["too_small"]:
        target_q, by_q = by_id.get(target), by_id.get(by)
        if target_q is None or by_q is None or target == by or not by_q.is_grouping or not (
                target_q.is_choice or target_q.is_numeric and target_q.kind == "scale"):
            raise Http404
        results["crosstab"] = selectors.crosstab(survey=survey, target=target_q, by=by_q, filters=filters)
    return results


@router.post("/{survey_id}/responses", auth=None, response={201: ResponseOut, 400: Problem, 403: Problem,
                                                           409: Problem, 429: Problem},
             url_name="survey_respond")
def survey_respond(request, survey_id: int, payload: ResponseIn, response: HttpResponse):
    """Submit one response: the page's validation, device dedup (signed cookie), 填答码 and throttle."""
    entry = _entry(survey_id, payload.token)
    device = device_id(request)
    set_device_cookie(request, response)
    try:
        created = services.response_submit(
            entry=entry, questions=selectors.questionnaire(entry.survey), device_id=device, raw=payload.answers,
            consent=payload.consent, contact={"name": payload.contact_name, "phone": payload.contact_phone},
            forget_draft=not is_new_device(request, device), client=client_ip(request) or "unknown",
        )
    except services.SurveyRefused as exc:
        return Status(REFUSAL_STATUS[exc.reason], {"detail": exc.message, "reason": exc.reason})
    except ValidationError as exc:
        return Status(400, {"detail": "invalid", "reason": "invalid", "errors": exc.message_dict})
    return Status(201, {"id": created.pk, "submitted_at": created.submitted_at.isoformat()})
