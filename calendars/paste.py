"""Read the State Council's holiday arrangements as organisers paste them.

Two ways of writing are understood, line by line, and may be mixed:

- the notice itself (《国务院办公厅关于××年部分节假日安排的通知》), e.g.
  ``二、春节：2月5日（星期五）至13日（星期六）放假调休，共9天。2月1日（星期一）、2月14日（星期日）上班。``
  The name is what comes before the colon; in each sentence, the dates before 「放假」 are a holiday
  (「至」 makes a range) and the dates before 「上班」 are adjusted working days;
- one day or range per line: ``2027-02-06 至 2027-02-14 放假 春节`` or ``2027-02-20 上班 春节``.

Lines that say neither 「放假」 nor 「上班」 (the title, the greeting, the closing lines) are left out.
A date without a year belongs to the year being entered; 「2026年12月31日」 may name another year.
"""

import re
from datetime import date, timedelta

from django.utils.translation import gettext as _

_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\d+[.、）)]|[（(][一二三四五六七八九十\d]+[）)])\s*")
_DATE = (r"(?:(?P<{p}y>\d{{4}})(?:年|-|/|\.))?(?:(?P<{p}m>\d{{1,2}})(?:月|-|/|\.))?(?P<{p}d>\d{{1,2}})(?:日|号)?"
         r"(?:\s*[（(][^）)]*[）)])?")
_RANGE = re.compile(_DATE.format(p="a") + r"(?:\s*(?:至|到|~|～|—|–)\s*" + _DATE.format(p="b") + ")?")
_HOLIDAY_WORDS = ("放假",)
_WORKDAY_WORDS = ("上班", "补班")


class PasteError(ValueError):
    """A line that cannot be read; the message names the line."""


def _day(year: int, y: str | None, m: str | None, d: str, *, month_default: int | None, line_no: int) -> date:
    month = int(m) if m else month_default
    if month is None:
        raise PasteError(_("Line %(line)d: a date has no month.") % {"line": line_no})
    try:
        return date(int(y) if y else year, month, int(d))
    except ValueError:
        raise PasteError(_("Line %(line)d: %(month)s-%(day)s is not a date.")
                         % {"line": line_no, "month": month, "day": d}) from None


def _dates(year: int, text: str, line_no: int) -> list[date]:
    days = []
    for match in _RANGE.finditer(text):
        g = match.groupdict()
        if not g["am"] and not g["ay"]:
            continue  # a lone number (「共9天」) is not a date
        first = _day(year, g["ay"], g["am"], g["ad"], month_default=None, line_no=line_no)
        if g["bd"]:
            last = _day(int(g["by"] or first.year), g["by"], g["bm"], g["bd"], month_default=first.month,
                        line_no=line_no)
            if last < first:
                raise PasteError(_("Line %(line)d: the range ends before it starts.") % {"line": line_no})
            if (last - first).days > 31:
                raise PasteError(_("Line %(line)d: a holiday of more than a month is surely a typing error.")
                                 % {"line": line_no})
            days += [first + timedelta(days=i) for i in range((last - first).days + 1)]
        else:
            days.append(first)
    return days


def parse_arrangements(year: int, text: str) -> list[tuple[date, str, str]]:
    """Every (date, "holiday"/"workday", name) that ``text`` lists, sorted; PasteError on a line it cannot read."""
    found: dict[date, tuple[str, str]] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = _NUMBERING.sub("", raw.strip())
        if not line:
            continue
        name = ""
        head, sep, rest = line.partition("：") if "：" in line else line.partition(":")
        if sep and not re.search(r"\d", head):
            name, line = head.strip(), rest
        for sentence in re.split(r"[。；;]", line):
            words = [(sentence.find(w), "holiday") for w in _HOLIDAY_WORDS if w in sentence] + \
                    [(sentence.find(w), "workday") for w in _WORKDAY_WORDS if w in sentence]
            if not words:
                continue
            position, kind = min(words)
            dates_text, label = sentence[:position], sentence[position:]
            label_name = name or re.sub(r"^(?:放假|调休|上班|补班|\s)+", "", label).strip(" ，,") or ""
            if not label_name:
                raise PasteError(_("Line %(line)d: give the holiday's name (元旦, 春节…).") % {"line": line_no})
            days = _dates(year, dates_text, line_no)
            if not days:
                raise PasteError(_("Line %(line)d: no date before “%(word)s”.")
                                 % {"line": line_no, "word": label[:2]})
            for day in days:
                shown = label_name if kind == "holiday" else f"{label_name}调休"
                if day in found and found[day][0] != kind:
                    raise PasteError(_("Line %(line)d: %(date)s is both a holiday and a working day.")
                                     % {"line": line_no, "date": day.isoformat()})
                found[day] = (kind, shown[:50])
    if not found:
        raise PasteError(_("Nothing to enter: paste the notice's lines or one date per line."))
    outside = sorted({d.year for d in found} - {year, year - 1})
    if outside:
        raise PasteError(_("The dates must be in %(year)d (a New Year holiday may begin in the year before).")
                         % {"year": year})
    return sorted((d, k, n) for d, (k, n) in found.items())
