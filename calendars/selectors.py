"""Reads of the holiday calendar."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from .models import CalendarYear, Holiday


def calendar_years() -> list[dict]:
    """Every year that has days or coverage, newest first: counts of holidays and adjusted working days,
    and whether (and how) the year is covered. Two queries."""
    counts = {row["year"]: row for row in Holiday.objects.annotate(year=ExtractYear("date")).values("year").annotate(
        holidays=Count("id", filter=Q(kind=Holiday.Kind.HOLIDAY)),
        workdays=Count("id", filter=Q(kind=Holiday.Kind.WORKDAY)),
        organiser=Count("id", filter=Q(source="organiser")))}
    covered = {c.year: c for c in CalendarYear.objects.all()}
    years = []
    for year in sorted(set(counts) | set(covered), reverse=True):
        row = counts.get(year, {})
        years.append({"year": year, "holidays": row.get("holidays", 0), "workdays": row.get("workdays", 0),
                      "organiser": row.get("organiser", 0), "covered": covered.get(year)})
    return years


def days_of_year(year: int, *, kind: str = ""):
    days = Holiday.objects.filter(date__year=year)
    if kind:
        days = days.filter(kind=kind)
    return days.order_by("date")
