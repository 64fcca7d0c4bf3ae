"""A small streaming .xlsx writer for the big raw exports (Office Open XML SpreadsheetML, no dependencies).

Why not openpyxl here: for 100,000 rows openpyxl's write-only mode spends 8-12 s of CPU on the cells of the
activities and survey raw exports, where writing the same cells as sheet XML takes 1-4 s (bench/exports.py),
and the brief's target is 10 s in all. openpyxl stays for everything else (formatted workbooks, templates,
imports); this writer only does what a raw data export needs:

    with XlsxStreamWriter(handle) as workbook:
        sheet = workbook.add_sheet("responses", header=["id", "date"], widths={1: 12}, freeze_header=True)
        for row in rows:
            sheet.append(row)
        workbook.add_sheet("codebook", header=[...]).extend(codebook_rows)

Each row goes straight into the deflated zip entry of its sheet (memory stays flat whatever the row count);
sheets are written one after another (adding a sheet finishes the one before). Cells: None and "" are left
empty; bool; int, float and Decimal as numbers (NaN and infinities are left empty); str as inline strings
(XML-escaped, characters XML cannot hold removed, at most 32,767 characters as in Excel; a text that
a spreadsheet would take for a formula gets a leading apostrophe, as everywhere: core.spreadsheets); date and
datetime as real date cells (a serial number shown "yyyy-mm-dd" or "yyyy-mm-dd hh:mm"; an aware datetime in the
local time zone), anything else as its str(). The header row is bold. ``fitted_widths`` sizes columns to
their contents (CJK characters count double) for a sheet whose rows are at hand.
"""

import datetime
import decimal
import math
import re
import zipfile
from collections.abc import Iterable

from core.spreadsheets import FORMULA_STARTS, inert

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767  # characters in a cell (Excel)
MAX_SHEET_NAME = 31
_FORBIDDEN_IN_NAME = re.compile(r"[\[\]:*?/\\]")

# Characters XML 1.0 cannot hold (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a text needs worked on before it goes in: escaping, a CR kept as a reference (a parser would turn a raw
# CR into LF), or illegal characters.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_BOLD = 1  # the cellXfs index of the header style
_DATE, _DATETIME = 2, 3  # the cellXfs indexes of date cells
_EPOCH = datetime.datetime(1899, 12, 30)


def _serial(value: datetime.datetime) -> str:
    """An Excel date serial (days since 1899-12-30, the time as the fraction)."""
    delta = value - _EPOCH
    return repr(round(delta.days + delta.seconds / 86400, 8))


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def fitted_widths(header: list, rows: Iterable[Iterable], *, at_most: int = 60) -> dict[int, float]:
    """Column widths (characters) that fit ``header`` and ``rows``, between 6 and ``at_most``."""
    widths: dict[int, int] = {i: _width(v) for i, v in enumerate(header)}
    for row in rows:
        for i, value in enumerate(row):
            w = _width(value)
            if w > widths.get(i, 0):
                widths[i] = w
    return {i: min(max(w + 2, 6), at_most) for i, w in widths.items()}


def column_letter(index: int) -> str:
    """The letters of the 1-based column ``index``: 1 → A, 26 → Z, 27 → AA, 16384 → XFD."""
    if not 1 <= index <= MAX_COLUMNS:
        raise ValueError(f"Column {index} is outside 1..{MAX_COLUMNS}.")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS: list[str] = []


def _letters(count: int) -> list[str]:
    """The letters of the first ``count`` columns (worked out once, kept for every sheet)."""
    if count > MAX_COLUMNS:
        raise ValueError(f"A sheet holds at most {MAX_COLUMNS} columns.")
    while len(_LETTERS) < count:
        _LETTERS.append(column_letter(len(_LETTERS) + 1))
    return _LETTERS


def validate_sheet_name(name: str) -> str:
    """``name`` if Excel accepts it as a sheet name, else ValueError."""
    if not isinstance(name, str) or not name or len(name) > MAX_SHEET_NAME:
        raise ValueError(f"A sheet name has 1 to {MAX_SHEET_NAME} characters: {name!r}.")
    if _FORBIDDEN_IN_NAME.search(name) or _ILLEGAL.search(name):
        raise ValueError(f"A sheet name cannot contain [ ] : * ? / \\ or control characters: {name!r}.")
    if name.startswith("'") or name.endswith("'"):
        raise ValueError(f"A sheet name cannot begin or end with an apostrophe: {name!r}.")
    return name


def _text(value: str) -> str:
    """``value`` as the content of a <t> element (illegal characters out, inert if it looks like a formula —
    core.spreadsheets' one rule —, cut to Excel's length, escaped)."""
    special = _SPECIAL.search(value)
    if special:
        value = _ILLEGAL.sub("", value)
    if value.startswith(FORMULA_STARTS):
        value = inert(value)
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    if special:
        value = value.translate(_ESCAPES)
    return value


def _string_cell(ref: str, value: str) -> str:
    text = _text(value)
    if not text:
        return ""
    if text[0].isspace() or text[-1].isspace():
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _other_cell(ref: str, value) -> str:
    """The cell of a value that is not None, an exact str or an exact int (those are done inline)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{float.__repr__(value)}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{int.__repr__(value)}</v></c>'
    if isinstance(value, decimal.Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>' if value.is_finite() else ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        return f'<c r="{ref}" s="{_DATETIME}"><v>{_serial(value)}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{_DATE}"><v>{_serial(datetime.datetime(value.year, value.month, value.day))}</v></c>'
    return _string_cell(ref, str(value))


class Sheet:
    """One worksheet being written; rows go in with ``append`` (or ``extend``)."""

    _FLUSH_ROWS = 200  # rows gathered before they are compressed into the zip entry

    def __init__(self, writer: "XlsxStreamWriter", name: str, stream):
        self.writer, self.name, self._stream = writer, name, stream
        self.rows = 0
        self._pending: list[str] = []
        self._closed = False

    def append(self, row: Iterable, *, _style: str = "") -> None:
        """Write ``row`` (an iterable of cell values, the first in column A) as the next row."""
        if self._closed:
            raise ValueError(f"Sheet {self.name!r} is finished: a later sheet has been added.")
        number = self.rows + 1
        if number > MAX_ROWS:
            raise ValueError(f"A sheet holds at most {MAX_ROWS} rows.")
        self.rows = number
        r = str(number)
        letters = _LETTERS
        parts = [f'<row r="{r}">']
        add = parts.append
        for i, value in enumerate(row):
            if value is None:
                continue
            try:
                ref = letters[i] + r
            except IndexError:
                ref = _letters(i + 1)[i] + r
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                if value.isalnum():  # most texts: nothing to escape or remove, no spaces to keep
                    add(f'<c r="{ref}"{_style} t="inlineStr"><is><t>{value}</t></is></c>'
                        if len(value) <= MAX_TEXT else _string_cell(ref, value))
                    continue
                cell = _string_cell(ref, value)
            elif kind is int:
                add(f'<c r="{ref}"{_style}><v>{value}</v></c>')
                continue
            else:
                cell = _other_cell(ref, value)
            if cell:
                add(cell.replace(f'r="{ref}"', f'r="{ref}"{_style}', 1) if _style else cell)
        add("</row>")
        pending = self._pending
        pending.append("".join(parts))
        if len(pending) >= self._FLUSH_ROWS:
            self._flush()

    def extend(self, rows: Iterable[Iterable]) -> None:
        """Write each of ``rows`` as the next row."""
        append = self.append
        for row in rows:
            append(row)

    def _flush(self) -> None:
        if self._pending:
            self._stream.write("".join(self._pending).encode())
            self._pending.clear()

    def _close(self) -> None:
        if not self._closed:
            self._flush()
            self._stream.write(b"</sheetData></worksheet>")
            self._stream.close()
            self._closed = True


class XlsxStreamWriter:
    """A workbook written as it goes to ``path_or_file`` (a path, or a binary file object, which is left
    open). Use it as a context manager: leaving the block writes the workbook parts and closes the zip."""

    def __init__(self, path_or_file, *, compresslevel: int | None = None):
        self._zip = zipfile.ZipFile(path_or_file, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[tuple[str, bool]] = []  # (name, its header row is frozen)
        self._current: Sheet | None = None
        self._closed = False

    def __enter__(self) -> "XlsxStreamWriter":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:  # release the file; what was written is not a workbook
            self._closed = True
            if self._current is not None:
                self._current._closed = True
                self._current._stream.close()
            self._zip.close()

    def add_sheet(self, name: str, header: list[str] | None = None, widths: dict | None = None, *,
                  freeze_header: bool = False) -> Sheet:
        """Finish the current sheet and start sheet ``name``, with a bold ``header`` row if given (frozen
        with ``freeze_header``) and column ``widths`` ({0-based position or column letters: width in
        characters})."""
        if self._closed:
            raise ValueError("The workbook is closed.")
        validate_sheet_name(name)
        if name.casefold() in {n.casefold() for n, _frozen in self._sheets}:
            raise ValueError(f"There is already a sheet named {name!r}.")
        frozen = bool(freeze_header and header)
        head = self._sheet_head(frozen, widths).encode()
        if self._current is not None:
            self._current._close()
        self._sheets.append((name, frozen))
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w", force_zip64=True)
        stream.write(head)
        sheet = self._current = Sheet(self, name, stream)
        if header is not None:
            sheet.append(header, _style=f' s="{_BOLD}"')
        return sheet

    @staticmethod
    def _sheet_head(frozen: bool, widths: dict | None) -> str:
        parts = [_XML_HEAD, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
        if frozen:
            parts.append('<sheetViews><sheetView workbookViewId="0">'
                         '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                         '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>')
        else:
            parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
        parts.append('<sheetFormatPr defaultRowHeight="15"/>')
        if widths:
            columns = {}
            for key, width in widths.items():
                index = key + 1 if isinstance(key, int) else _column_index(key)
                column_letter(index)  # in range
                width = float(width)
                if not 0 < width <= 255:
                    raise ValueError(f"A column width is between 0 and 255 characters, not {width}.")
                columns[index] = width
            parts.append("<cols>")
            parts += [f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in sorted(columns.items())]
            parts.append("</cols>")
        parts.append("<sheetData>")
        return "".join(parts)

    def close(self) -> None:
        """Finish the last sheet and write the workbook parts (once)."""
        if self._closed:
            return
        if self._current is not None:
            self._current._close()
        if not self._sheets:  # a workbook has at least one sheet
            self.add_sheet("Sheet1")._close()
        self._closed = True
        count = len(self._sheets)
        write = self._zip.writestr
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
                            for i in range(1, count + 1))
        write("[Content_Types].xml", _XML_HEAD
              + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/xl/workbook.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
              '<Override PartName="/xl/styles.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
              '<Override PartName="/docProps/app.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
              + overrides + "</Types>")
        write("_rels/.rels", _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">'
              f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
              f'<Relationship Id="rId2" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
              "</Relationships>")
        write("docProps/app.xml", _XML_HEAD + '<Properties xmlns='
              '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
              "<Application>sciday</Application></Properties>")
        sheets = "".join(f'<sheet name="{_attribute(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _frozen) in enumerate(self._sheets, start=1))
        write("xl/workbook.xml", _XML_HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
              '<bookViews><workbookView activeTab="0"/></bookViews>'
              f"<sheets>{sheets}</sheets></workbook>")
        relations = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                            for i in range(1, count + 1))
        write("xl/_rels/workbook.xml.rels", _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">{relations}'
              f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        write("xl/styles.xml", _STYLES)
        self._zip.close()


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _column_index(letters: str) -> int:
    if not re.fullmatch(r"[A-Z]{1,3}", letters or ""):
        raise ValueError(f"Not column letters: {letters!r}.")
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index
