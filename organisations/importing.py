"""Bulk import of units from an .xlsx file: reading the workbook, checking rows, writing the template.

Reading and checking are plain functions over rows and lookup tables, with no database access, so
they can be tested on their own; ``services.unit_import`` feeds them the lookups and writes. The
file checks and the reading of rows as text are ``core.xlsx_import``'s, shared with the other importers.
The column headers are Chinese on purpose and are not translated: they are the file format that
the organisers fill in and send around, and the importer recognises them by name.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.xlsx_import import MAX_FILE_BYTES, RawRow, RowError, read_rows
from core.xlsx_import import FileRejected as FileRejected  # part of this module's interface (views catch it)

from .models import DISTRICT_UNIT_TYPES, UNIT_TYPE_CHINESE, UnitType, level_unit_types
from .services import NAME_MAX_LENGTH, normalise_phone, phone_is_valid

# (header in the file, field of the row); the order of the template's columns.
COLUMNS = [
    ("单位名称", "name"),
    ("单位类型", "unit_type"),
    ("所属区市", "district"),
    ("联系人", "contact_person"),
    ("联系电话", "phone"),
    ("电子邮箱", "email"),
]
HEADERS = [header for header, _field in COLUMNS]
REQUIRED_HEADERS = ["单位名称", "单位类型"]
DATA_SHEET = "单位"
OPTIONS_SHEET = "选项"
MAX_ROWS = 5000
CONTACT_MAX_LENGTH = 50
# Short forms people write for the society type, whose official label is long.
UNIT_TYPE_ALIASES = {
    "市级学会": UnitType.SOCIETY,
    "市级协会": UnitType.SOCIETY,
    "市级研究会": UnitType.SOCIETY,
    "市级学会、协会、研究会": UnitType.SOCIETY,
}


@dataclass(frozen=True)
class ValidRow:
    number: int
    name: str
    unit_type: str
    district_id: int | None
    contact_person: str
    phone: str
    email: str


def unit_type_lookup() -> dict[str, str]:
    """What the file may write in 单位类型: the Chinese label, the internal code or a short form."""
    lookup = {str(label): str(code) for code, label in UNIT_TYPE_CHINESE.items()}
    lookup.update({str(code): str(code) for code in UnitType.values})
    lookup.update({alias: str(code) for alias, code in UNIT_TYPE_ALIASES.items()})
    return lookup


def read_workbook(fileobj) -> list[RawRow]:
    """The non-blank data rows of an uploaded .xlsx, or FileRejected saying what is wrong with the file."""
    return read_rows(fileobj, columns=COLUMNS, required_headers=REQUIRED_HEADERS, data_sheet=DATA_SHEET,
                     max_rows=MAX_ROWS, max_bytes=MAX_FILE_BYTES)


def validate_rows(
    rows: Iterable[RawRow],
    *,
    unit_types: dict[str, str],
    districts: dict[str, int],
    existing_names: set[str],
) -> tuple[list[ValidRow], list[RowError]]:
    """Check every row against the lookups and against the other rows; return the valid rows and errors.

    ``unit_types`` maps what may be written to a type code (see ``unit_type_lookup``), ``districts``
    maps a district's Chinese name to its id, ``existing_names`` holds the names already taken.
    """
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    first_row_of_name: dict[str, int] = {}
    type_choices = "、".join(str(UNIT_TYPE_CHINESE[t]) for t in level_unit_types())
    for row in rows:
        problems: list[str] = []
        name = row.get("name").strip()
        if not name:
            problems.append(_("the unit name is missing"))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(_("the unit name “%(value)s” is longer than %(max)d characters")
                            % {"value": name, "max": NAME_MAX_LENGTH})
        elif name in existing_names:
            problems.append(_("unit “%(value)s” already exists") % {"value": name})
        elif name in first_row_of_name:
            problems.append(_("the unit name “%(value)s” repeats row %(first)d")
                            % {"value": name, "first": first_row_of_name[name]})
        if name and name not in first_row_of_name:
            first_row_of_name[name] = row.number

        type_text = row.get("unit_type").strip()
        unit_type = unit_types.get(type_text)
        if not type_text:
            problems.append(_("the unit type is missing"))
        elif unit_type is None:
            problems.append(_("unit type “%(value)s” is invalid; write one of: %(choices)s")
                            % {"value": type_text, "choices": type_choices})

        district_text = row.get("district").strip()
        district_id = None
        if district_text:
            district_id = districts.get(district_text)
            if district_id is None:
                problems.append(_("district “%(value)s” is unknown") % {"value": district_text})
        elif unit_type in DISTRICT_UNIT_TYPES:
            problems.append(_("a district association or district bureau must name its district"))

        contact = row.get("contact_person").strip()
        if len(contact) > CONTACT_MAX_LENGTH:
            problems.append(_("the contact person “%(value)s” is longer than %(max)d characters")
                            % {"value": contact, "max": CONTACT_MAX_LENGTH})

        phone = normalise_phone(row.get("phone"))
        if phone and not phone_is_valid(phone):
            problems.append(_("phone “%(value)s” is invalid: write a mobile number or a landline such as "
                              "0532-85916831") % {"value": row.get("phone")})

        email = row.get("email").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("e-mail “%(value)s” is invalid") % {"value": email})

        if problems:
            errors.append(RowError(row.number, problems))
        else:
            valid.append(ValidRow(number=row.number, name=name, unit_type=unit_type, district_id=district_id,
                                  contact_person=contact, phone=phone, email=email))
    return valid, errors


def build_template(*, district_names: list[str]) -> bytes:
    """The .xlsx template: the data sheet with headers and drop-downs, and a sheet of valid options."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from core.spreadsheets import sheet_append

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet_append(sheet, HEADERS)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    for letter, width in zip("ABCDEF", (32, 22, 14, 12, 18, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    # Phone numbers as text, so that Excel keeps a landline's leading 0.
    for row in range(2, MAX_ROWS + 2):
        sheet.cell(row=row, column=5).number_format = "@"

    options = workbook.create_sheet(OPTIONS_SHEET)
    sheet_append(options, ["单位类型（可选值）", "所属区市（可选值）", "填写说明"])
    for cell in options[1]:
        cell.font = bold
    options.freeze_panes = "A2"
    type_labels = [str(UNIT_TYPE_CHINESE[t]) for t in level_unit_types()]
    notes = [
        "单位名称、单位类型必填；单位名称不能与已有单位重复。",
        "区市科协、区市科技局必须填写所属区市。",
        "联系电话：手机号（如 13800138000）或固定电话（如 0532-85916831）。",
        f"每个文件最多 {MAX_ROWS} 行。任何一行有错误时，整个文件都不会导入。",
    ]
    for index in range(max(len(type_labels), len(district_names), len(notes))):
        sheet_append(options, [
            type_labels[index] if index < len(type_labels) else None,
            district_names[index] if index < len(district_names) else None,
            notes[index] if index < len(notes) else None,
        ])
    options.column_dimensions["A"].width = 24
    options.column_dimensions["B"].width = 18
    options.column_dimensions["C"].width = 60

    last = MAX_ROWS + 1
    type_list = DataValidation(type="list", formula1=f"'{OPTIONS_SHEET}'!$A$2:$A${len(type_labels) + 1}",
                               allow_blank=True, showErrorMessage=True, errorTitle="单位类型",
                               error="请从下拉列表中选择单位类型。")
    type_list.add(f"B2:B{last}")
    sheet.add_data_validation(type_list)
    if district_names:
        district_list = DataValidation(type="list",
                                       formula1=f"'{OPTIONS_SHEET}'!$B$2:$B${len(district_names) + 1}",
                                       allow_blank=True, showErrorMessage=True, errorTitle="所属区市",
                                       error="请从下拉列表中选择所属区市。")
        district_list.add(f"C2:C{last}")
        sheet.add_data_validation(district_list)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
