"""The whole city report (issue 14 item 2): every section, totals equal the database, the workbook beside it."""

from io import BytesIO

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from activities.models import CheckIn, MediaCoverage
from organisations.models import Unit
from summaries import selectors
from summaries.models import SummaryState

from .factories import HighlightFactory, SummaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(qingdao, unit_a, unit_b, activities_a):
    summary = SummaryFactory(unit=unit_a, state=SummaryState.ACCEPTED)
    HighlightFactory(summary=summary, title="青年科技沙龙", is_starred=True)
    SummaryFactory(unit=unit_b, state=SummaryState.SUBMITTED, is_late=True)
    return qingdao


def test_export_report_writes_every_section_with_database_totals(city, tmp_path):
    out, book = tmp_path / "r.docx", tmp_path / "r.xlsx"
    call_command("export_report", city.slug, "--office", "city", "--out", str(out), "--workbook", str(book))
    document = Document(BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    for section in ("总体情况", "最美科技工作者", "展览", "教育基地", "志愿服务", "问卷调查", "急难愁盼",
                    "意见建议", "总结报送"):
        assert section in text, section
    everything = text + "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "数值题" not in everything
    headers = {cell.text for table in document.tables for cell in table.rows[0].cells}
    assert "数量" in headers and "分组" in headers  # the report's counts and breakdowns keep their own meanings
    # the totals table reads back as the database's counts
    counted = selectors.counted_activities(campaign=city)
    totals = [int(row.cells[1].text) for row in document.tables[0].rows[1:]]
    assert totals == [
        Unit.objects.filter(is_active=True).count(),
        counted.values("unit").distinct().count(),
        counted.count(),
        counted.filter(state__in=selectors.HELD_STATES).count(),
        sum(a.actual_participants or 0 for a in counted),
        sum(a.online_views or 0 for a in counted),
        CheckIn.objects.filter(activity__in=counted).count(),
        MediaCoverage.objects.filter(activity__in=counted).count(),
        counted.exclude(video=None).count(),
    ]
    assert totals[2] == 3
    # document grid with a character pitch
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and int(grid.get(qn("w:charSpace"))) < 0
    # 落款: the issuing body, then the date
    last = [p.text for p in document.paragraphs if p.text.strip()][-2:]
    assert last[0] == city.issuers.splitlines()[-1].strip()
    assert last[1].endswith("日") and "年" in last[1]
    # every table names its sheet, and the workbook has it with as many rows as the note says
    workbook = load_workbook(book)
    notes = [p.text for p in document.paragraphs if p.text.startswith("附表")]
    assert notes
    for note in notes:
        name = note.split("“")[1].split("”")[0]
        assert name in workbook.sheetnames
        rows = int(note.split("（")[1].split("行")[0].split()[-1])
        assert workbook[name].max_row - 1 == rows
    assert workbook["活动明细"].max_row - 1 == counted.count()
