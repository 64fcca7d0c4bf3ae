"""Workbooks people can use (issue 14 item 4): every workbook the platform writes is opened and checked: sheet
names in Chinese, the header row frozen, every column given a width, dates and times as date cells (never
text), numbers as numbers, ID numbers and phones as text; the awards 汇总表 shows 出生年月 as the 推荐表 does.

``WRITERS`` lists the modules that write a workbook; a test fails when a module starts writing one that this
file does not open."""

import datetime
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.styles import Font

from awards.models import Nomination
from awards.tests.factories import NominationFactory, SelectionFactory
from summaries import reports
from summaries.models import SummaryState
from summaries.tests.factories import SummaryFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# A text cell holding a date or a time, or a bare number: what a writer should have written as a date or a number.
DATE_TEXT = re.compile(r"^\d{4}[-/.年]\d{1,2}([-/.月]\d{1,2})?")
TIME_TEXT = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
NUMBER_TEXT = re.compile(r"^-?\d+(\.\d+)?$")
# Columns whose contents are identifiers or phone numbers: text (a leading 0 and long digits are kept).
TEXT_HEADERS = {"手机号", "手机号码", "联系电话", "电话", "身份证号", "身份证号码", "证件号码", "志愿者编号"}

# Every module that writes a workbook, and the test here that opens what it writes.
WRITERS = {
    "activities/excel.py": ["test_the_activity_export_is_usable", "test_the_activity_import_template_is_usable"],
    "surveys/exports.py": ["test_the_survey_raw_export_is_usable"],
    "awards/exports.py": ["test_the_awards_summary_sheet_is_usable", "test_the_awards_ranking_is_usable"],
    "volunteering/importing.py": ["test_the_volunteer_template_and_export_are_usable"],
    "volunteering/views.py": ["test_the_volunteer_service_report_is_usable"],
    "organisations/importing.py": ["test_the_unit_import_template_is_usable"],
    "summaries/cityreport.py": ["test_the_report_workbook_is_usable"],
}
WRITES = re.compile(r"\bWorkbook\(|XlsxStreamWriter\(")


def _widths(sheet) -> dict[int, float]:
    """{column number: width} from the sheet's <col> ranges."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width and dimension.customWidth:
            for index in range(dimension.min or 1, (dimension.max or dimension.min or 1) + 1):
                widths[index] = dimension.width
    return widths


def _usable(book, *, header_row: int = 1, sheets: dict[str, int] | None = None) -> dict[str, list[tuple]]:
    """Check every sheet of ``book`` and return {sheet name: its rows below the header} (``sheets``: the
    header row of a sheet whose table starts lower)."""
    found = {}
    for sheet in book.worksheets:
        head = (sheets or {}).get(sheet.title, header_row)
        assert CHINESE.search(sheet.title), f"sheet name not Chinese: {sheet.title!r}"
        assert sheet.freeze_panes == f"A{head + 1}", (sheet.title, sheet.freeze_panes)
        header = [cell.value for cell in sheet[head]]
        assert all(cell.font.b for cell in sheet[head] if cell.value is not None), (sheet.title, "header not bold")
        widths = _widths(sheet)
        missing = [header[i - 1] for i in range(1, len(header) + 1) if not widths.get(i, 0) >= 6]
        assert not missing, (sheet.title, "columns without a width", missing)
        for row in sheet.iter_rows(min_row=head + 1):
            for cell in row:
                name = header[cell.column - 1] if cell.column <= len(header) else None
                value = cell.value
                if name in TEXT_HEADERS:
                    assert value is None or isinstance(value, str), (sheet.title, name, value)
                    continue
                if isinstance(value, str):
                    assert not DATE_TEXT.match(value), (sheet.title, name, f"a date as text: {value!r}")
                    assert not TIME_TEXT.match(value), (sheet.title, name, f"a time as text: {value!r}")
                    assert not NUMBER_TEXT.match(value), (sheet.title, name, f"a number as text: {value!r}")
                if isinstance(value, datetime.datetime):
                    assert cell.is_date and "y" in cell.number_format, (sheet.title, name, cell.number_format)
        found[sheet.title] = list(sheet.iter_rows(min_row=head + 1, values_only=True))
    return found


def _book(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return load_workbook(BytesIO(content))


def test_every_module_writing_a_workbook_is_opened_here():
    for module in sorted({*ROOT.glob("*/*.py"), *ROOT.glob("*/management/commands/*.py")}):
        relative = module.relative_to(ROOT).as_posix()
        if relative.startswith(("bench/", ".venv/")) or "/tests/" in relative or relative == "core/xlsx_stream.py":
            continue
        if WRITES.search(module.read_text(encoding="utf-8")):
            assert relative in WRITERS, f"{relative} writes a workbook that no test here opens"
    names = {name for tests in WRITERS.values() for name in tests}
    assert names <= set(globals()), names - set(globals())


def test_the_checks_catch_an_unusable_sheet():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Sheet"
    workbook.active.append(["日期", "人数"])
    workbook.active.append(["2022-05-30", "12"])
    def saved():
        buffer = BytesIO()
        workbook.save(buffer)
        return load_workbook(buffer)

    with pytest.raises(AssertionError, match="not Chinese"):
        _usable(saved())
    workbook.active.title = "表"
    with pytest.raises(AssertionError, match="A2"):
        _usable(saved())  # the header is not frozen
    workbook.active.freeze_panes = "A2"
    for cell in workbook.active[1]:
        cell.font = Font(bold=True)
    workbook.active.column_dimensions["A"].width = 10
    with pytest.raises(AssertionError, match="without a width"):
        _usable(saved())
    workbook.active.column_dimensions["B"].width = 10
    with pytest.raises(AssertionError, match="a date as text"):
        _usable(saved())
    workbook.active["A2"] = datetime.date(2022, 5, 30)
    with pytest.raises(AssertionError, match="a number as text"):
        _usable(saved())
    workbook.active["B2"] = 12
    _usable(saved())


def test_the_report_workbook_is_usable(qingdao, unit_a, unit_b, activities_a):
    SummaryFactory(unit=unit_a, state=SummaryState.ACCEPTED)
    with translation.override("zh-hans"):
        book = load_workbook(BytesIO(reports.workbook_xlsx(campaign=qingdao)))
    _usable(book)
    rows = list(book["活动明细"].iter_rows(min_row=2, values_only=True))
    assert rows and all(isinstance(row[10], datetime.datetime) for row in rows)  # 开始时间: a date cell
    assert all(isinstance(row[11], int) for row in rows)  # participants: a number
    deadlines = [row[4] for row in book["总结报送"].iter_rows(min_row=2, values_only=True)]
    assert deadlines and all(isinstance(d, datetime.datetime) for d in deadlines)  # openpyxl reads dates so
    assert book["活动明细"].cell(2, 11).number_format.startswith("yyyy")


def test_the_activity_export_is_usable(login, organiser, activities_a):
    rows = _usable(_book(login(organiser).get(reverse("activities:export"))))["活动"]
    assert len(rows) == 4
    assert all(isinstance(row[7], datetime.datetime) and isinstance(row[8], datetime.datetime) for row in rows)
    held = activities_a["held_online"]
    row = next(r for r in rows if r[0] == held.pk)
    assert row[7] == held.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).replace(tzinfo=None)
    assert row[14] == 120 and row[15] == 3000  # numbers
    assert row[19] == "13912345678"  # the phone, a text


def test_the_activity_import_template_is_usable(login, coordinator_a, unit_a, qingdao, settings):
    settings.SCIDAY_CLOCK = "2022-05-10T10:00+08:00"
    book = _book(login(coordinator_a).get(reverse("activities:import_template")))
    rows = _usable(book)["活动导入"]
    starts, ends = rows[0][4], rows[0][5]
    # the example is dated in the campaign's window, not in a year written in the code
    assert qingdao.window_start <= starts.date() <= qingdao.window_end and ends > starts
    assert starts.date() == qingdao.key_day - datetime.timedelta(days=2)
    assert book.active["N2"].number_format == "@"  # 联系电话: typed phones stay text
    # another year's campaign dates its example in its own window
    settings.SCIDAY_CLOCK = "2027-05-10T10:00+08:00"
    from activities.excel import example_times

    later = qingdao.__class__(key_day=datetime.date(2027, 5, 30), window_start=datetime.date(2027, 5, 11),
                              window_end=datetime.date(2027, 6, 10))
    assert example_times(later)[0] == datetime.datetime(2027, 5, 28, 9)
    settings.SCIDAY_CLOCK = "2027-06-09T10:00+08:00"
    assert example_times(later)[0].date() == datetime.date(2027, 6, 10)  # the next day, still in the window


def test_the_activity_import_template_imports_as_it_is(login, coordinator_a, unit_a, qingdao, settings):
    """The example row, date cells and all, is a row the import accepts."""
    from activities.excel import import_activities, template_file
    from activities.models import Activity

    settings.SCIDAY_CLOCK = "2022-05-10T10:00+08:00"
    handle = template_file(qingdao)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("t.xlsx", handle.read())
    created = import_activities(actor=coordinator_a, unit=unit_a, campaign=qingdao, uploaded_file=upload)
    assert len(created) == 1
    activity = Activity.objects.get(pk=created[0].pk)
    assert activity.starts_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).hour == 9


def test_the_survey_raw_export_is_usable(login, organiser, qingdao, unit_b):
    from surveys.seeding import survey_load_seed
    from surveys.tests.factories import responses_make

    survey = survey_load_seed(slug=qingdao.slug)[0]
    responses_make(survey, [{"q1": 2, "q8": 55}] * 6, unit=unit_b)
    book = _book(login(organiser).get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": "xlsx"})))
    sheets = _usable(book)
    assert list(sheets) == ["答卷数据", "编码表"]
    rows = sheets["答卷数据"]
    header = next(book["答卷数据"].iter_rows(max_row=1, values_only=True))
    assert len(rows) == 6 and all(isinstance(row[1], datetime.datetime) for row in rows)  # the date: a date cell
    assert all(row[header.index("q8")] == 55 for row in rows)  # a number answer: a number


def test_the_awards_summary_sheet_is_usable(qingdao, unit_a, organiser, settings, login):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.SUBMITTED,
                      birth_date=datetime.date(1985, 7, 1), mobile="13812341234")
    book = _book(login(organiser).get(reverse("awards:summary_xlsx", args=[selection.pk])))
    row = _usable(book)["汇总表"][0]
    # 出生年月 as on the 推荐表 (1985年07月), and a date cell all the same
    assert row[3] == datetime.datetime(1985, 7, 1)
    assert book["汇总表"]["D2"].number_format == 'yyyy"年"mm"月"'
    assert row[9] == "13812341234" and isinstance(row[10], str) and len(row[10]) == 18  # phone and ID as text
    assert book["汇总表"]["J2"].number_format == "@" and book["汇总表"]["K2"].number_format == "@"


def test_the_awards_ranking_is_usable(qingdao, unit_a, organiser, settings, login):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.SUBMITTED)
    sheets = _usable(_book(login(organiser).get(reverse("awards:export", args=[selection.pk, "ranking.xlsx"]))))
    assert list(sheets) == ["排名", "评分明细"]


def test_the_volunteer_template_and_export_are_usable(login, organiser, unit_a):
    from volunteering.tests.factories import VolunteerFactory

    template = _book(login(organiser).get(reverse("volunteering:volunteer_template")))
    assert _usable(template) == {"志愿者": []}
    assert template.active.column_dimensions["C"].number_format == "@"  # 手机号码: typed numbers stay text
    VolunteerFactory(unit=unit_a, mobile="13900000001", registry_number="0012345")
    rows = _usable(_book(login(organiser).get(reverse("volunteering:volunteer_export"))))["志愿者"]
    assert rows[0][2] == "13900000001" and rows[0][6] == "0012345"  # the leading 0 kept


def test_the_volunteer_service_report_is_usable(login, organiser, qingdao, unit_a):
    from volunteering.tests.factories import (
        ServiceHoursFactory,
        ServiceRecordFactory,
        ServiceTeamFactory,
        VolunteerFactory,
    )

    leader = VolunteerFactory(unit=unit_a)
    team = ServiceTeamFactory(unit=unit_a, name="医学科普服务团", members=[leader], leader=leader)
    record = ServiceRecordFactory(team=team, date=datetime.date(2022, 5, 20), beneficiaries=10)
    ServiceHoursFactory(record=record, volunteer=leader, hours=Decimal("2"), confirmed_at="2022-05-21T10:00+08:00")
    for url in (reverse("volunteering:report_xlsx", args=["team"]),
                reverse("volunteering:report_xlsx", args=["programme"]) + "?month=2022-05"):
        book = _book(login(organiser).get(url))
        rows = _usable(book, header_row=2)
        period = next(book.active.iter_rows(max_row=1, values_only=True))
        assert period[0] == "统计期间" and all(isinstance(v, datetime.datetime) for v in period[1:3])
        table = next(iter(rows.values()))
        assert all(isinstance(v, int | float) for row in table for v in row[1:])


def test_the_unit_import_template_is_usable(login, organiser):
    book = _book(login(organiser).get(reverse("organisations:import_template")))
    assert set(_usable(book)) == {"单位", "选项"}
    assert book["单位"]["E2"].number_format == "@"  # 联系电话
