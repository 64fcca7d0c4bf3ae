"""公文 style for every .docx sciday writes (GB/T 9704-2012, see DOMAIN.md "Official document format").

A4 with margins top 37 mm, left 28 mm, right 26 mm, bottom 35 mm; title 22 pt 小标宋 (黑体 as the
fallback: named as the run's Latin font, which Word uses when the East Asian font is missing);
body 16 pt 仿宋_GB2312 (FangSong) at a fixed line spacing of 28.95 pt with a two-character indent;
headings 一、 in 黑体 and （一） in 楷体; page numbers "— 1 —" in the footer, odd pages right and
even pages left. Every run gets its East Asian font through ``w:eastAsia`` of ``w:rFonts``.
"""

from copy import deepcopy
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "黑体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "FangSong"
HEI_FONT, HEI_FALLBACK = "黑体", "SimHei"
KAI_FONT, KAI_FALLBACK = "楷体_GB2312", "KaiTi"
SONG_FONT, SONG_FALLBACK = "宋体", "SimSun"
TITLE_PT, BODY_PT, TABLE_PT, PAGE_NUMBER_PT = 22, 16, 12, 14
LINE_PT = 28.95
INDENT = Pt(BODY_PT * 2)


def set_font(run, east_asian: str, latin: str, size: float, bold: bool = False) -> None:
    """Give ``run`` its East Asian font (w:eastAsia), its Latin font and its size."""
    run.font.name = latin
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _fixed_spacing(paragraph, line_pt: float = LINE_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = fmt.space_after = Pt(0)


def _page_number(paragraph) -> None:
    """"— PAGE —" in 4号 宋体: a PAGE field between two dashes."""
    set_font(paragraph.add_run("— "), SONG_FONT, SONG_FALLBACK, PAGE_NUMBER_PT)
    run = paragraph.add_run()
    set_font(run, SONG_FONT, SONG_FALLBACK, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    set_font(paragraph.add_run(" —"), SONG_FONT, SONG_FALLBACK, PAGE_NUMBER_PT)


class OfficialDocument:
    """A python-docx Document set up as a 公文, with helpers for its paragraph kinds."""

    def __init__(self):
        self.document = Document()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.document.styles["Normal"]
        normal.font.name = BODY_FALLBACK
        normal.font.size = Pt(BODY_PT)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        # Odd pages number on the right, even pages on the left.
        self.document.settings.odd_and_even_pages_header_footer = True
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
        _page_number(odd)
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
        _page_number(even)

    def title(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fixed_spacing(paragraph, 36)
        set_font(paragraph.add_run(text), TITLE_FONT, TITLE_FALLBACK, TITLE_PT)
        self.blank()

    def blank(self) -> None:
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph)
        set_font(paragraph.add_run(""), BODY_FONT, BODY_FALLBACK, BODY_PT)

    def heading1(self, text: str) -> None:
        """一、… in 黑体."""
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph)
        paragraph.paragraph_format.first_line_indent = INDENT
        set_font(paragraph.add_run(text), HEI_FONT, HEI_FALLBACK, BODY_PT)

    def heading2(self, text: str) -> None:
        """（一）… in 楷体."""
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph)
        paragraph.paragraph_format.first_line_indent = INDENT
        set_font(paragraph.add_run(text), KAI_FONT, KAI_FALLBACK, BODY_PT)

    def body(self, text: str, *, indent: bool = True, align=None) -> None:
        for line in (text or "").splitlines() or [""]:
            paragraph = self.document.add_paragraph()
            _fixed_spacing(paragraph)
            if indent:
                paragraph.paragraph_format.first_line_indent = INDENT
            if align is not None:
                paragraph.alignment = align
            set_font(paragraph.add_run(line.strip()), BODY_FONT, BODY_FALLBACK, BODY_PT)

    def table(self, header: list[str], rows: list[list]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        if rows:
            # python-docx's add_row() and .cells get slower with every row: style one row, then copy
            # its XML for each row and only set the texts (one w:t per cell).
            template = table.add_row()
            for cell in template.cells:
                self._cell(cell, "-")  # a placeholder: the copies get the texts
            tr = template._tr
            for values in rows:
                row = deepcopy(tr)
                for text_element, value in zip(row.iter(qn("w:t")), values, strict=True):
                    text_element.text = "" if value is None else str(value)
                tr.addprevious(row)
            tr.getparent().remove(tr)
        self.blank()

    @staticmethod
    def _cell(cell, text: str, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        _fixed_spacing(paragraph, 20)
        set_font(paragraph.add_run(text), BODY_FONT, BODY_FALLBACK, TABLE_PT, bold=bold)

    def picture(self, data: bytes, width_mm: float = 150) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        set_font(run, BODY_FONT, BODY_FALLBACK, BODY_PT)
        run.add_picture(BytesIO(data), width=Mm(width_mm))

    def save(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
