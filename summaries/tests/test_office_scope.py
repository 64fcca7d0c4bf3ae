"""Each office's report and workbook hold only what that office may see (the units routed to it,
the summaries it receives); the city's joint report is the lead office's alone."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from activities.tests.factories import ActivityFactory
from summaries import exports, reports
from summaries.models import Export, ExportStatus, SummaryState

from .factories import HighlightFactory, SummaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offices(qingdao, unit_a, unit_b, offices):
    """unit A (a district association: 市科协组织人事部) and unit B (a district bureau: 市科技局科技人才处)."""
    a = SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    HighlightFactory(summary=a, title="市南亮点", is_starred=True)
    b = SummaryFactory(unit=unit_b, state=SummaryState.SUBMITTED)
    HighlightFactory(summary=b, title="市北亮点", is_starred=True)
    ActivityFactory(unit=unit_a, title="市南活动", state="approved")
    ActivityFactory(unit=unit_b, title="市北活动", state="approved")
    assert a.office == offices["qast-org-personnel"] and b.office == offices["qstb-talent"]
    return offices


def _text(data: bytes) -> str:
    document = Document(BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])


def _cells(data: bytes) -> set:
    book = load_workbook(BytesIO(data), read_only=True)
    return {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}


def test_an_offices_report_and_workbook_hold_only_its_units(two_offices, qingdao):
    with translation.override("zh-hans"):
        bureau_report = _text(reports.consolidated_docx(campaign=qingdao, office=two_offices["qstb-talent"]))
        bureau_book = _cells(reports.workbook_xlsx(campaign=qingdao, office=two_offices["qstb-talent"]))
        city_report = _text(reports.consolidated_docx(campaign=qingdao))
        city_book = _cells(reports.workbook_xlsx(campaign=qingdao))
    assert "市北亮点" in bureau_report and "市南亮点" not in bureau_report
    assert "市北区科技局" in bureau_book and "市北活动" in bureau_book
    assert "市南区科协" not in bureau_book and "市南活动" not in bureau_book
    assert "市南亮点" in city_report and "市北亮点" in city_report
    assert {"市南区科协", "市北区科技局", "市南活动", "市北活动"} <= city_book


def test_a_draft_is_never_in_its_offices_files(qingdao, unit_a, offices):
    draft = SummaryFactory(unit=unit_a, state=SummaryState.DRAFT)
    HighlightFactory(summary=draft, title="草稿里的亮点", is_starred=True)
    with translation.override("zh-hans"):
        report = _text(reports.consolidated_docx(campaign=qingdao, office=offices["qast-org-personnel"]))
    assert "草稿里的亮点" not in report


def test_an_office_may_export_only_its_own_files(two_offices, qingdao, bureau, organiser):
    theirs = {"campaign": qingdao.slug, "office": "qast-org-personnel"}
    with pytest.raises(PermissionDenied):
        exports.export_start(actor=bureau, kind="summaries.report", params=theirs)
    with pytest.raises(PermissionDenied):
        exports.export_start(actor=bureau, kind="summaries.workbook", params=theirs)
    assert not Export.objects.exists()
    exports.export_start(actor=organiser, kind="summaries.report", params=theirs)


def test_the_joint_report_is_the_lead_offices(two_offices, qingdao, bureau, organiser):
    city = {"campaign": qingdao.slug}
    # by default the lead is the office receiving the district associations' summaries: 市科协组织人事部
    assert qingdao.report_lead_office() == two_offices["qast-org-personnel"]
    for kind in ("summaries.city_report", "summaries.city_workbook", "summaries.upward"):
        with pytest.raises(PermissionDenied):
            exports.export_start(actor=bureau, kind=kind, params=city)
        exports.export_start(actor=organiser, kind=kind, params=city)
    qingdao.lead_office = two_offices["qstb-talent"]
    qingdao.save(update_fields=["lead_office"])
    exports.export_start(actor=bureau, kind="summaries.city_report", params=city)
    with pytest.raises(PermissionDenied):
        exports.export_start(actor=organiser, kind="summaries.city_report", params=city)


def test_the_exports_page_offers_each_office_its_own_and_the_lead_the_citys(two_offices, login, bureau, organiser,
                                                                           django_capture_on_commit_callbacks):
    page = login(bureau).get(reverse("summaries:exports")).content.decode()
    assert 'data-testid="start-summaries.report-qstb-talent"' in page
    assert "start-summaries.city_report" not in page and "qast-org-personnel" not in page
    client = login(organiser)
    page = client.get(reverse("summaries:exports")).content.decode()
    assert 'data-testid="start-summaries.city_report"' in page
    assert 'data-testid="start-summaries.workbook-qast-org-personnel"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("summaries:exports"), {"kind": "summaries.workbook", "office": "qstb-talent"})
    assert not Export.objects.exists()  # another office's: refused
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("summaries:exports"), {"kind": "summaries.workbook", "office": "qast-org-personnel"})
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE and export.filename.endswith("qast-org-personnel-figures.xlsx")
    with export.file.open("rb") as handle:
        cells = _cells(handle.read())
    assert "市南区科协" in cells and "市北区科技局" not in cells
