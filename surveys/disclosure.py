"""Secondary suppression across filters: no two result sets an organiser can ask for may differ by
1–4 respondents (see README "Small groups"). ``privacy.guard`` protects the counts inside one result
set; this module decides which result sets may be shown at all.

The rule, in full:

1. One dimension at a time. A result set is the whole survey, one unit, one district, or one date
   range; two filters at once (unit and district, unit or district with dates) are refused.
2. Dates in whole periods. The survey's days are grouped into ISO weeks (Monday to Sunday) and
   consecutive weeks are merged until each period has at least MIN_GROUP respondents (a short last
   period joins the one before). A date range is widened to the whole periods it touches, and the
   results say which dates they cover. So two date ranges differ by whole periods: 0 or ≥ 5.
3. Complements. Within one dimension (units, districts) the classes shown must leave 0 or ≥ 5
   respondents outside them (the whole survey minus the units shown); else the next smallest class
   is withheld too, as ``guard`` does for the counts of one table.
4. Nested sets. Whenever one showable set lies inside another (a unit all of whose respondents lie
   in one district or one period range, a period range inside a unit…), they must differ by 0 or
   ≥ 5 respondents; else the smaller one is withheld.
5. Crosstabs only over the whole survey; their rows (groups of the grouping question, small ones
   merged) are checked against every showable set by rule 4, and the crosstab is withheld if any
   row would differ from one by 1–4 respondents.

Everything is decided from the counts of respondents per (unit, district, day): one GROUP BY.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from .models import Answer, Response, Survey
from .privacy import MIN_GROUP

CACHE_SECONDS = 3600
COMBINED = "combined"
SMALL = "small"
DIFFERENCE = "difference"


def _small_difference(n: int) -> bool:
    return 0 < n < MIN_GROUP


def _week(day: int) -> tuple[int, int]:
    return datetime.date(day // 10000, day // 100 % 100, day % 100).isocalendar()[:2]


def _date(day: int) -> datetime.date:
    return datetime.date(day // 10000, day // 100 % 100, day % 100)


def _day(value: datetime.date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


@dataclass
class Family:
    """The respondents as atoms (unit, district, period) -> n, the periods, and the showable sets."""

    atoms: dict[tuple, int]
    periods: list[tuple[int, int]]  # (first day, last day) as YYYYMMDD, in order
    shown: dict[tuple, frozenset]  # ("all",) / ("unit", id) / ("district", id) / ("dates", i, j) -> atoms

    def size(self, atoms: frozenset) -> int:
        return sum(self.atoms[a] for a in atoms)

    def period_of(self, day: int) -> int:
        for index, (_first, last) in enumerate(self.periods):
            if day <= last:
                return index
        return len(self.periods) - 1

    def periods_touching(self, first: int | None, last: int | None) -> tuple[int, int] | None:
        """The indexes (i, j) of the periods a date range touches, or None if it touches none."""
        touching = [i for i, (start, end) in enumerate(self.periods)
                    if (first is None or end >= first) and (last is None or start <= last)]
        return (touching[0], touching[-1]) if touching else None


def _periods(day_counts: dict[int, int]) -> list[tuple[int, int]]:
    weeks: dict[tuple[int, int], list[int]] = defaultdict(list)
    for day in sorted(day_counts):
        weeks[_week(day)].append(day)
    periods: list[list[int]] = []  # [first day, last day, n]
    open_period: list[int] | None = None
    for week in sorted(weeks):
        days = weeks[week]
        n = sum(day_counts[d] for d in days)
        if open_period is None:
            open_period = [days[0], days[-1], n]
        else:
            open_period[1], open_period[2] = days[-1], open_period[2] + n
        if open_period[2] >= MIN_GROUP:
            periods.append(open_period)
            open_period = None
    if open_period is not None:
        if periods:
            periods[-1][1], periods[-1][2] = open_period[1], periods[-1][2] + open_period[2]
        else:
            periods.append(open_period)
    # A period covers whole weeks: from the Monday of its first week to the Sunday of its last.
    out = []
    for first, last, _n in periods:
        monday = _date(first) - datetime.timedelta(days=_date(first).weekday())
        sunday = _date(last) + datetime.timedelta(days=6 - _date(last).weekday())
        out.append((_day(monday), _day(sunday)))
    return out


def family(survey: Survey | int) -> Family:
    """The showable result sets of ``survey`` now (rules 2–4), cached while its responses stay the
    same (their number and the last id: a new response or a deletion computes it afresh)."""
    survey_id = survey if isinstance(survey, int) else survey.pk
    state = Response.objects.filter(survey_id=survey_id).aggregate(n=Count("id"), last=Max("id"))
    key = f"surveys:disclosure:{survey_id}:{state['n']}:{state['last']}"
    found = cache.get(key)
    if isinstance(found, Family):
        return found
    fam = _family(survey_id)
    cache.set(key, fam, CACHE_SECONDS)
    return fam


def _family(survey_id: int) -> Family:
    rows = list(Response.objects.filter(survey_id=survey_id).values_list("unit_id", "district_id", "day")
                .annotate(n=Count("id")).order_by())
    day_counts: dict[int, int] = defaultdict(int)
    for _unit, _district, day, n in rows:
        day_counts[day] += n
    periods = _periods(day_counts)
    fam = Family(atoms={}, periods=periods, shown={})
    atoms: dict[tuple, int] = defaultdict(int)
    for unit, district, day, n in rows:
        atoms[(unit, district, fam.period_of(day))] += n
    fam.atoms = dict(atoms)
    everyone = frozenset(fam.atoms)
    candidates: dict[tuple, frozenset] = {("all",): everyone}
    by_unit, by_district = defaultdict(set), defaultdict(set)
    for atom in fam.atoms:
        if atom[0] is not None:
            by_unit[atom[0]].add(atom)
        if atom[1] is not None:
            by_district[atom[1]].add(atom)
    for kind, classes in (("unit", by_unit), ("district", by_district)):
        sizes = {key: fam.size(frozenset(members)) for key, members in classes.items()}
        kept = {key for key, n in sizes.items() if n >= MIN_GROUP}
        # Rule 3: what the shown classes leave out is 0 or ≥ 5 respondents.
        while kept and _small_difference(fam.size(everyone) - sum(sizes[k] for k in kept)):
            kept.discard(min(kept, key=lambda k: (sizes[k], k)))
        candidates.update({(kind, key): frozenset(classes[key]) for key in kept})
    for i in range(len(periods)):
        for j in range(i, len(periods)):
            candidates[("dates", i, j)] = frozenset(a for a in fam.atoms if i <= a[2] <= j)
    candidates = {key: atoms for key, atoms in candidates.items() if fam.size(atoms) >= MIN_GROUP}
    fam.shown = _without_small_differences(fam, candidates)
    return fam


def _without_small_differences(fam: Family, candidates: dict[tuple, frozenset]) -> dict[tuple, frozenset]:
    """Rule 4: withhold the smaller of any two nested sets that differ by 1–4 respondents."""
    shown = dict(candidates)
    ordered = sorted(shown, key=lambda k: (fam.size(shown[k]), str(k)))  # smallest first
    for small in ordered:
        if small not in shown or small == ("all",):
            continue
        for big, atoms in list(shown.items()):
            if big == small or big not in shown:
                continue
            if shown[small] < atoms and _small_difference(fam.size(atoms) - fam.size(shown[small])):
                del shown[small]
                break
    return shown


@dataclass
class Decision:
    allowed: bool
    filters: object  # selectors.Filters, the dates widened to whole periods
    reason: str = ""
    code: str = ""


def decide(survey: Survey, filters) -> Decision:
    """Whether the result set ``filters`` describes may be shown (rules 1–4), and the filters it is
    shown for (a date range widened to whole periods)."""
    dated = bool(filters.date_from or filters.date_to)
    if sum([bool(filters.unit), bool(filters.district), dated]) > 1:
        return Decision(False, filters, _("Filter by one of unit, district or dates at a time: combined filters "
                                          "could single out a few respondents."), COMBINED)
    fam = family(survey)
    if dated:
        first = _day(filters.date_from) if filters.date_from else None
        last = _day(filters.date_to) if filters.date_to else None
        touching = fam.periods_touching(first, last)
        if touching is None:
            return Decision(False, filters, _("Fewer than %(n)d respondents match these filters.") % {"n": MIN_GROUP},
                            SMALL)
        i, j = touching
        key = ("dates", i, j)
        widened = replace(filters, date_from=_date(fam.periods[i][0]), date_to=_date(fam.periods[j][1]))
    elif filters.unit:
        key, widened = ("unit", filters.unit), filters
    elif filters.district:
        key, widened = ("district", filters.district), filters
    else:
        key, widened = ("all",), filters
    if key in fam.shown:
        return Decision(True, widened)
    if key == ("all",) or fam.size(_members(fam, key)) < MIN_GROUP:
        return Decision(False, widened, _("Fewer than %(n)d respondents match these filters.") % {"n": MIN_GROUP},
                        SMALL)
    return Decision(False, widened, _("Withheld: these results differ from other results you can see by fewer "
                                      "than %(n)d respondents, so those few could be worked out.") % {"n": MIN_GROUP},
                    DIFFERENCE)


def _members(fam: Family, key: tuple) -> frozenset:
    if key[0] == "unit":
        return frozenset(a for a in fam.atoms if a[0] == key[1])
    if key[0] == "district":
        return frozenset(a for a in fam.atoms if a[1] == key[1])
    if key[0] == "dates":
        return frozenset(a for a in fam.atoms if key[1] <= a[2] <= key[2])
    return frozenset(fam.atoms)


def crosstab_decide(survey: Survey, by, filters, groups: list[list[int]]) -> Decision:
    """Rule 5: a crosstab over the whole survey whose rows (``groups``: the option codes of ``by``
    each row gathers) differ from no showable set by 1–4 respondents."""
    if filters.active:
        return Decision(False, filters, _("Crosstabs are shown for all respondents only: within a filter their "
                                          "groups could single out a few respondents."), COMBINED)
    fam = family(survey)
    by_group: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for unit, district, day, code, n in (Answer.objects.filter(question=by, response__survey=survey)
                                         .values_list("response__unit_id", "response__district_id",
                                                      "response__day", "option_code")
                                         .annotate(n=Count("id")).order_by()):
        by_group[code][(unit, district, fam.period_of(day))] += n
    for codes in groups:
        row: dict[tuple, int] = defaultdict(int)
        for code in codes:
            for atom, n in by_group[code].items():
                row[atom] += n
        row_size = sum(row.values())
        for atoms in fam.shown.values():
            # The row inside a shown set, or a shown set inside the row: compare as sets of people.
            inside = sum(n for atom, n in row.items() if atom in atoms)
            set_size = fam.size(atoms)
            if inside == row_size and _small_difference(set_size - row_size):
                return _crosstab_refused(filters)
            if inside == set_size and all(row.get(a, 0) == fam.atoms[a] for a in atoms) \
                    and _small_difference(row_size - set_size):
                return _crosstab_refused(filters)
    return Decision(True, filters)


def _crosstab_refused(filters) -> Decision:
    return Decision(False, filters, _("Withheld: a group of this crosstab differs from other results you can see "
                                      "by fewer than %(n)d respondents.") % {"n": MIN_GROUP}, DIFFERENCE)
