import hashlib
import json
import zipfile
from io import BytesIO

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from activities.models import ActivityPhoto
from activities.tests.factories import png_file
from rollup.package import schema_errors
from summaries import reports, selectors, services
from summaries.models import SummaryState
from uploads.models import AssetUse
from uploads.services import asset_store

from .factories import HighlightFactory, SummaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(qingdao, unit_a, unit_b, activities_a, coordinator_a):
    summary = SummaryFactory(unit=unit_a, state=SummaryState.ACCEPTED)
    HighlightFactory(summary=summary, title="青年科技沙龙", is_starred=True)
    HighlightFactory(summary=summary, title="未加星的亮点")
    SummaryFactory(unit=unit_b, state=SummaryState.SUBMITTED, is_late=True)
    photo = asset_store(uploaded_file=png_file(), use=AssetUse.IMAGE, owner=coordinator_a, unit=unit_a)
    ActivityPhoto.objects.create(activity=activities_a["held_offline"], asset=photo)
    return summary


def _docx(campaign):
    with translation.override("zh-hans"):
        return Document(BytesIO(reports.consolidated_docx(campaign=campaign)))


def test_the_consolidated_report_opens_and_its_totals_equal_the_database(qingdao, report_data):
    document = _docx(qingdao)
    figures = selectors.campaign_figures(campaign=qingdao)
    totals = document.tables[0]
    read_back = [int(row.cells[1].text) for row in totals.rows[1:]]
    # units expected, units with an activity, activities reported, held, participants, views, check-ins, media
    assert read_back[2:8] == [figures["total"], figures["held"], figures["participants"], figures["online_views"],
                              figures["checkins"], figures["coverage"]]
    assert read_back[2:4] == [3, 2]  # reported, held of unit_a's activities
    text = "\n".join(p.text for p in document.paragraphs)
    assert "青年科技沙龙（市南区科协）" in text and "未加星的亮点" not in text
    assert len(document.inline_shapes) == 4  # four bar charts
    assert "按时报送1个，逾期报送1个" in text  # unit_a accepted on time, unit_b late


def test_the_consolidated_report_is_in_official_document_format(qingdao, report_data):
    document = _docx(qingdao)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.left_margin, section.right_margin,
                                  section.bottom_margin)] == [37, 28, 26, 35]
    title = document.paragraphs[0].runs[0]
    assert title.font.size.pt == 22
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._element.rPr is not None and r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs)
    heading = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    sub = next(p for p in document.paragraphs if p.text.startswith("（一）"))
    assert sub.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    body = document.paragraphs[2]
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml
    assert "PAGE" in section.even_page_footer._element.xml


def test_a_units_summary_exports_as_its_own_docx_with_photos(qingdao, unit_a, coordinator_a, activities_a):
    summary = services.summary_save(actor=coordinator_a, campaign=qingdao, unit=unit_a, work_done="座谈会",
                                    highlights=[{"title": "亮点一", "text": "内容"}])
    services.summary_attach(actor=coordinator_a, summary=summary, files=[png_file()], kind="photo")
    summary = selectors.summary_for(campaign=qingdao, unit=unit_a)
    with translation.override("zh-hans"):
        document = Document(BytesIO(reports.summary_docx(summary=summary)))
    assert len(document.inline_shapes) == 1
    assert "（一）亮点一" in [p.text for p in document.paragraphs]


def test_the_workbook_holds_the_same_figures(qingdao, report_data, unit_a):
    with translation.override("zh-hans"):
        book = load_workbook(BytesIO(reports.workbook_xlsx(campaign=qingdao)), read_only=True)
    assert book.sheetnames[:2] == ["活动明细", "媒体报道"] and "总结报送" in book.sheetnames
    activities = list(book["活动明细"].iter_rows(values_only=True))[1:]
    assert len(activities) == selectors.campaign_figures(campaign=qingdao)["total"]
    assert sum(row[11] for row in activities) == 200  # participants, as numbers
    assert len(list(book["媒体报道"].iter_rows(values_only=True))) == 2
    summaries = {row[0]: row for row in book["总结报送"].iter_rows(values_only=True)}
    assert summaries[unit_a.name][-1] == "按时"


def test_the_upward_package_manifest_validates_against_its_schema(qingdao, report_data, activities_a):
    archive = zipfile.ZipFile(BytesIO(reports.upward_zip(campaign=qingdao)))
    manifest = json.loads(archive.read("manifest.json"))
    assert schema_errors(manifest) == []
    assert manifest["schema_version"] == "2.0" and manifest["sender"]["region_code"] == "370200"
    for part in ("docx", "workbook"):
        entry = manifest["report"][part]
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == entry["sha256"]
    [activity] = manifest["activities"]
    assert activity["id"] == f"370200/{qingdao.slug}/activity/{activities_a['held_offline'].pk}"
    assert activity["figures"] == {"participants": 80, "online_views": 0, "checkins": 3, "coverage": 1}
    assert activity["description"]["text"] == "青年科技工作者座谈会。"
    [photo] = activity["photos"]
    assert hashlib.sha256(archive.read(photo["file"])).hexdigest() == photo["sha256"]
    assert len(manifest["summaries"]) == 2  # unit_a's accepted summary and unit_b's submitted one
    assert [s["key"] for s in manifest["summaries"][0]["sections"]] == ["work_done", "results", "experience",
                                                                          "suggestions"]


def test_the_validator_reports_what_is_wrong():
    assert schema_errors({"schema_version": "1.0"})
    broken = {"schema_version": "2.0", "package_id": "x", "generated_at": "x", "campaign": {}, "sender": {},
              "figures": {}, "report": {}, "summaries": [], "role_models": [], "received": [],
              "activities": [{"id": "one"}], "extra": 1}
    errors = schema_errors(broken)
    assert any("extra" in e for e in errors) and any("package_id" in e for e in errors)


def test_charts_are_png_images():
    from PIL import Image

    from summaries.charts import bar_chart

    image = Image.open(BytesIO(bar_chart("按类别", [("科技志愿服务", 12), ("座谈会", 3)])))
    assert image.format == "PNG" and image.width == 1200


def test_the_upward_packages_description_is_plain_text_and_cleaned_html(qingdao, report_data, activities_a):
    activity = activities_a["held_offline"]
    activity.description = ("<p>青年科技工作者座谈会。</p><p>议程：<br>一、交流&amp;讨论</p>"
                            "<ul><li>市南区</li><li>崂山区</li></ul><script>alert(1)</script>"
                            '<p onclick="x()">完</p>')
    activity.save(update_fields=["description"])
    archive = zipfile.ZipFile(BytesIO(reports.upward_zip(campaign=qingdao)))
    [entry] = json.loads(archive.read("manifest.json"))["activities"]
    text = entry["description"]["text"]
    assert "<" not in text and "&amp;" not in text
    assert text == "青年科技工作者座谈会。\n\n议程：\n一、交流&讨论\n\n- 市南区\n- 崂山区\n\n完"
    cleaned = entry["description"]["html"]
    assert "<script" not in cleaned and "onclick" not in cleaned and "<li>市南区</li>" in cleaned
    assert not any(name.endswith(".txt") for name in archive.namelist())
