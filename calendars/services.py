"""Every write to the holiday calendar: the official load, the organisers' days and their paste of a year."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit_record

from .models import CalendarYear, Holiday, Source
from .official import official_days, package_version
from .paste import PasteError, parse_arrangements

MANAGE = "calendars.manage"


def official_load(*, holiday_model=Holiday, year_model=CalendarYear, actor=None) -> dict:
    """Bring the calendar in line with the ``chinesecalendar`` package; idempotent (``manage.py load_holidays``).

    An organiser's entry for a date wins over the package's; official rows the package no longer lists
    (a correction) are removed; each year the package covers is recorded as covered. Also used by the
    data migration, with its historical models.
    """
    years, days = official_days()
    wanted = {d: (kind, name) for d, kind, name in days}
    counts = {"created": 0, "updated": 0, "removed": 0, "years_added": 0}
    with transaction.atomic():
        existing = {h.date: h for h in holiday_model.objects.filter(date__year__in=years)}
        new_rows = []
        for day, (kind, name) in wanted.items():
            row = existing.get(day)
            if row is None:
                new_rows.append(holiday_model(date=day, kind=kind, name=name, source=Source.OFFICIAL))
            elif row.source == Source.OFFICIAL and (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name", "updated_at"])
                counts["updated"] += 1
        holiday_model.objects.bulk_create(new_rows)
        counts["created"] = len(new_rows)
        stale = [row.pk for day, row in existing.items() if row.source == Source.OFFICIAL and day not in wanted]
        counts["removed"] = holiday_model.objects.filter(pk__in=stale).delete()[0] if stale else 0
        known = set(year_model.objects.values_list("year", flat=True))
        version = package_version()
        year_model.objects.bulk_create([year_model(year=y, source=Source.OFFICIAL, package_version=version)
                                        for y in years if y not in known])
        counts["years_added"] = len([y for y in years if y not in known])
        counts["years"] = f"{years[0]}–{years[-1]}" if years else ""
        if holiday_model is Holiday and (counts["created"] or counts["updated"] or counts["removed"]
                                         or counts["years_added"]):
            audit_record(action="calendars.official.loaded", actor=actor,
                         changes={**counts, "package_version": version})
    return counts


def _check_day(*, day: date, kind: str, name: str, instance: Holiday | None) -> None:
    errors = {}
    if kind not in Holiday.Kind.values:
        errors["kind"] = [_("Choose holiday or adjusted working day.")]
    if not (name or "").strip():
        errors["name"] = [_("Give the holiday's name (元旦, 春节…).")]
    clash = Holiday.objects.filter(date=day).exclude(pk=instance.pk if instance else None).first()
    if clash is not None:
        errors["date"] = [_("%(date)s is already in the calendar (%(name)s); edit that entry instead.")
                          % {"date": day.isoformat(), "name": clash.name}]
    if errors:
        raise ValidationError(errors)


def day_create(*, actor, date: date, kind: str, name: str) -> Holiday:
    """An organiser adds one day (an override or an addition; a year is covered only once entered whole)."""
    require(actor, MANAGE)
    _check_day(day=date, kind=kind, name=name, instance=None)
    with transaction.atomic():
        holiday = Holiday.objects.create(date=date, kind=kind, name=name.strip(), source=Source.ORGANISER)
        audit_record(action="calendars.day.created", actor=actor, obj=holiday,
                     changes={"date": date, "kind": kind, "name": holiday.name})
    return holiday


def day_update(*, actor, holiday: Holiday, date: date, kind: str, name: str) -> Holiday:
    """An organiser corrects a day; it becomes the organisers' (load_holidays no longer changes it)."""
    require(actor, MANAGE)
    _check_day(day=date, kind=kind, name=name, instance=holiday)
    with transaction.atomic():
        locked = Holiday.objects.select_for_update().get(pk=holiday.pk)
        before = {"date": locked.date, "kind": locked.kind, "name": locked.name, "source": locked.source}
        locked.date, locked.kind, locked.name, locked.source = date, kind, name.strip(), Source.ORGANISER
        locked.save()
        audit_record(action="calendars.day.updated", actor=actor, obj=locked,
                     changes={"before": before, "after": {"date": date, "kind": kind, "name": locked.name}})
    return locked


def day_delete(*, actor, holiday: Holiday) -> None:
    require(actor, MANAGE)
    with transaction.atomic():
        audit_record(action="calendars.day.deleted", actor=actor, obj=holiday,
                     changes={"date": holiday.date, "kind": holiday.kind, "name": holiday.name,
                              "source": holiday.source})
        holiday.delete()


def year_paste(*, actor, year: int, text: str) -> list[Holiday]:
    """Enter a whole year from the State Council's notice: its days replace the year's, and the year is covered.

    Nothing changes when a line cannot be read (ValidationError naming the line).
    """
    require(actor, MANAGE)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    try:
        days = parse_arrangements(year, text or "")
    except PasteError as exc:
        raise ValidationError({"text": [str(exc)]}) from None
    with transaction.atomic():
        dates = [d for d, _kind, _name in days]
        removed = Holiday.objects.filter(date__year=year).exclude(date__in=dates).delete()[0]
        Holiday.objects.filter(date__in=dates).delete()
        rows = Holiday.objects.bulk_create(
            [Holiday(date=d, kind=k, name=n, source=Source.ORGANISER) for d, k, n in days])
        CalendarYear.objects.update_or_create(year=year, defaults={"source": Source.ORGANISER, "recorded_by": actor,
                                                                   "package_version": ""})
        audit_record(action="calendars.year.pasted", actor=actor,
                     changes={"year": year, "days": [(d, k, n) for d, k, n in days], "removed_other_days": removed})
    return rows


def year_cover(*, actor, year: int) -> CalendarYear:
    """The organisers declare a year's arrangement complete after entering its days one by one."""
    require(actor, MANAGE)
    if not Holiday.objects.filter(date__year=year, kind=Holiday.Kind.HOLIDAY).exists():
        raise ValidationError(_("Enter the holidays of %(year)d before declaring the year complete.") % {"year": year})
    with transaction.atomic():
        covered, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": Source.ORGANISER, "recorded_by": actor})
        if created:
            audit_record(action="calendars.year.covered", actor=actor, obj=covered, changes={"year": year})
    return covered
