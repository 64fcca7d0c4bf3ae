"""The tallies: counted in batches after the submissions, they must always say what the answers say."""

import datetime

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from surveys import services
from surveys.models import Response, Tally
from surveys.selectors import (
    Filters,
    _counted,
    _crosstab_counted,
    _crosstab_tallied,
    _tallied,
    crosstab,
    questions_of,
    survey_results,
)
from surveys.services import Entry
from surveys.tallies import tallies_fold, tallies_fold_all
from surveys.tests.factories import SHANGHAI, responses_make


def _make(survey, rows, *, unit=None, start=0, day=20):
    """Responses inserted in bulk and left pending (as a submission leaves them), at 23:30 on 2022-05-<day>;
    a row's "_district" key gives the response's district."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row.get("_district"), []).append({k: v for k, v in row.items() if not k.startswith("_")})
    made = []
    for district, group in groups.items():
        made += responses_make(survey, group, unit=unit, district=district, start=start + len(made), count=False,
                               submitted_at=datetime.datetime(2022, 5, day, 23, 30, tzinfo=SHANGHAI))
    return made


def test_the_day_is_the_local_day_in_shanghai(survey):
    # 23:30 in Qingdao on 20 May is 15:30 UTC the same day; 00:30 on 21 May is still 20 May in UTC.
    late, early = _make(survey, [{"q1": 1}], day=20) + _make(survey, [{"q1": 1}], start=1, day=21)
    early.submitted_at = datetime.datetime(2022, 5, 21, 0, 30, tzinfo=SHANGHAI)
    early.save()
    late.refresh_from_db()
    early.refresh_from_db()
    assert (late.day, early.day) == (20220520, 20220521)


def test_a_submission_writes_no_tally_and_the_results_count_it_anyway(live, open_link, questions, full_answers):
    survey = open_link.survey
    for device in range(5):
        services.response_submit(entry=Entry(survey=survey, link=open_link), questions=questions,
                                 device_id=f"d{device}", raw=full_answers, consent=True)
    assert not Tally.objects.exists()
    assert set(Response.objects.values_list("tally_batch", flat=True)) == {None}
    results = survey_results(survey=survey, questions=questions, filters=Filters())
    assert results.respondents == 5
    assert next(q for q in results.questions if q["code"] == "q1")["answered"] == 5
    assert set(Response.objects.values_list("tally_batch", flat=True)) == {1}
    assert Tally.objects.filter(dim=Tally.ALL, kind=Tally.ANSWERED, question__code="q1").get().n == 5


def test_folding_twice_counts_once(survey):
    _make(survey, [{"q1": 2, "q19": [1, 3]}] * 7)
    assert tallies_fold(survey=survey) == 7
    assert tallies_fold(survey=survey) == 0
    q1 = survey.questions.get(code="q1")
    assert Tally.objects.get(question=q1, dim=Tally.ALL, kind=Tally.OPTION, value=2).n == 7
    _make(survey, [{"q1": 2}] * 3, start=100)
    assert tallies_fold_all() == 3
    assert Tally.objects.get(question=q1, dim=Tally.ALL, kind=Tally.OPTION, value=2).n == 10


def test_a_limited_fold_takes_the_oldest_first(survey):
    made = _make(survey, [{"q1": 1}] * 5)
    assert tallies_fold(survey=survey, limit=2) == 2
    counted = set(Response.objects.filter(tally_batch__isnull=False).values_list("pk", flat=True))
    assert counted == {made[0].pk, made[1].pk}
    assert tallies_fold(survey=survey, limit=2) == 2
    assert tallies_fold(survey=survey, limit=2) == 1
    assert set(Response.objects.values_list("tally_batch", flat=True)) == {1, 2, 3}


def test_changing_the_structure_before_the_lock_counts_afresh(organiser, survey):
    _make(survey, [{"q1": 1}] * 6)
    tallies_fold(survey=survey)
    q1 = survey.questions.get(code="q1")
    services.question_save(actor=organiser, survey=survey, question=q1, data={"text": "年龄段"},
                           options=[("35岁及以下", ""), ("36岁及以上", "")])
    assert not Tally.objects.filter(question__survey=survey).exists()
    assert not Response.objects.filter(tally_batch__isnull=False).exists()
    results = survey_results(survey=survey, questions=questions_of(survey), filters=Filters())
    row = next(q for q in results.questions if q["code"] == "q1")
    assert [o["count"] for o in row["options"]] == [6, 0]


def _nonzero(counts: tuple) -> list:
    """(option counts, values, answered) without the zeros that one way writes and the other omits."""
    def clean(value):
        if isinstance(value, dict):
            cleaned = {k: clean(v) for k, v in value.items()}
            return {k: v for k, v in cleaned.items() if v not in (0, {})}
        return value

    return [clean(part) for part in counts]


rows_strategy = st.lists(
    st.fixed_dictionaries({
        "q1": st.integers(1, 5), "q11": st.integers(1, 5), "q10": st.integers(1, 5), "q8": st.integers(30, 60),
        "q19": st.lists(st.integers(1, 10), min_size=1, max_size=3, unique=True),
        "_district": st.sampled_from([None, "a", "b"]),
    }),
    min_size=0, max_size=40,
)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.tuples(rows_strategy, st.integers(11, 31), st.booleans()), min_size=1, max_size=3))
def test_the_tallies_agree_with_the_answers_for_every_filter(survey, unit_a, batches):
    """Whatever the responses and however the folds fall between them, the tallies of every filter
    the results read from them (all, a unit, a district, a date range) and the crosstabs equal a
    count from the answers."""
    from organisations.models import District

    Response.objects.filter(survey=survey).delete()
    Tally.objects.filter(question__survey=survey).delete()
    districts = dict(zip("ab", District.objects.order_by("pk").values_list("pk", flat=True)[:2], strict=True))
    start = 0
    for rows, day, fold in batches:
        for row in rows:
            row["_district"] = districts.get(row["_district"])
        _make(survey, rows[: len(rows) // 2], unit=unit_a, start=start, day=day)
        _make(survey, rows[len(rows) // 2:], start=start + len(rows), day=day)
        start += 2 * len(rows) + 1
        if fold:
            tallies_fold(survey=survey, limit=7)
    tallies_fold(survey=survey)
    questions = questions_of(survey)
    filters = [Filters(), Filters(unit=unit_a.pk), Filters(district=districts["a"]),
               Filters(date_from=datetime.date(2022, 5, 15)), Filters(date_to=datetime.date(2022, 5, 20)),
               Filters(date_from=datetime.date(2022, 5, 12), date_to=datetime.date(2022, 5, 25)),
               Filters(unit=unit_a.pk, date_from=datetime.date(2022, 5, 15)),
               Filters(district=districts["b"], date_from=datetime.date(2022, 5, 12), date_to=datetime.date(2022, 5, 25)),
               Filters(unit=unit_a.pk, district=districts["a"])]
    for subset in filters:
        if subset.tally_q() is None:  # a unit and a district: the results count the answers themselves
            assert subset.unit and subset.district
            continue
        assert _nonzero(_tallied(questions, subset.tally_q())) == _nonzero(_counted(questions, subset)), subset
    by_code = {q.code: q for q in questions}
    for subset in filters:
        if subset.tally_q(cross=True) is None:  # two filters: a crosstab counts the answers
            continue
        for target, by in [("q11", "q1"), ("q19", "q1"), ("q10", "q6"), ("q1", "q11")]:
            assert (_crosstab_tallied(survey, by_code[target], by_code[by], subset.tally_q(cross=True))
                    == _crosstab_counted(by_code[target], by_code[by], subset)), (target, by, subset)


def test_results_and_a_crosstab_take_the_same_queries_for_ten_or_a_thousand(survey, django_assert_max_num_queries):
    questions = questions_of(survey)
    by_code = {q.code: q for q in questions}
    counts = []
    for total in (10, 1000):
        Response.objects.filter(survey=survey).delete()
        responses_make(survey, [{"q1": 1 + i % 5, "q11": 1 + i % 3, "q19": [1 + i % 10]} for i in range(total)])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            survey_results(survey=survey, questions=questions, filters=Filters(district=None))
            crosstab(survey=survey, target=by_code["q19"], by=by_code["q1"], filters=Filters())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(6):
        survey_results(survey=survey, questions=questions, filters=Filters(date_from=datetime.date(2022, 5, 1)))


def test_the_scheduled_command_folds_every_survey(survey):
    import io

    from django.core.management import call_command

    _make(survey, [{"q1": 3}] * 4)
    out = io.StringIO()
    call_command("fold_survey_tallies", "--limit", "3", stdout=out)
    assert "4 responses" in out.getvalue()
    assert not Response.objects.filter(tally_batch__isnull=True).exists()
