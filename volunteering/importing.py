"""Volunteers from and to an .xlsx in the shape of the national 科技志愿服务信息平台's bulk import.

Reading and checking are plain functions over rows and lookups, with no database access (as in
``organisations.importing``; the file checks and the reading of rows are ``core.xlsx_import``'s);
``services.volunteers_import`` feeds them the lookups and writes all rows in one transaction or none.
The headers are Chinese on purpose: they are the file format.
ID numbers (证件号码) are deliberately not part of the format: sciday does not need them.
"""

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.xlsx_import import FileRejected, RawRow, RowError, read_rows

# (header in the file, field of the row); the order of the template's and the export's columns.
COLUMNS = [
    ("姓名", "name"),
    ("性别", "gender"),
    ("手机号码", "mobile"),
    ("所在单位", "workplace"),
    ("专业领域", "field"),
    ("职称", "title"),
    ("志愿者编号", "registry_number"),
]
HEADERS = [header for header, _field in COLUMNS]
REQUIRED_HEADERS = ["姓名", "手机号码"]
DATA_SHEET = "志愿者"
MAX_ROWS = 20000
GENDERS = {"男": "male", "女": "female", "": ""}
GENDER_LABELS = {"male": "男", "female": "女", "": ""}
MOBILE = re.compile(r"^1[3-9]\d{9}$")
REGISTRY_NUMBER = re.compile(r"^[A-Za-z0-9-]{4,40}$")

__all__ = ["FileRejected", "RowError", "read_workbook", "validate_rows", "build_workbook"]


@dataclass(frozen=True)
class ValidRow:
    number: int
    name: str
    gender: str
    mobile: str
    workplace: str
    field_id: int | None
    title: str
    registry_number: str


def normalise_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    return digits.removeprefix("+86")


def read_workbook(fileobj) -> list[RawRow]:
    """The non-blank data rows of an uploaded .xlsx, or FileRejected saying what is wrong with the file."""
    return read_rows(fileobj, columns=COLUMNS, required_headers=REQUIRED_HEADERS, data_sheet=DATA_SHEET,
                     max_rows=MAX_ROWS)


def validate_rows(rows: Iterable[RawRow], *, fields: dict[str, int], existing_digests: set[str],
                  existing_numbers: set[str], digest) -> tuple[list[ValidRow], list[RowError]]:
    """Check every row; ``fields`` maps a field name to its id, ``digest`` hashes a mobile number.

    A mobile number already kept by the unit (``existing_digests``) or a registry number already
    known (``existing_numbers``) is an error, as is one that repeats an earlier row of the file.
    """
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    seen_mobiles: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for row in rows:
        problems: list[str] = []
        name = row.get("name")
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > 50:
            problems.append(_("the name “%(value)s” is longer than 50 characters") % {"value": name})
        gender_text = row.get("gender")
        if gender_text not in GENDERS:
            problems.append(_("gender “%(value)s” is invalid; write 男 or 女") % {"value": gender_text})
        mobile = normalise_mobile(row.get("mobile"))
        mobile_hash = ""
        if not mobile:
            problems.append(_("the mobile number is missing"))
        elif not MOBILE.match(mobile):
            problems.append(_("mobile number “%(value)s” is invalid: write 11 digits such as 13800138000")
                            % {"value": row.get("mobile")})
        else:
            mobile_hash = digest(mobile)
            if mobile_hash in existing_digests:
                problems.append(_("mobile number %(value)s is already registered in this unit")
                                % {"value": mobile})
            elif mobile in seen_mobiles:
                problems.append(_("mobile number %(value)s repeats row %(first)d")
                                % {"value": mobile, "first": seen_mobiles[mobile]})
            else:
                seen_mobiles[mobile] = row.number
        field_text = row.get("field")
        field_id = None
        if field_text:
            field_id = fields.get(field_text)
            if field_id is None:
                problems.append(_("field of expertise “%(value)s” is not in the list") % {"value": field_text})
        workplace, title = row.get("workplace"), row.get("title")
        if len(workplace) > 100:
            problems.append(_("the workplace is longer than 100 characters"))
        if len(title) > 50:
            problems.append(_("the professional title is longer than 50 characters"))
        number = row.get("registry_number")
        if number:
            if not REGISTRY_NUMBER.match(number):
                problems.append(_("volunteer number “%(value)s” is invalid") % {"value": number})
            elif number in existing_numbers:
                problems.append(_("volunteer number %(value)s is already registered") % {"value": number})
            elif number in seen_numbers:
                problems.append(_("volunteer number %(value)s repeats row %(first)d")
                                % {"value": number, "first": seen_numbers[number]})
            else:
                seen_numbers[number] = row.number
        if problems:
            errors.append(RowError(row.number, problems))
        else:
            valid.append(ValidRow(number=row.number, name=name, gender=GENDERS[gender_text], mobile=mobile,
                                  workplace=workplace, field_id=field_id, title=title, registry_number=number))
    return valid, errors


# Column widths (characters) of the template and the export; the mobile and registry numbers are text columns.
WIDTHS = {"姓名": 12, "性别": 8, "手机号码": 15, "所在单位": 30, "专业领域": 16, "职称": 14, "志愿者编号": 20}
TEXT_HEADERS = ("手机号码", "志愿者编号")


def build_workbook(rows: Iterable[list]) -> bytes:
    """An .xlsx with the header row (bold, frozen) and ``rows`` (lists in COLUMNS order); the empty template
    too. Written write-only (the export may hold every volunteer); the mobile and registry number columns are
    formatted as text, so a number typed into the template keeps its digits."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from core.spreadsheets import inert_row, sheet_append

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(HEADERS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = WIDTHS[header]
        if header in TEXT_HEADERS:
            dimension.number_format = "@"
    bold = Font(bold=True)
    head = []
    for header in HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        head.append(cell)
    sheet_append(sheet, head)
    text_positions = [HEADERS.index(h) for h in TEXT_HEADERS]
    for row in rows:
        values = inert_row(row)  # a volunteer named "=HYPERLINK(…)" stays text
        for position in text_positions:
            if position < len(values) and values[position] not in (None, ""):
                cell = WriteOnlyCell(sheet, value=str(values[position]))
                cell.number_format = "@"
                values[position] = cell
        sheet_append(sheet, values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
