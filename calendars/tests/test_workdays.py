"""The one working-day function against the official calendar, and its refusal of a year that is not entered."""

import datetime

import chinese_calendar
import pytest
from django.core.management import call_command

from calendars.models import CalendarYear, Holiday
from calendars.workdays import CalendarNotCovered, add_working_days, is_working_day


def _official_end(start: datetime.date, days: int) -> datetime.date:
    day, counted = start, 0
    while True:
        if chinese_calendar.is_workday(day):
            counted += 1
            if counted == days:
                return day
        day += datetime.timedelta(days=1)


def _outcome(compute, start, days):
    try:
        return compute(start, days)
    except (CalendarNotCovered, NotImplementedError):
        return "refused"


@pytest.mark.django_db
def test_every_start_day_2022_to_2026_agrees_with_chinesecalendar_for_3_5_and_7_days():
    disagreements, compared = [], 0
    day = datetime.date(2022, 1, 1)
    while day <= datetime.date(2026, 12, 31):
        for days in (3, 5, 7):
            ours, official = _outcome(add_working_days, day, days), _outcome(_official_end, day, days)
            compared += 1
            if ours != official:
                disagreements.append((day, days, ours, official))
        day += datetime.timedelta(days=1)
    assert compared == 1826 * 3
    assert disagreements == []


@pytest.mark.django_db
def test_the_issue_examples_spring_festival_and_a_make_up_saturday():
    assert add_working_days(datetime.date(2025, 1, 23), 5) == datetime.date(2025, 2, 5)
    assert add_working_days(datetime.date(2026, 2, 10), 5) == datetime.date(2026, 2, 14)  # a 调休 Saturday
    assert is_working_day(datetime.date(2026, 2, 14)) and not is_working_day(datetime.date(2026, 2, 16))


@pytest.mark.django_db
def test_a_year_that_is_not_entered_is_refused_naming_the_year_never_monday_to_friday():
    with pytest.raises(CalendarNotCovered) as refused:
        add_working_days(datetime.date(2027, 3, 1), 5)
    assert refused.value.year == 2027
    assert "2027年节假日安排尚未录入" in refused.value.messages[0] and "/manage/holidays/" in refused.value.messages[0]
    # a period that only starts in a covered year is refused when it reaches the next one
    with pytest.raises(CalendarNotCovered):
        add_working_days(datetime.date(2026, 12, 28), 5)
    with pytest.raises(CalendarNotCovered):
        is_working_day(datetime.date(2030, 5, 6))


@pytest.mark.django_db
def test_load_holidays_is_idempotent_keeps_the_organisers_days_and_records_the_years():
    call_command("load_holidays")
    count = Holiday.objects.count()
    assert CalendarYear.objects.filter(year=2026, source="official").exists()
    Holiday.objects.filter(date=datetime.date(2026, 2, 14)).update(kind="holiday", name="演示覆盖", source="organiser")
    Holiday.objects.filter(date=datetime.date(2026, 10, 7)).delete()
    call_command("load_holidays")
    call_command("load_holidays")
    assert Holiday.objects.count() == count
    assert Holiday.objects.get(date=datetime.date(2026, 2, 14)).name == "演示覆盖"  # the organisers' entry wins
    assert Holiday.objects.get(date=datetime.date(2026, 10, 7)).source == "official"  # restored
    assert not CalendarYear.objects.filter(year=2027).exists()
