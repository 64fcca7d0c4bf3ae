"""Every .docx sciday writes, rendered by LibreOffice and read back from the PDF (GB/T 9704-2012, issue 14
item 3): A4; a full body line holds 28 characters, the 28th at the right margin; the page number
「— n —」 7 mm below the type area, odd pages right and even pages left; no heading ends a page.

Needs soffice (libreoffice-writer-nogui) and pdftotext (poppler-utils): both are in .ci/run, so this runs in CI.
"""

import re
import shutil
import subprocess
from html import unescape
from io import BytesIO

import pytest
from django.utils import translation

from awards import exports as award_exports
from awards.models import Nomination
from awards.tests.factories import NominationFactory, SelectionFactory
from summaries import cityreport, reports
from summaries.models import SummaryState
from surveys import exports as survey_exports
from surveys import selectors as survey_selectors

from .factories import HighlightFactory, SummaryFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                 reason="LibreOffice and poppler-utils are installed by .ci/run")]

PT_PER_MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * PT_PER_MM, 297 * PT_PER_MM
LEFT, RIGHT_EDGE = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
TYPE_BOTTOM = (297 - 35) * PT_PER_MM
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.\s)")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
LONG_TEXT = ("科技工作者是推动科技创新的主体力量，我们坚持面向世界科技前沿、面向经济主战场、面向国家重大需求、"
             "面向人民生命健康，组织开展了形式多样的主题活动，营造尊重知识、尊重人才、尊重创造的良好氛围。") * 6


def _pages(docx: bytes, tmp_path, name: str) -> list[dict]:
    """The PDF's pages: size and the text lines (words grouped by their baseline), each with its box."""
    source = tmp_path / f"{name}.docx"
    source.write_bytes(docx)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, timeout=180, capture_output=True)
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / f"{name}.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = []
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        lines: dict[float, list] = {}
        for x0, y0, x1, y1, text in WORD.findall(page[2]):
            key = round(float(y1))
            lines.setdefault(key, []).append((float(x0), float(y0), float(x1), float(y1), unescape(text)))
        ordered = []
        for _key, words in sorted(lines.items()):
            words.sort()
            ordered.append({"x0": words[0][0], "x1": words[-1][2], "y0": min(w[1] for w in words),
                            "text": "".join(w[4] for w in words)})
        pages.append({"width": float(page[0]), "height": float(page[1]), "lines": ordered})
    return pages


def _check(pages: list[dict], *, full_lines: bool) -> None:
    assert pages
    for number, page in enumerate(pages, start=1):
        assert page["width"] == pytest.approx(PAGE_W, abs=1) and page["height"] == pytest.approx(PAGE_H, abs=1)
        footer = [line for line in page["lines"] if line["y0"] > TYPE_BOTTOM]
        assert [line["text"] for line in footer] == [f"—{number}—"], number
        # 7 mm below the type area (the top of the number's line; ±1.5 mm for the glyphs' own margins)
        assert footer[0]["y0"] - TYPE_BOTTOM == pytest.approx(7 * PT_PER_MM, abs=1.5 * PT_PER_MM)
        if number % 2:  # odd: right, one character (14 pt) in from the edge of the type area
            assert footer[0]["x1"] == pytest.approx(RIGHT_EDGE - 14, abs=4)
        else:
            assert footer[0]["x0"] == pytest.approx(LEFT + 14, abs=4)
        body = [line for line in page["lines"] if line["y0"] <= TYPE_BOTTOM]
        if number < len(pages) and body:
            assert not HEADING.match(body[-1]["text"]), f"page {number} ends with the heading {body[-1]['text']}"
    if full_lines:
        full = [line for page in pages for line in page["lines"]
                if line["x0"] == pytest.approx(LEFT, abs=2) and re.fullmatch(r"[\u4e00-\u9fff，、。；：]+",
                                                                             line["text"])
                and len(line["text"]) >= 27]
        # a line may hold 27 when the 28th would leave a comma to start the next line (禁则)
        assert all(len(line["text"]) <= 28 for line in full), [line["text"] for line in full]
        full = [line for line in full if len(line["text"]) == 28]
        assert full, "no full line of 28 characters"
        for line in full:
            assert line["x1"] == pytest.approx(RIGHT_EDGE, abs=3), line  # the 28th at the right margin


@pytest.fixture
def city(qingdao, unit_a, unit_b, activities_a):
    summary = SummaryFactory(unit=unit_a, state=SummaryState.ACCEPTED, work_done=LONG_TEXT, results=LONG_TEXT,
                             suggestions=LONG_TEXT)
    for i in range(6):
        HighlightFactory(summary=summary, title=f"青年科技沙龙第{i + 1}期", text=LONG_TEXT, is_starred=True)
    SummaryFactory(unit=unit_b, state=SummaryState.SUBMITTED, is_late=True)
    return summary


def test_the_city_report_renders_to_the_standard(qingdao, city, tmp_path):
    with translation.override("zh-hans"):
        docx = cityreport.report_docx(campaign=qingdao)
    pages = _pages(docx, tmp_path, "city")
    assert len(pages) >= 3  # odd and even pages both checked
    _check(pages, full_lines=True)


def test_a_units_summary_renders_to_the_standard(qingdao, city, tmp_path):
    with translation.override("zh-hans"):
        docx = reports.summary_docx(summary=city)
    _check(_pages(docx, tmp_path, "summary"), full_lines=True)


def test_the_survey_report_renders_to_the_standard(qingdao, tmp_path):
    from surveys.seeding import survey_load_seed

    survey = survey_load_seed(slug="qingdao-2022")[0]
    questions = survey_selectors.questions_of(survey)
    with translation.override("zh-hans"):
        response = survey_exports.export_docx(survey=survey, questions=questions, filters=survey_selectors.Filters())
    pages = _pages(response.content, tmp_path, "survey")
    _check(pages, full_lines=False)
    assert "结果报告" in "".join(line["text"] for line in pages[0]["lines"][:3])


def test_the_awards_documents_render_to_the_standard(qingdao, unit_a, tmp_path, settings):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    nominations = [NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.FINALIST,
                                     achievements=LONG_TEXT, deeds_summary=LONG_TEXT[:280]) for _ in range(3)]
    with translation.override("zh-hans"):
        documents = {"nomination": award_exports.nomination_docx(nominations[0], reveal=False),
                     "committee": award_exports.committee_docx(selection, reveal=False),
                     "notice": award_exports.notice_docx(selection)}
    for name, docx in documents.items():
        pages = _pages(docx, tmp_path, name)
        _check(pages, full_lines=name != "committee")
    from docx import Document

    text = "".join(p.text for p in Document(BytesIO(documents["notice"])).paragraphs)
    assert "异议" in text and "联系人" in text
