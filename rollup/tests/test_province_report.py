"""At a province the whole report adds up its cities (issue 15 item 4): a section and a workbook sheet with one row
per city, whose sums are the totals of the packages received; a city's report has neither."""

import io
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from rollup import services
from rollup.models import ReceivedPackage, ReceivedRecord
from summaries.cityreport import report_data, report_docx, report_xlsx

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)


def test_the_province_report_adds_up_its_cities(city_package, province, recommended, qingdao, settings):
    services.package_import(fileobj=io.BytesIO(city_package), link=province["qd_link"])
    record = ReceivedRecord.objects.get(stable_id=f"370200/qingdao-2022/activity/{recommended['first'].pk}")
    services.record_decide(actor=province["organiser"], record=record, action="select", reason="示范性强")
    settings.SCIDAY_CLOCK = "2022-06-20T10:00+08:00"
    totals = ReceivedPackage.objects.get(unit=province["qd"]).figures["totals"]

    data = report_data(campaign=qingdao)
    received = data.figures["received"]
    assert received["expected"] == 2 and received["received"] == 1  # 青岛 sent, 烟台 did not
    assert received["sums"][0] == totals["activities"] and received["sums"][6] == totals["recommended_up"] == 2
    assert received["selected"] == 1

    document = Document(BytesIO(report_docx(campaign=qingdao, data=data)))
    text = _text(document)
    assert "下级上报情况" in text and "青岛市科学技术协会" in text and "合计" in text
    assert f"合计上报活动 {totals['activities']} 项" in text and "本级择优纳入 1 项" in text
    assert "烟台市科学技术协会" not in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)

    book = load_workbook(BytesIO(report_xlsx(campaign=qingdao, data=data)))
    sheet = book["下级上报"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["370200", "370600"]
    assert rows[0][4] == totals["activities"] and rows[0][11] == 1
    assert rows[1][3] == "未报送" and rows[1][2] is None


def test_a_city_report_has_no_section_of_the_level_below(recommended, qingdao, settings):
    settings.SCIDAY_LEVEL = "city"
    data = report_data(campaign=qingdao)
    assert data.figures["received"] is None and "received" not in data.sheets
    assert "下级上报情况" not in _text(Document(BytesIO(report_docx(campaign=qingdao, data=data))))
