"""Working-day arithmetic: the one function every deadline rule uses (公示, problem due dates, any "N working days").

A day is a working day when the calendar marks it an adjusted working day (调休), or when it is a
Monday–Friday that the calendar does not mark a holiday. That weekday rule is only trusted inside a year
whose whole arrangement is in the calendar (a ``CalendarYear`` row, written by ``load_holidays`` or by
the organisers' paste): for any other year the computation refuses with ``CalendarNotCovered``, whose
message names the year, instead of guessing.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_WORKING_DAYS = 250


class CalendarNotCovered(ValidationError):
    """A date falls in a year whose holiday arrangement has not been entered (the API answers 409)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _("The holiday arrangements of %(year)d have not been entered yet; enter them first under "
              "“Holiday calendar” (/manage/holidays/).") % {"year": year},
            code="calendar_not_covered")


def covered_years() -> frozenset[int]:
    from .models import CalendarYear

    return frozenset(CalendarYear.objects.values_list("year", flat=True))


def _calendar(start: date, end: date) -> dict[date, str]:
    from .models import Holiday

    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def _working(day: date, marked: dict[date, str], covered: frozenset[int]) -> bool:
    if day.year not in covered:
        raise CalendarNotCovered(day.year)
    kind = marked.get(day)
    if kind is not None:
        return kind == "workday"
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day; CalendarNotCovered when its year is not in the calendar."""
    return _working(day, _calendar(day, day), covered_years())


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of ``days`` working days that begins on ``start`` (counted if it is one).

    Two queries whatever ``days`` is. Raises CalendarNotCovered as soon as the period reaches a year
    that the calendar does not cover, and ValueError for a period shorter than one day or absurdly long.
    """
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise ValueError(f"A period has 1 to {MAX_WORKING_DAYS} working days")
    covered = covered_years()
    if start.year not in covered:
        raise CalendarNotCovered(start.year)
    # Never more than 3 calendar days per working day, plus the longest holiday (Spring Festival).
    marked = _calendar(start, start + timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while True:
        if _working(day, marked, covered):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)
