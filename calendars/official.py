"""The official calendar as the ``chinesecalendar`` package knows it (updated each year after the State Council's notice)."""

from datetime import date

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return ""


def official_days() -> tuple[list[int], list[tuple[date, str, str]]]:
    """(the years the package covers, every (date, "holiday"/"workday", Chinese name) it lists)."""
    from chinese_calendar import constants

    days = []
    for day, holiday in constants.holidays.items():
        days.append((day, "holiday", NAMES.get(holiday, holiday)))
    for day, holiday in constants.workdays.items():
        days.append((day, "workday", f"{NAMES.get(holiday, holiday)}调休"))
    years = sorted({d.year for d in constants.holidays})
    return years, sorted(days)
