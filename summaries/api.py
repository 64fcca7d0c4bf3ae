"""The summaries API router (mounted at /api/v1/ by api/urls.py); paths are absolute from there.

The same services and permissions as the pages: a coordinator reads and writes their own unit's
summary, the receiving office (and administrators) read, accept, return and extend.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from accounts import permissions
from campaigns.models import Campaign
from core.exceptions import TransitionNotAllowed
from organisations.models import Office, Unit

from . import selectors, services
from .models import Summary

router = Router(tags=["summaries"])


class SummaryErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class HighlightIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=10000)
    activity_ids: list[int] = []


class SummaryIn(Schema):
    work_done: str = Field("", max_length=50000)
    results: str = Field("", max_length=50000)
    experience: str = Field("", max_length=50000)
    suggestions: str = Field("", max_length=50000)
    highlights: list[HighlightIn] = []


class SummaryTransitionIn(Schema):
    reason: str = Field("", max_length=5000, description="return: what to revise; extend: why")
    until: datetime.date | None = Field(None, description="extend: the unit's new deadline")


def _invalid(error: ValidationError):
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Reply(422, {"detail": _("The input is not valid."), "errors": errors})


def _not_found():
    return Reply(404, {"detail": _("There is no such summary, or it is not yours to see.")})


def _lookup(request, campaign: str, unit: int):
    """(campaign, unit, summary) that the caller may see; None where it must answer 404."""
    campaign_obj = Campaign.objects.filter(slug=campaign).first()
    unit_obj = Unit.objects.filter(pk=unit).first()
    if campaign_obj is None or unit_obj is None:
        return None
    summary = selectors.summary_for(campaign=campaign_obj, unit=unit_obj)
    if summary is None:
        if not (permissions.can(request.auth, "summary.edit", unit_obj)
                or permissions.can(request.auth, "summaries.office", campaign_obj.office_for(unit_obj.unit_type))):
            return None
    elif not permissions.can(request.auth, "summary.view", summary):
        return None
    return campaign_obj, unit_obj, summary


def _out(campaign: Campaign, unit: Unit, summary: Summary | None) -> dict:
    figures = selectors.unit_figures(campaign=campaign, unit=unit)
    office = summary.office if summary and summary.office else campaign.office_for(unit.unit_type)
    return {
        "campaign": campaign.slug, "unit_id": unit.pk, "unit": unit.name,
        "office": office.code if office else None,
        "state": summary.state if summary else selectors.NOT_STARTED,
        "is_late": bool(summary and summary.is_late),
        "deadline": selectors.deadline_date_for(campaign=campaign, unit=unit).isoformat(),
        "submitted_at": summary.submitted_at.isoformat() if summary and summary.submitted_at else None,
        "return_reason": summary.return_reason if summary else "",
        **{f: getattr(summary, f) if summary else "" for f in services.TEXT_FIELDS},
        "highlights": [{"id": h.pk, "title": h.title, "text": h.text, "is_starred": h.is_starred,
                        "activity_ids": [a.pk for a in h.activities.all()]}
                       for h in (summary.highlights.all() if summary else [])],
        "attachments": [{"id": a.pk, "kind": a.kind, "url": a.asset.get_absolute_url(),
                         "name": a.asset.original_name} for a in (summary.attachments.all() if summary else [])],
        "figures": figures,
    }


@router.get("/summaries/{campaign}/{int:unit}", response={200: dict, 404: SummaryErrorOut}, summary="A unit's summary")
def summary_get(request, campaign: str, unit: int):
    found = _lookup(request, campaign, unit)
    return Reply(200, _out(*found)) if found else _not_found()


@router.put("/summaries/{campaign}/{int:unit}", response={200: dict, 403: SummaryErrorOut, 404: SummaryErrorOut, 422: SummaryErrorOut},
            summary="Save the unit's summary (a draft)")
def summary_put(request, campaign: str, unit: int, payload: SummaryIn):
    found = _lookup(request, campaign, unit)
    if not found:
        return _not_found()
    campaign_obj, unit_obj, _summary = found
    data = payload.dict()
    try:
        services.summary_save(actor=request.auth, campaign=campaign_obj, unit=unit_obj, **data)
    except PermissionDenied:
        return Reply(403, {"detail": _("You may not do this.")})
    except ValidationError as error:
        return _invalid(error)
    return Reply(200, _out(campaign_obj, unit_obj, selectors.summary_for(campaign=campaign_obj, unit=unit_obj)))


@router.post("/summaries/{campaign}/{int:unit}/transitions/{name}",
             response={200: dict, 403: SummaryErrorOut, 404: SummaryErrorOut, 409: SummaryErrorOut, 422: SummaryErrorOut},
             summary="submit, withdraw (the unit); accept, return, extend (the receiving office)")
def summary_transition(request, campaign: str, unit: int, name: str, payload: SummaryTransitionIn):
    found = _lookup(request, campaign, unit)
    if not found:
        return _not_found()
    campaign_obj, unit_obj, summary = found
    try:
        if name == "extend":
            if payload.until is None:
                raise ValidationError({"until": [_("Give the new deadline.")]})
            services.extension_grant(actor=request.auth, campaign=campaign_obj, unit=unit_obj, until=payload.until,
                                     reason=payload.reason)
        elif name in services.ACTIONS:
            if summary is None:
                return Reply(409, {"detail": _("The unit has not written a summary yet.")})
            services.summary_transition(actor=request.auth, summary=summary, action=name, reason=payload.reason)
        else:
            return _not_found()
    except TransitionNotAllowed as error:
        return Reply(409, {"detail": error.message})
    except PermissionDenied:
        return Reply(403, {"detail": _("You may not do this.")})
    except ValidationError as error:
        return _invalid(error)
    return Reply(200, _out(campaign_obj, unit_obj, selectors.summary_for(campaign=campaign_obj, unit=unit_obj)))


@router.get("/offices/{code}/board", response={200: dict, 404: SummaryErrorOut},
            summary="The completion board of the units routed to an office")
def office_board(request, code: str, status: str = "", campaign: str = "", page: int = 1):
    from campaigns.selectors import current_campaign

    office = Office.objects.filter(code=code).first()
    if office is None or not permissions.can(request.auth, "summaries.office", office):
        return Reply(404, {"detail": _("There is no such office, or it is not yours to see.")})
    campaign_obj = (Campaign.objects.filter(slug=campaign).first() if campaign
                    else current_campaign(published_only=False))
    if campaign_obj is None:
        return Reply(404, {"detail": _("There is no such campaign.")})
    paginator = Paginator(selectors.board(campaign=campaign_obj, office=office, status=status), 100)
    units = paginator.get_page(page)
    return Reply(200, {
        "office": office.code, "campaign": campaign_obj.slug,
        "counts": selectors.board_counts(campaign=campaign_obj, office=office),
        "page": units.number, "pages": paginator.num_pages,
        "units": [{"unit_id": u.pk, "unit": u.name, "unit_type": u.unit_type, "status": u.board_status,
                   "is_late": bool(u.summary_late), "is_overdue": bool(u.is_overdue_now),
                   "deadline": u.deadline_date.isoformat()} for u in units],
    })
