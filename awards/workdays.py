"""The 2022 and 2023 holidays as the first release carried them: kept only because the historical data
migration awards 0002 imports it. Working days are now counted by ``calendars.workdays`` from the
``chinesecalendar`` package and the organisers' entries; nothing else may use this module."""

from datetime import date, timedelta

# (date, kind, name): the State Council's holiday arrangements for 2022 and 2023.
_RANGES = {
    2022: [
        ("元旦", (1, 1), (1, 3), []),
        ("春节", (1, 31), (2, 6), [(1, 29), (1, 30)]),
        ("清明节", (4, 3), (4, 5), [(4, 2)]),
        ("劳动节", (4, 30), (5, 4), [(4, 24), (5, 7)]),
        ("端午节", (6, 3), (6, 5), []),
        ("中秋节", (9, 10), (9, 12), []),
        ("国庆节", (10, 1), (10, 7), [(10, 8), (10, 9)]),
    ],
    2023: [
        ("元旦", (12, 31, 2022), (1, 2), []),
        ("春节", (1, 21), (1, 27), [(1, 28), (1, 29)]),
        ("清明节", (4, 5), (4, 5), []),
        ("劳动节", (4, 29), (5, 3), [(4, 23), (5, 6)]),
        ("端午节", (6, 22), (6, 24), [(6, 25)]),
        ("中秋节、国庆节", (9, 29), (10, 6), [(10, 7), (10, 8)]),
    ],
}


def _day(year: int, spec: tuple) -> date:
    return date(spec[2], spec[0], spec[1]) if len(spec) == 3 else date(year, spec[0], spec[1])


def official_calendar() -> list[tuple[date, str, str]]:
    """Every holiday and adjusted working day of 2022 and 2023 as (date, "holiday"/"workday", name)."""
    days = []
    for year, ranges in _RANGES.items():
        for name, first, last, workdays in ranges:
            day, end = _day(year, first), _day(year, last)
            while day <= end:
                days.append((day, "holiday", name))
                day += timedelta(days=1)
            days += [(_day(year, w), "workday", f"{name}调休") for w in workdays]
    return days


def load_official_calendar(holiday_model) -> int:
    """Create the calendar rows that are missing (a data migration and ``load_demo`` call it)."""
    existing = set(holiday_model.objects.values_list("date", flat=True))
    rows = [holiday_model(date=d, kind=k, name=n) for d, k, n in official_calendar() if d not in existing]
    holiday_model.objects.bulk_create(rows)
    return len(rows)
