"""Activities in Excel: the organisers' export (streamed, constant memory) and the units' bulk import."""

import datetime
import re
import tempfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from audit.services import audit_record
from campaigns.models import ActivityForm as FormOfActivity
from core import clock
from core.spreadsheets import sheet_append
from core.xlsx_import import FileRejected, check_workbook
from core.xlsx_stream import XlsxStreamWriter
from organisations.models import UNIT_TYPE_CHINESE, District

from .forms import ActivityEditForm
from .models import Audience, Mode, State
from .services import activity_create, validate_activity

MAX_IMPORT_ROWS = 500
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MODE_CHINESE = {Mode.ONLINE: "线上", Mode.OFFLINE: "线下", Mode.HYBRID: "线上线下"}
YES = {"是", "yes", "y", "1", "true", "√"}

# The import template's columns: (header, key). The Chinese headers are the contract with the units.
IMPORT_COLUMNS = [
    ("活动名称", "title"), ("活动类别序号", "category"), ("活动形式", "form"), ("举办方式", "mode"),
    ("开始时间", "starts_at"), ("结束时间", "ends_at"), ("区市", "district"), ("详细地址", "address"),
    ("线上平台", "platform"), ("线上链接", "link"), ("预计参与人数", "expected_participants"),
    ("与科技活动周联动", "joint_st_week"), ("联系人", "contact_person"), ("联系电话", "contact_phone"),
    ("活动简介", "description"), ("合作单位", "partner_units"), ("目标人群", "audiences"),
    ("公开联系电话", "show_contact_phone"),
]
# Columns added after the first template: a sheet made from the older template may leave them out.
OPTIONAL_COLUMNS = {"audiences", "show_contact_phone"}
# The audiences as the units write them (Chinese, several separated by 、，, ; or spaces); codes work too.
AUDIENCE_CHINESE = {
    "青年科技工作者": Audience.YOUNG_WORKERS, "科技工作者": Audience.WORKERS, "青少年": Audience.YOUTH,
    "老年人": Audience.ELDERLY, "社区居民": Audience.RESIDENTS, "农村群众": Audience.RURAL,
    "企业职工": Audience.EMPLOYEES, "学生": Audience.STUDENTS, "社会公众": Audience.PUBLIC,
}
AUDIENCE_SPLIT = re.compile(r"[、，,;；/\s]+")


# The columns of the export, read as plain values (no model instances: one query, read in chunks).
EXPORT_FIELDS = ("pk", "title", "unit__name", "unit__unit_type", "category__name", "form__name", "mode", "starts_at",
                 "ends_at", "district__name", "address", "platform", "link", "expected_participants",
                 "actual_participants", "online_views", "joint_st_week", "state", "contact_person", "contact_phone")
EXPORT_CHUNK = 2000


def export_rows(activities):
    """The header and one row per activity, read in chunks so that memory stays constant.

    Empty texts are written as empty cells (``None``): a reader sees the same, and openpyxl skips them. The
    times are the instants themselves: the writer makes them local date cells (sortable, filterable); the
    contact phone stays a text."""
    yield [_("ID"), _("Title"), _("Host unit"), _("Unit type"), _("Category"), _("Form"), _("Mode"), _("Starts"),
           _("Ends"), _("District"), _("Address"), _("Online platform"), _("Online link"),
           _("Expected participants"), _("Actual participants"), _("Online views"), _("Joint S&T Week"),
           _("State"), _("Contact person"), _("Contact phone")]
    # Every label is translated once, not once a row.
    states = {value: str(label) for value, label in State.choices}
    modes = {value: str(label) for value, label in Mode.choices}
    yes_no = {True: _("Yes"), False: _("No")}
    for (pk, title, unit, unit_type, category, form, mode, starts_at, ends_at, district, address, platform, link,
         expected, actual, views, joint, state, person, phone) in (
            activities.values_list(*EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK)):
        yield [pk, title or None, unit, UNIT_TYPE_CHINESE.get(unit_type, unit_type), category, form,
               modes.get(mode, mode), starts_at, ends_at, district or None, address or None,
               platform or None, link or None, expected, actual, views, yes_no[joint], states.get(state, state),
               person or None, phone or None]


# Column widths of the export, in characters (by position in the row), every column: the rows are streamed, so
# the widths are set from what the columns hold rather than measured.
EXPORT_WIDTHS = {0: 9, 1: 36, 2: 24, 3: 14, 4: 16, 5: 16, 6: 10, 7: 17, 8: 17, 9: 10, 10: 30, 11: 14, 12: 30,
                 13: 14, 14: 14, 15: 12, 16: 18, 17: 10, 18: 10, 19: 15}


def export_file(activities):
    """A temporary file holding the .xlsx of ``activities``, rows written to it as they are read.

    core.xlsx_stream rather than openpyxl: for 100,000 rows openpyxl's write-only mode alone takes more
    CPU time than the brief allows the whole export (bench/exports.py)."""
    rows = export_rows(activities)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    with XlsxStreamWriter(handle) as workbook:
        workbook.add_sheet(_("Activities"), header=next(rows), widths=EXPORT_WIDTHS, freeze_header=True).extend(rows)
    handle.seek(0)
    return handle


# The import template's column widths (characters) and the columns kept as text (a phone's leading 0).
TEMPLATE_WIDTHS = {"活动名称": 28, "活动形式": 14, "开始时间": 17, "结束时间": 17, "详细地址": 28, "线上平台": 14,
                   "线上链接": 28, "与科技活动周联动": 18, "联系电话": 15, "活动简介": 36, "合作单位": 24,
                   "目标人群": 20, "公开联系电话": 14}
TEMPLATE_TEXT_COLUMNS = ("联系电话",)


def example_times(campaign) -> tuple[datetime.datetime, datetime.datetime]:
    """The example row's start and end: 9:00-11:00 two days before the campaign's key day, or the next day if
    that has passed, kept inside the campaign's window (so the example is a date the import accepts)."""
    day = campaign.key_day - datetime.timedelta(days=2)
    if day <= clock.today():
        day = clock.today() + datetime.timedelta(days=1)
    day = min(max(day, campaign.window_start), campaign.window_end)
    start = datetime.datetime.combine(day, datetime.time(9))
    return start, start + datetime.timedelta(hours=2)


def template_file(campaign):
    """The import template: the header (bold, frozen), one example row dated in ``campaign``'s window, the
    times as date cells, the phone column as text, every column wide enough to read."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "活动导入"
    headers = [header for header, _key in IMPORT_COLUMNS]
    starts, ends = example_times(campaign)
    # The example's category and form are the campaign's own (its first category's first form), so the row
    # imports as it is whatever year the template is for.
    example = (FormOfActivity.objects.filter(category__campaign=campaign).select_related("category")
               .order_by("category__number", "order", "pk").first())
    sheet_append(sheet, headers)
    sheet_append(sheet, ["社区科普讲座", example.category.number if example else 1,
                         example.name if example else "", "线下", starts, ends, "市南区",
                  "香港中路100号社区中心", None, None, 80, "是", "张老师", "13800138000", "面向社区居民的科普讲座",
                  None, "社区居民、老年人", "否"])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.cell(1, index).font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = TEMPLATE_WIDTHS.get(header, max(10, 2 * len(header) + 2))
        if header in TEMPLATE_TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, MAX_IMPORT_ROWS + 2):
                sheet.cell(row, index).number_format = "@"
        elif header in ("开始时间", "结束时间"):
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd hh:mm"
            sheet.cell(2, index).number_format = "yyyy-mm-dd hh:mm"
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _datetime_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return _text(value).replace("/", "-")


def _row_data(raw: dict, *, campaign, forms_by_key, districts) -> tuple[dict, list[str]]:
    """The form data of one row, and the errors found before the form sees it."""
    errors = []
    data = {key: _text(raw.get(key)) for _header, key in IMPORT_COLUMNS}
    form = forms_by_key.get((data["category"], data["form"]))
    if form is None:
        errors.append(_("Category %(category)s has no form “%(form)s”.")
                      % {"category": data["category"] or "?", "form": data["form"]})
    data["form"] = form.pk if form else ""
    mode = {v: k for k, v in MODE_CHINESE.items()}.get(data["mode"], data["mode"])
    data["mode"] = mode
    data["starts_at"] = _datetime_text(raw.get("starts_at"))
    data["ends_at"] = _datetime_text(raw.get("ends_at"))
    if data["district"]:
        district = districts.get(data["district"])
        if district is None:
            errors.append(_("Unknown district “%(name)s”.") % {"name": data["district"]})
        data["district"] = district.pk if district else ""
    data["joint_st_week"] = "on" if data["joint_st_week"].lower() in YES else ""
    data["show_contact_phone"] = "on" if data["show_contact_phone"].lower() in YES else ""
    data["expected_participants"] = data["expected_participants"] or "0"
    audiences = []
    for name in AUDIENCE_SPLIT.split(data["audiences"]):
        if not name:
            continue
        code = AUDIENCE_CHINESE.get(name) or (name if name in Audience.values else None)
        if code is None:
            errors.append(_("Unknown target audience “%(name)s”; use: %(choices)s.")
                          % {"name": name, "choices": "、".join(AUDIENCE_CHINESE)})
        elif code not in audiences:
            audiences.append(code)
    data["audiences"] = audiences or [Audience.PUBLIC]
    return data, errors


def import_activities(*, actor, unit, campaign, uploaded_file) -> list:
    """Create every activity of the sheet, or none: raise ValidationError with one Chinese line per problem."""
    if uploaded_file.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is too large: at most 5 MB is allowed."))
    try:  # sizes, ratios, parts and rows checked before openpyxl parses anything
        check_workbook(uploaded_file, max_rows=MAX_IMPORT_ROWS, max_bytes=MAX_IMPORT_BYTES)
    except FileRejected as error:
        raise ValidationError(error.message) from None
    try:
        workbook = load_workbook(uploaded_file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for files that are not .xlsx
        raise ValidationError(_("This is not an Excel (.xlsx) file. Download the template and fill it in."))
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, [])]
    positions = {key: header.index(h) for h, key in IMPORT_COLUMNS if h in header}
    if any(key not in positions for _h, key in IMPORT_COLUMNS if key not in OPTIONAL_COLUMNS):
        raise ValidationError(_("The columns do not match the template. Download the template and fill it in."))
    forms_by_key = {(str(f.category.number), f.name): f
                    for f in FormOfActivity.objects.filter(category__campaign=campaign).select_related("category")}
    districts = {d.name: d for d in District.objects.all()}
    errors, valid = [], []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        if len(valid) + len(errors) >= MAX_IMPORT_ROWS:
            errors.append(_("At most %(count)d rows can be imported at once.") % {"count": MAX_IMPORT_ROWS})
            break
        raw = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        data, row_errors = _row_data(raw, campaign=campaign, forms_by_key=forms_by_key, districts=districts)
        form = ActivityEditForm(data=data, campaign=campaign)
        if form.is_valid():
            values_ = form.values()
            try:
                validate_activity(values_, campaign=campaign)
            except ValidationError as exc:
                row_errors += [f"{form.fields[f].label if f in form.fields else f}：{m}"
                               for f, ms in exc.message_dict.items() for m in ms]
        else:
            row_errors += [f"{form.fields[f].label if f in form.fields else ''}：{m}"
                           for f, ms in form.errors.items() for m in ms if not (f == "form" and not data["form"])]
        if row_errors:
            errors += [_("Row %(row)d: %(error)s") % {"row": number, "error": e} for e in row_errors]
        else:
            valid.append(form.values())
    workbook.close()
    if errors:
        raise ValidationError(errors)
    if not valid:
        raise ValidationError(_("The file has no activities to import."))
    with transaction.atomic():
        created = [activity_create(actor=actor, unit=unit, campaign=campaign, **values) for values in valid]
        audit_record(action="activities.activity.imported", actor=actor, obj=unit, changes={"count": len(created)})
    return created
