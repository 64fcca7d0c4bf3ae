"""Secondary suppression across filters (surveys/disclosure.py, README "Small groups"): the
differencing attacker, who asks for any results the API, the page and the exports allow and compares
them, never isolates a group of 1–4 respondents."""

import datetime
import itertools

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from surveys.models import Response, Tally
from surveys.privacy import MIN_GROUP
from surveys.tests.factories import SHANGHAI, responses_make

API = "/api/v1/surveys/{pk}/results"
DAYS = range(1, 29)  # May 2022


def _make(survey, rows, units, districts):
    """One response per row (q1: the age group, q11: a scale) at noon on 2022-05-<day>."""
    made = []
    for (unit, district, day), group in itertools.groupby(
            sorted(rows, key=lambda r: (r["unit"] or "", r["district"] or "", r["day"])),
            key=lambda r: (r["unit"], r["district"], r["day"])):
        group = list(group)
        responses = responses_make(
            survey, [{"q1": r["q1"], "q11": r["q11"]} for r in group], unit=units[unit] if unit else None,
            district=districts[district] if district else None, start=len(made), count=False,
            submitted_at=datetime.datetime(2022, 5, day, 12, tzinfo=SHANGHAI))
        made += [(response.pk, row) for response, row in zip(responses, group, strict=True)]
    return made


def _members(made, filters: dict, units, districts):
    """The respondents the (effective) filters of a result describe: the oracle."""
    chosen = set()
    first = datetime.date.fromisoformat(filters["date_from"]) if filters["date_from"] else None
    last = datetime.date.fromisoformat(filters["date_to"]) if filters["date_to"] else None
    for pk, row in made:
        day = datetime.date(2022, 5, row["day"])
        if filters["unit"] and (not row["unit"] or units[row["unit"]].pk != filters["unit"]):
            continue
        if filters["district"] and (not row["district"] or districts[row["district"]].pk != filters["district"]):
            continue
        if first and day < first or last and day > last:
            continue
        chosen.add(pk)
    return frozenset(chosen)


def _attacker_wins(shown: dict) -> str | None:
    """A group of 1–4 respondents the attacker can work out from the result sets shown: two nested
    sets differing by 1–4, or a set minus the disjoint classes of one kind shown inside it."""
    sets = list(shown.items())
    for (name_a, a), (name_b, b) in itertools.permutations(sets, 2):
        if a < b and 0 < len(b - a) < MIN_GROUP:
            return f"{name_b} minus {name_a}: {len(b - a)} respondents"
    for name_b, b in sets:
        for kind in ("unit", "district", "row"):
            inside = [s for (name, s) in sets if name[0] == kind and s <= b and s != b]
            union = frozenset().union(*inside) if inside else frozenset()
            if inside and 0 < len(b - union) < MIN_GROUP:
                return f"{name_b} minus every {kind} shown: {len(b - union)} respondents"
    return None


respondent = st.fixed_dictionaries({
    "unit": st.sampled_from([None, "a", "b", "c"]),
    "district": st.sampled_from([None, "a", "b"]),
    "day": st.sampled_from(list(DAYS)),
    "q1": st.integers(1, 3),
    "q11": st.integers(1, 5),
})
query = st.fixed_dictionaries({
    "unit": st.sampled_from([None, "a", "b", "c"]),
    "district": st.sampled_from([None, "a", "b"]),
    "date_from": st.one_of(st.none(), st.sampled_from(list(DAYS))),
    "date_to": st.one_of(st.none(), st.sampled_from(list(DAYS))),
    "crosstab": st.booleans(),
})


@pytest.fixture
def places(unit_a, unit_b):
    from organisations.models import District
    from organisations.tests.factories import UnitFactory

    units = {"a": unit_a, "b": unit_b, "c": UnitFactory(name="崂山区科协")}
    districts = dict(zip("ab", District.objects.order_by("pk")[:2], strict=True))
    return units, districts


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(respondent, min_size=0, max_size=45), queries=st.lists(query, max_size=14))
def test_the_differencing_attacker_never_isolates_a_small_group(login, organiser, survey, places, rows, queries):
    """Random responses; the attacker asks the API for everyone, each unit, each district, every date
    range it likes, combinations and crosstabs (q11 by age), checks that each result describes the
    respondents its filters say, and compares every pair and every partition."""
    units, districts = places
    Response.objects.filter(survey=survey).delete()
    Tally.objects.filter(question__survey=survey).delete()
    made = _make(survey, rows, units, districts)
    client = login(organiser)
    q1 = survey.questions.get(code="q1")
    q11 = survey.questions.get(code="q11")
    asked = [{"unit": None, "district": None, "date_from": None, "date_to": None, "crosstab": True}]
    asked += [{"unit": u, "district": None, "date_from": None, "date_to": None, "crosstab": False} for u in units]
    asked += [{"unit": None, "district": d, "date_from": None, "date_to": None, "crosstab": False} for d in districts]
    asked += [{"unit": None, "district": None, "date_from": d, "date_to": d + 6, "crosstab": False} for d in (1, 8, 15)]
    shown: dict[tuple, frozenset] = {}
    for ask in asked + queries:
        params = {"unit": units[ask["unit"]].pk if ask["unit"] else "",
                  "district": districts[ask["district"]].pk if ask["district"] else "",
                  "date_from": f"2022-05-{ask['date_from']:02d}" if ask["date_from"] else "",
                  "date_to": f"2022-05-{min(ask['date_to'], 31):02d}" if ask["date_to"] else ""}
        if ask["crosstab"]:
            params.update(target=q11.pk, by=q1.pk)
        response = client.get(API.format(pk=survey.pk), {k: v for k, v in params.items() if v})
        assert response.status_code == 200
        data = response.json()
        if data["too_small"]:
            assert data["respondents"] is None and data["questions"] == [] and data["crosstab"] is None
            continue
        members = _members(made, data["filters"], units, districts)
        assert data["respondents"] == len(members) >= MIN_GROUP, (ask, data["filters"])
        # The counts are those of exactly these respondents (where shown).
        counts = {o["code"]: o["count"] for o in next(q for q in data["questions"] if q["code"] == "q11")["options"]}
        truth = {code: sum(1 for pk, row in made if pk in members and row["q11"] == code) for code in counts}
        assert all(counts[c] in (None, truth[c]) for c in counts)
        kind = "unit" if data["filters"]["unit"] else "district" if data["filters"]["district"] else "set"
        shown[(kind, tuple(sorted(data["filters"].items())))] = members
        if data["crosstab"]:
            listed = [row["key"] for row in data["crosstab"]["rows"] if row["key"] != "other"]
            for row in data["crosstab"]["rows"]:
                if row["size"] is None:
                    continue
                group = frozenset(pk for pk, r in made if pk in members and (
                    r["q1"] == row["key"] if row["key"] != "other" else r["q1"] not in listed))
                assert row["size"] == len(group)
                shown[("row", row["key"])] = group
    assert _attacker_wins(shown) is None


# --- the reported case, through the API, the page and the exports ---------------------------------

@pytest.fixture
def six_in_a_unit(survey, unit_a, unit_link):
    """Six respondents of one unit: five on 2022-06-01..03, one on 2022-06-04; 20 others."""
    early = responses_make(survey, [{"q1": 1, "q11": 2}] * 5, unit=unit_a,
                           submitted_at=datetime.datetime(2022, 6, 2, 12, tzinfo=SHANGHAI))
    late = responses_make(survey, [{"q1": 2, "q11": 5}], unit=unit_a, start=10,
                          submitted_at=datetime.datetime(2022, 6, 4, 12, tzinfo=SHANGHAI))
    responses_make(survey, [{"q1": 3, "q11": 3}] * 20, start=20,
                   submitted_at=datetime.datetime(2022, 5, 25, 12, tzinfo=SHANGHAI))
    return early + late


def test_a_unit_minus_its_earlier_days_no_longer_reveals_one_person(login, organiser, survey, unit_a, six_in_a_unit):
    client = login(organiser)
    whole = client.get(API.format(pk=survey.pk), {"unit": unit_a.pk}).json()
    assert whole["respondents"] == 6
    narrowed = client.get(API.format(pk=survey.pk), {"unit": unit_a.pk, "date_to": "2022-06-03"}).json()
    assert narrowed["too_small"] and narrowed["respondents"] is None and narrowed["questions"] == []
    assert narrowed["withheld"]


def test_a_date_range_is_widened_to_whole_periods(login, organiser, survey, six_in_a_unit):
    client = login(organiser)
    one = client.get(API.format(pk=survey.pk), {"date_to": "2022-06-03"}).json()
    other = client.get(API.format(pk=survey.pk), {"date_to": "2022-06-04"}).json()
    assert one["filters"] == other["filters"]
    assert one["respondents"] == other["respondents"]
    assert datetime.date.fromisoformat(one["filters"]["date_to"]).weekday() == 6  # a Sunday: whole weeks


def test_the_page_says_why_it_withholds(login, organiser, survey, unit_a, six_in_a_unit):
    page = login(organiser).get(reverse("surveys:results", kwargs={"pk": survey.pk}),
                                {"unit": unit_a.pk, "date_to": "2022-06-03"})
    content = page.content.decode()
    assert 'data-testid="withheld"' in content
    assert "单位、区市或日期" in content
    assert 'data-testid="respondents"' not in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx"])
def test_the_exports_refuse_what_the_results_withhold(login, organiser, survey, unit_a, six_in_a_unit, fmt):
    response = login(organiser).get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": fmt}),
                                    {"unit": unit_a.pk, "date_to": "2022-06-03"})
    assert response.status_code == 302
    assert reverse("surveys:results", kwargs={"pk": survey.pk}) in response["Location"]


def test_a_crosstab_within_a_filter_is_withheld(login, organiser, survey, unit_a, six_in_a_unit):
    q1, q11 = survey.questions.get(code="q1"), survey.questions.get(code="q11")
    client = login(organiser)
    everyone = client.get(API.format(pk=survey.pk), {"target": q11.pk, "by": q1.pk}).json()
    assert everyone["crosstab"] is not None
    within = client.get(API.format(pk=survey.pk), {"unit": unit_a.pk, "target": q11.pk, "by": q1.pk}).json()
    assert within["respondents"] == 6 and within["crosstab"] is None
