"""Reading an uploaded .xlsx for a bulk import: the file checks and the rows as text, for every importer.

An importer (``organisations.importing``, ``volunteering.importing``) names its columns and checks
its rows; this module refuses a file that is empty, too large, not an .xlsx, a zip bomb (core.zipguard:
member sizes, ratios, shared strings, a sheet reaching beyond the import's rows, all before parsing) or not a
readable workbook, finds the columns by their header in the first row (in any order, a trailing ``*`` of a
required column ignored), and returns the non-blank rows as text with the row numbers Excel shows.
Every refusal of the file as a whole is a ``FileRejected`` whose message is for the user.
"""

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from core.zipguard import XLSX_PARTS, ContainerRejected, check_container, check_sheet_rows

MAX_FILE_BYTES = 5 * 1024 * 1024
# Columns read beyond the known ones, so that a header moved to the right is still found.
EXTRA_COLUMNS = 20


class FileRejected(Exception):
    """The uploaded file as a whole cannot be imported; ``message`` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawRow:
    """One data row of the sheet as text: ``number`` is the row number Excel shows."""

    number: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class RowError:
    """Every problem of one row (``number`` 0 is a problem of the whole file)."""

    number: int
    messages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        problems = "；".join(self.messages)
        if not self.number:
            return problems
        return _("Row %(row)d: %(problems)s") % {"row": self.number, "problems": problems}


def cell_text(value) -> str:
    """A cell as the user sees it: 13800138000 rather than 13800138000.0, no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def check_is_xlsx(fileobj, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """FileRejected unless ``fileobj`` is a non-empty .xlsx (a zip with ``[Content_Types].xml``) of
    at most ``max_bytes``; leaves the file at its start."""
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise FileRejected(_("The file is empty."))
    if size > max_bytes:
        raise FileRejected(_("The file is larger than %(mb)d MB; split it into several files.")
                           % {"mb": max_bytes // (1024 * 1024)})
    not_xlsx = _("This is not an Excel .xlsx file. Please download the template, fill it in and upload it; "
                 "an old .xls file must first be saved as .xlsx in Excel.")
    try:
        with zipfile.ZipFile(fileobj) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                raise FileRejected(not_xlsx)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(not_xlsx)
    finally:
        fileobj.seek(0)
    try:  # before anything parses it: the sizes, ratios and parts the zip declares
        check_container(fileobj, parts=XLSX_PARTS)
    except ContainerRejected as error:
        raise FileRejected(error.message) from None


def row_number_limit(max_rows: int) -> int:
    """The last row number a sheet of an import capped at ``max_rows`` data rows may reach: the header, the
    rows, and as many blank or formatted rows again (a template formats its empty rows)."""
    return 2 * max_rows + 1


def check_workbook(fileobj, *, max_rows: int, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Every check that comes before parsing an uploaded .xlsx for an import of at most ``max_rows`` rows: an
    .xlsx of at most ``max_bytes``, a sound zip container (core.zipguard), and no sheet reaching beyond
    ``row_number_limit(max_rows)`` (found from the XML without building a row). FileRejected otherwise."""
    check_is_xlsx(fileobj, max_bytes=max_bytes)
    try:
        check_sheet_rows(fileobj, max_row_number=row_number_limit(max_rows), max_rows=max_rows)
    except ContainerRejected as error:
        raise FileRejected(error.message) from None


def read_rows(
    fileobj,
    *,
    columns: Sequence[tuple[str, str]],
    required_headers: Sequence[str],
    data_sheet: str,
    max_rows: int,
    max_bytes: int = MAX_FILE_BYTES,
) -> list[RawRow]:
    """The non-blank data rows of an uploaded .xlsx, or FileRejected saying what is wrong with the file.

    ``columns`` pairs each header of the file with the key of its value in a row; the sheet named
    ``data_sheet`` is read, else the first one. More than ``max_rows`` data rows are refused.
    """
    from openpyxl import load_workbook

    check_workbook(fileobj, max_rows=max_rows, max_bytes=max_bytes)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise FileRejected(_("The file cannot be read as an Excel workbook. Please use the template."))
    headers = {header for header, _key in columns}
    try:
        sheet = workbook[data_sheet] if data_sheet in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=len(columns) + EXTRA_COLUMNS)
        header = next(rows, None)
        if header is None:
            raise FileRejected(_("The sheet is empty. Please use the template."))
        positions: dict[str, int] = {}
        for index, value in enumerate(header):
            text = cell_text(value).rstrip("*＊").strip()
            if text in headers and text not in positions:
                positions[text] = index
        missing = [h for h in required_headers if h not in positions]
        if missing:
            raise FileRejected(
                _("The first row must hold the template's column headers; missing: %(headers)s.")
                % {"headers": "、".join(missing)})
        wanted = [(key, positions.get(header_text)) for header_text, key in columns]
        result = []
        for number, values in enumerate(rows, start=2):
            texts = {key: cell_text(values[pos]) if pos is not None and pos < len(values) else ""
                     for key, pos in wanted}
            if not any(texts.values()):
                continue
            if len(result) >= max_rows:
                raise FileRejected(_("The file has more than %(max)d rows; split it into several files.")
                                   % {"max": max_rows})
            result.append(RawRow(number=number, values=texts))
    finally:
        workbook.close()
    if not result:
        raise FileRejected(_("The file has no data rows below the headers."))
    return result
