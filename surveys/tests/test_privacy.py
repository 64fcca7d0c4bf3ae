"""The small-group rule: no group of fewer than 5 respondents is ever shown broken down, in the page,
the API or the exports, whatever the responses are."""

import io

import pytest
from django.urls import reverse
from docx import Document
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from surveys.models import Response
from surveys.privacy import MIN_GROUP, guard
from surveys.selectors import Filters, crosstab, questions_of, survey_results
from surveys.tests.factories import responses_make


def test_guard_hides_small_counts_and_their_complement():
    assert guard({"a": 10, "b": 3, "c": 0}) == {"a": 10, "b": None, "c": 0}
    # With the total shown, one hidden count could be recovered: the next smallest hides too.
    assert guard({"a": 10, "b": 3, "c": 7}, total=20) == {"a": 10, "b": None, "c": None}
    assert guard({"a": 2, "b": 1}, total=3) == {"a": None, "b": None}


def _shown_counts(table: dict) -> list:
    values = [row["size"] for row in table["rows"]]
    values += [cell["count"] for row in table["rows"] for cell in row["cells"]]
    return values


def _assert_protected(table: dict, single: bool):
    for value in _shown_counts(table):
        assert value is None or value == 0 or value >= MIN_GROUP
    for row in table["rows"]:
        hidden = [c for c in row["cells"] if c["count"] is None]
        if single and row["size"] is not None:
            assert len(hidden) != 1, "one hidden cell in a row could be recovered from the row total"
    if len(table["rows"]) > 1:
        for index in range(len(table["columns"])):
            column = [row["cells"][index]["count"] for row in table["rows"]]
            assert column.count(None) != 1, "one hidden cell in a column could be recovered from the totals"


answer_sets = st.lists(
    st.fixed_dictionaries({"q1": st.integers(1, 5), "q11": st.integers(1, 5),
                           "q19": st.lists(st.integers(1, 10), min_size=1, max_size=3, unique=True)}),
    min_size=0, max_size=60,
)


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=answer_sets)
def test_no_crosstab_cell_below_five_is_ever_revealed(survey, rows):
    Response.objects.filter(survey=survey).delete()
    responses_make(survey, rows)
    by_code = {q.code: q for q in questions_of(survey)}
    filters = Filters()
    single = crosstab(survey=survey, target=by_code["q11"], by=by_code["q1"], filters=filters)
    _assert_protected(single, single=True)
    multiple = crosstab(survey=survey, target=by_code["q19"], by=by_code["q1"], filters=filters)
    _assert_protected(multiple, single=False)
    results = survey_results(survey=survey, questions=list(by_code.values()), filters=filters)
    for question in results.questions:
        for option in question["options"]:
            assert option["count"] is None or option["count"] == 0 or option["count"] >= MIN_GROUP


@pytest.fixture
def small_group(survey):
    """30 respondents aged 26–30 and 3 aged 41–45; all the 41–45s find funding insufficient."""
    rows = [{"q1": 2, "q11": 1 + i % 2} for i in range(30)] + [{"q1": 5, "q11": 3} for _ in range(3)]
    responses_make(survey, rows)
    by_code = {q.code: q for q in questions_of(survey)}
    return by_code["q11"], by_code["q1"]


def test_the_page_merges_a_small_group(login, organiser, survey, small_group):
    target, by = small_group
    page = login(organiser).get(reverse("surveys:results", kwargs={"pk": survey.pk}),
                                {"target": target.pk, "by": by.pk})
    table = page.context["crosstab"]
    labels = [row["label"] for row in table["rows"]]
    assert "41—45岁" not in labels
    assert all(row["size"] is None or row["size"] >= MIN_GROUP for row in table["rows"])
    assert all(c["count"] != 3 for row in table["rows"] for c in row["cells"])


def test_the_api_merges_a_small_group(api_client, organiser, survey, small_group):
    target, by = small_group
    api_client.force_login(organiser)
    data = api_client.get(f"/test-api/surveys/{survey.pk}/results", {"target": target.pk, "by": by.pk}).json()
    assert "41—45岁" not in [row["label"] for row in data["crosstab"]["rows"]]
    assert all(c["count"] in (None, 0) or c["count"] >= MIN_GROUP
               for row in data["crosstab"]["rows"] for c in row["cells"])
    q1 = next(q for q in data["questions"] if q["code"] == "q1")
    assert next(o for o in q1["options"] if o["code"] == 5)["count"] is None


def test_the_docx_report_merges_a_small_group(login, organiser, survey, small_group):
    target, by = small_group
    response = login(organiser).get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": "docx"}),
                                    {"target": target.pk, "by": by.pk})
    document = Document(io.BytesIO(response.content))
    crosstab_table = document.tables[-1]
    first_column = [row.cells[0].text for row in crosstab_table.rows]
    assert "41—45岁" not in first_column
    cells = [cell.text for row in crosstab_table.rows[1:] for cell in row.cells[1:]]
    assert "3" not in cells
    assert "2022年青岛市青年科技工作者工作状况调查结果报告" in document.paragraphs[0].text.replace("\n", "")


def test_the_docx_report_has_tables_and_chart_images(login, organiser, survey):
    responses_make(survey, [{"q1": 1 + i % 3, "q11": 2} for i in range(30)])
    response = login(organiser).get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": "docx"}))
    document = Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) >= 2
    assert len(document.tables) >= 10
    run = document.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
