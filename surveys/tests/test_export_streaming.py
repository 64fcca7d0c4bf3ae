"""The raw responses exports (.xlsx, .csv and the codebook): their exact content, and a number of SQL
queries that does not grow with the responses."""

import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from organisations.models import District
from surveys import exports
from surveys.models import Response
from surveys.selectors import Filters
from surveys.tests.factories import SHANGHAI, responses_make


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _sheet(sheet, width: int) -> list[list]:
    """The values of a sheet, each row padded to ``width`` (a reader leaves out trailing empty cells)."""
    return [[*row, *[None] * (width - len(row))] for row in sheet.values]


def _respond(survey, questions, answers: dict, *, unit=None, district=None, channel=Response.Channel.OPEN,
             when=datetime.datetime(2022, 5, 20, 10, tzinfo=SHANGHAI), n: int = 1):
    """``n`` responses with the same ``answers`` ({code: option code, [codes], number, text or (code, text)})."""
    start = Response.objects.count()
    return responses_make(survey, [answers] * n, unit=unit, district=district, channel=channel, submitted_at=when,
                          start=start, count=False)


def _variables(questions) -> list[str]:
    names = []
    for q in questions:
        if q.kind == "multiple":
            names += [f"{q.code}_{o.code}" for o in q.options.all()]
        else:
            names.append(q.code)
        if q.allow_other:
            names.append(f"{q.code}_other")
    return names


def _scenario(survey, questions, unit_a, unit_b):
    """Six responses through unit B (shown), three through unit A (merged into "other"), one open."""
    shinan, shibei = District.objects.get(code="shinan"), District.objects.get(code="shibei")
    _respond(survey, questions, {"q1": 2, "q4": (97, "交叉学科"), "q6": 1, "q8": 55, "q10": 3,
                                 "q19": [1, (97, "通勤太远")], "q20": "希望减少填表"},
             unit=unit_b, district=shinan, channel=Response.Channel.UNIT, n=6)
    _respond(survey, questions, {"q1": 3, "q19": [2, 5], "q9": 37.5}, unit=unit_a, district=shibei,
             channel=Response.Channel.UNIT, n=3)
    _respond(survey, questions, {"q2": 1}, when=datetime.datetime(2022, 5, 21, 23, 30, tzinfo=SHANGHAI))


def _expected(questions, shinan_shown: bool):
    header = ["id", "date", "channel", "unit", "district", *_variables(questions)]
    flags = {name: 0 for name in header if name.startswith("q19_") and name != "q19_other"}

    def row(number, date, channel, unit, district, **values):
        full = {**flags, **values}
        return [number, date, channel, unit, district, *[full.get(name) for name in header[5:]]]

    unit_b = [row(i, datetime.date(2022, 5, 20), "unit", "市北区科技局", "市南区" if shinan_shown else exports.OTHER,
                  q1=2, q4=97, q4_other="交叉学科", q6=1, q8=55.0, q10=3, q19_1=1, q19_97=1, q19_other="通勤太远",
                  q20="希望减少填表") for i in range(1, 7)]
    unit_a = [row(i, datetime.date(2022, 5, 20), "unit", exports.OTHER, exports.OTHER, q1=3, q9=37.5, q19_2=1, q19_5=1)
              for i in range(7, 10)]
    return [header, *unit_b, *unit_a, row(10, datetime.date(2022, 5, 21), "open", "", "", q2=1)]


def test_the_raw_rows_code_every_answer(survey, questions, unit_a, unit_b):
    _scenario(survey, questions, unit_a, unit_b)
    rows = list(exports.raw_rows(survey=survey, questions=questions, filters=Filters()))
    assert [list(row) for row in rows] == _expected(questions, shinan_shown=True)


def test_the_xlsx_file_holds_the_rows_and_the_codebook(survey, questions, unit_a, unit_b):
    _scenario(survey, questions, unit_a, unit_b)
    response = exports.export_xlsx(survey=survey, questions=questions, filters=Filters())
    assert response["Content-Disposition"] == f'attachment; filename="{survey.slug}-responses.xlsx"'
    workbook = load_workbook(io.BytesIO(_content(response)), read_only=True)
    assert workbook.sheetnames == ["答卷数据", "编码表"]
    # the date is a date cell (openpyxl reads it as midnight)
    expected = [[None if v == "" else datetime.datetime.combine(v, datetime.time()) if isinstance(v, datetime.date)
                 else v for v in row] for row in _expected(questions, shinan_shown=True)]
    assert _sheet(workbook["答卷数据"], len(expected[0])) == expected
    codebook = [[None if v == "" else v for v in row] for row in exports.codebook_rows(questions)]
    assert _sheet(workbook["编码表"], 5) == codebook


def test_the_csv_files_hold_the_rows_and_the_codebook(survey, questions, unit_a, unit_b):
    _scenario(survey, questions, unit_a, unit_b)
    filters = Filters(unit=unit_b.pk)
    response = exports.export_csv(survey=survey, questions=questions, filters=filters)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{survey.slug}-responses.csv"'
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeffid,date,channel,unit,district,q1,") and "\r\n" in text
    expected = [[("" if v is None else str(v)) for v in row] for row in _expected(questions, shinan_shown=True)]
    assert list(csv.reader(io.StringIO(text[1:]))) == expected[:7]  # only unit B's six
    codebook = _content(exports.export_codebook_csv(survey=survey, questions=questions, filters=filters))
    assert list(csv.reader(io.StringIO(codebook.decode("utf-8")[1:]))) == [
        [str(v) for v in row] for row in exports.codebook_rows(questions)]


def test_the_exports_keep_a_constant_number_of_queries(survey, questions, unit_a, unit_b,
                                                       django_assert_max_num_queries):
    _scenario(survey, questions, unit_a, unit_b)
    counts = {}
    for fmt in ("xlsx", "csv"):
        with django_assert_max_num_queries(10) as small:
            _content(exports.EXPORTERS[fmt](survey=survey, questions=questions, filters=Filters()))
        counts[fmt] = len(small.captured_queries)
    _respond(survey, questions, {"q1": 1, "q19": [1, 2, 3], "q8": 40, "q20": "更多"}, unit=unit_a, n=1500)
    for fmt in ("xlsx", "csv"):
        with django_assert_max_num_queries(counts[fmt]):
            content = _content(exports.EXPORTERS[fmt](survey=survey, questions=questions, filters=Filters()))
        if fmt == "csv":
            assert content.decode("utf-8").count("\r\n") == 1 + 10 + 1500


def test_the_export_view_sends_a_file_and_audits(login, organiser, survey, questions, unit_a, unit_b):
    from audit.models import AuditEntry

    _scenario(survey, questions, unit_a, unit_b)
    client = login(organiser)
    for fmt in ("xlsx", "csv", "codebook.csv"):
        response = client.get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": fmt}))
        assert response.status_code == 200 and _content(response)
        assert AuditEntry.objects.filter(action=f"surveys.survey.exported_{fmt}").exists()


def test_an_answer_that_looks_like_a_formula_stays_text_in_the_csv(survey):
    from surveys.selectors import questions_of

    questions = questions_of(survey)
    _respond(survey, questions, {"q1": 1, "q20": "=HYPERLINK(\"http://x\",\"点我\")"}, n=3)
    _respond(survey, questions, {"q1": 2, "q20": "-1+2"}, n=3)
    _respond(survey, questions, {"q1": 3, "q20": "希望=减负"}, n=3)
    response = exports.export_csv(survey=survey, questions=questions, filters=Filters())
    rows = list(csv.reader(io.StringIO(_content(response).decode("utf-8-sig"))))
    texts = {row[rows[0].index("q20")] for row in rows[1:]}
    assert texts == {"'=HYPERLINK(\"http://x\",\"点我\")", "'-1+2", "希望=减负"}
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows[1:] for value in row if value)
