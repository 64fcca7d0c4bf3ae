"""The working-day calculator, public: the same function as every deadline rule (mounted at /api/v1/)."""

from datetime import date

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Reply
from pydantic import Field

from .workdays import MAX_WORKING_DAYS, CalendarNotCovered, add_working_days

router = Router(tags=["calendar"])


class WorkingDaysIn(Schema):
    start: date
    days: int = Field(ge=1, le=MAX_WORKING_DAYS)


class WorkingDaysOut(Schema):
    start: date
    days: int
    end: date


class ErrorOut(Schema):
    detail: str


@router.get("/calendar/working-days", response={200: WorkingDaysOut, 409: ErrorOut}, auth=None,
            summary="The last day of N working days", url_name="calendar_working_days")
def working_days(request, params: Query[WorkingDaysIn]):
    """The period of ``days`` working days that begins on ``start`` (counted if it is a working day) ends on
    ``end``: the rule of the public notice (公示). 409 when the period reaches a year whose holidays are not entered."""
    try:
        end = add_working_days(params.start, params.days)
    except CalendarNotCovered as exc:
        return Reply(409, {"detail": exc.messages[0]})
    except ValueError:
        raise HttpError(422, _("Give between 1 and %(max)d working days.") % {"max": MAX_WORKING_DAYS}) from None
    return {"start": params.start, "days": params.days, "end": end}
