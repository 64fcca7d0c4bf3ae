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
# The type area is 156 mm wide: 28 characters a line is a pitch of 156 mm / 28 = 15.79 pt. The document
# grid's w:charSpace is the difference from the body size (16 pt) in 1/4096 pt: (15.79 - 16) × 4096.
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 156, 225
CHAR_SPACE = round((TYPE_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE - BODY_PT) * 4096)
LINE_PITCH_TWIPS = round(LINE_PT * 20)
# The footer's distance from the page's lower edge, so that the page number sits 7 mm below the type
# area (35 mm bottom margin − 7 mm − the number's 4号 line).
FOOTER_DISTANCE_MM = 21
BODY_CONDENSE_TWIPS = -6  # −0.3 pt of character spacing for 3号 body text
TITLE_LINE_CHARS = 20  # a 2号 title line holds about 20 characters in the 156 mm type area
# Where a title may break (sense boundaries): after these…
_BREAK_AFTER = ("关于", "”", "）", "：", "、", "暨")
# …and before these.
_BREAK_BEFORE = ("的", "工作", "活动", "情况", "汇总", "推荐表", "评审结果", "公示", "结果报告", "（")


# Elements that follow w:spacing in w:rPr, and w:snapToGrid in w:pPr (the schema's order).
_AFTER_RUN_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                      "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                      "w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_SNAP_TO_GRID = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
                       "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                       "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


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
    if size == BODY_PT:
        # 28 characters of 16 pt need 442 pt but the type area is 442.2 pt wide: each character is
        # condensed a little (a 15.7 pt advance) so that it fits one cell of the grid (15.79 pt) instead
        # of taking two.
        spacing = r_pr.find(qn("w:spacing"))
        if spacing is None:
            spacing = OxmlElement("w:spacing")
            r_pr.insert_element_before(spacing, *_AFTER_RUN_SPACING)
        spacing.set(qn("w:val"), str(BODY_CONDENSE_TWIPS))


def off_grid(paragraph) -> None:
    """Let a paragraph whose text is not 3号 (titles, tables, notes, the page number) ignore the
    character grid: larger characters would otherwise take two cells each, smaller ones be spread out."""
    p_pr = paragraph._p.get_or_add_pPr()
    snap = p_pr.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        p_pr.insert_element_before(snap, *_AFTER_SNAP_TO_GRID)
    snap.set(qn("w:val"), "0")


def _fixed_spacing(paragraph, line_pt: float = LINE_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = fmt.space_after = Pt(0)


def _page_number(paragraph) -> None:
    """"— PAGE —" in 4号 宋体: a PAGE field between two dashes."""
    off_grid(paragraph)
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


def date_text(day) -> str:
    """A date in Arabic numerals the 公文 way: year年month月day日, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def title_lines(text: str, width: int = TITLE_LINE_CHARS) -> list[str]:
    """Break a title into lines of at most ``width`` characters at sense boundaries only (after 关于,
    a closing quote or bracket; before 的, 工作, 情况…), never inside a word; explicit newlines are
    kept. A stretch with no boundary stays whole (a longer line rather than a broken word)."""
    lines: list[str] = []
    for part in text.splitlines():
        while len(part) > width:
            cuts = set()
            for token in _BREAK_AFTER:
                start = part.find(token)
                while start != -1:
                    cuts.add(start + len(token))
                    start = part.find(token, start + 1)
            for token in _BREAK_BEFORE:
                start = part.find(token, 1)
                while start != -1:
                    cuts.add(start)
                    start = part.find(token, start + 1)
            # a quoted name 「“…”」 is one word: no cut inside it
            opened = [i for i, ch in enumerate(part) if ch == "“"]
            closed = [i for i, ch in enumerate(part) if ch == "”"]
            cuts = {c for c in cuts if not any(o < c <= e for o, e in zip(opened, closed, strict=False))}
            fitting = [c for c in cuts if 0 < c <= width and c < len(part)]
            if not fitting:
                later = sorted(c for c in cuts if width < c < len(part))
                if not later:
                    break
                fitting = [later[0]]
            cut = max(fitting)
            lines.append(part[:cut])
            part = part[cut:]
        if part:
            lines.append(part)
    return lines


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _document_grid(section) -> None:
    """22 lines of 28 characters: w:docGrid type linesAndChars with the line and character pitch."""
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _row_flags(tr, header: bool) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header and tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


class OfficialDocument:
    """A python-docx Document set up as a 公文, with helpers for its paragraph kinds."""

    def __init__(self):
        self.document = Document()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.header_distance = Mm(15)
        _document_grid(section)
        normal = self.document.styles["Normal"]
        normal.font.name = BODY_FALLBACK
        normal.font.size = Pt(BODY_PT)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        # LibreOffice wraps grid-snapped lines of mixed Chinese, digits and quotes early (at half the
        # width): the text is laid out by its condensed advance (28 a line), the grid stays for Word.
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        normal.element.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP_TO_GRID)
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
        """The title, centred, broken only at sense boundaries (title_lines)."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fixed_spacing(paragraph, 36)
        off_grid(paragraph)
        _keep_with_next(paragraph)
        for index, line in enumerate(title_lines(text)):
            run = paragraph.add_run(line)
            set_font(run, TITLE_FONT, TITLE_FALLBACK, TITLE_PT)
            if index:
                run._element.insert(0, OxmlElement("w:br"))
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
        _keep_with_next(paragraph)
        set_font(paragraph.add_run(text), HEI_FONT, HEI_FALLBACK, BODY_PT)

    def heading2(self, text: str) -> None:
        """（一）… in 楷体."""
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph)
        paragraph.paragraph_format.first_line_indent = INDENT
        _keep_with_next(paragraph)
        set_font(paragraph.add_run(text), KAI_FONT, KAI_FALLBACK, BODY_PT)

    def heading3(self, text: str) -> None:
        """1. … in 仿宋, bold."""
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph)
        paragraph.paragraph_format.first_line_indent = INDENT
        _keep_with_next(paragraph)
        set_font(paragraph.add_run(text), BODY_FONT, BODY_FALLBACK, BODY_PT, bold=True)

    def note(self, text: str) -> None:
        """A short note under a table (附表: …), 仿宋 at table size."""
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph, 20)
        off_grid(paragraph)
        set_font(paragraph.add_run(text), BODY_FONT, BODY_FALLBACK, TABLE_PT)

    def closing(self, issuers: str, date_text: str) -> None:
        """落款: the issuing body (one line per issuer) and the 成文日期, right-aligned, kept together."""
        self.blank()
        names = [line.strip() for line in (issuers or "").splitlines() if line.strip()]
        for name in names:
            paragraph = self.document.add_paragraph()
            _fixed_spacing(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(BODY_PT * 2)
            _keep_with_next(paragraph)
            set_font(paragraph.add_run(name), BODY_FONT, BODY_FALLBACK, BODY_PT)
        paragraph = self.document.add_paragraph()
        _fixed_spacing(paragraph)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(BODY_PT * 4)
        set_font(paragraph.add_run(date_text), BODY_FONT, BODY_FALLBACK, BODY_PT)

    def body(self, text: str, *, indent: bool = True, align=None) -> None:
        for line in (text or "").splitlines() or [""]:
            paragraph = self.document.add_paragraph()
            _fixed_spacing(paragraph)
            if indent:
                paragraph.paragraph_format.first_line_indent = INDENT
            if align is not None:
                paragraph.alignment = align
            set_font(paragraph.add_run(line.strip()), BODY_FONT, BODY_FALLBACK, BODY_PT)

    def table(self, header: list[str], rows: list[list], *, header_row: bool = True) -> None:
        """A table whose header row repeats on each page and whose rows never split across pages. With
        ``header_row=False`` the first row is ordinary data (a form such as the 推荐表)."""
        if not header_row:
            header, rows = rows[0], rows[1:]
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=header_row)
        _row_flags(table.rows[0]._tr, header=header_row)
        if rows:
            # python-docx's add_row() and .cells get slower with every row: style one row, then copy
            # its XML for each row and only set the texts (one w:t per cell).
            template = table.add_row()
            for cell in template.cells:
                self._cell(cell, "-")  # a placeholder: the copies get the texts
            tr = template._tr
            _row_flags(tr, header=False)
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
        off_grid(paragraph)
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
