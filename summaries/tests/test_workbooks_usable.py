"""Workbooks people can use (issue 14 item 4): Chinese sheet names, the header row frozen, column widths
fitted, dates as date cells, numbers as numbers, ID numbers and phones as text; the awards 汇总表 shows
出生年月 as the 推荐表 does."""

import datetime
import re
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from awards import exports as award_exports
from awards.models import Nomination
from awards.tests.factories import NominationFactory, SelectionFactory
from summaries import reports
from summaries.models import SummaryState
from summaries.tests.factories import SummaryFactory

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _usable(book) -> None:
    for sheet in book.worksheets:
        assert CHINESE.search(sheet.title), sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        widths = [sheet.column_dimensions[letter].width for letter in "AB"]
        assert all(w and w >= 6 for w in widths), (sheet.title, widths)


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


def test_the_awards_summary_sheet_is_usable(qingdao, unit_a, organiser, settings):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.SUBMITTED,
                      birth_date=datetime.date(1985, 7, 1))
    with translation.override("zh-hans"):
        response = award_exports.summary_xlsx_response(user=organiser, selection=selection)
    book = load_workbook(BytesIO(response.content))
    _usable(book)
    row = next(book["汇总表"].iter_rows(min_row=2, values_only=True))
    assert row[3] == "1985年07月"  # 出生年月, as on the 推荐表
    assert all(isinstance(value, str) for value in row[9:11] if value)  # phone and ID number as text
