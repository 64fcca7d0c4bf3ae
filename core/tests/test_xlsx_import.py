"""The shared .xlsx import reading: file checks with Chinese messages, columns by header, rows as text."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from core.xlsx_import import FileRejected, RawRow, RowError, cell_text, check_is_xlsx, read_rows

COLUMNS = [("姓名", "name"), ("电话", "phone"), ("备注", "note")]
READ = {"columns": COLUMNS, "required_headers": ["姓名", "电话"], "data_sheet": "名单", "max_rows": 10}


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def xlsx(rows, *, headers=("姓名", "电话", "备注"), title="名单", first_sheet=None) -> io.BytesIO:
    workbook = Workbook()
    if first_sheet is not None:
        workbook.active.title = first_sheet
        sheet = workbook.create_sheet(title)
    else:
        sheet = workbook.active
        sheet.title = title
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def rejected(fileobj, **overrides) -> str:
    with pytest.raises(FileRejected) as error:
        read_rows(fileobj, **{**READ, **overrides})
    return error.value.message


def test_rows_come_as_text_with_excel_row_numbers_and_blank_rows_skipped():
    rows = read_rows(xlsx([["张三", 13800138000], [None, None, None], ["李四", "0532-85916831", " 备 "]]), **READ)
    assert rows == [RawRow(2, {"name": "张三", "phone": "13800138000", "note": ""}),
                    RawRow(4, {"name": "李四", "phone": "0532-85916831", "note": "备"})]


def test_columns_are_found_by_header_in_any_order_and_a_required_star_is_ignored():
    rows = read_rows(xlsx([["备注一", "13800138000", "王五"]], headers=("备注", "电话*", "姓名＊")), **READ)
    assert rows[0].values == {"name": "王五", "phone": "13800138000", "note": "备注一"}


def test_an_optional_column_may_be_missing():
    rows = read_rows(xlsx([["张三", "1"]], headers=("姓名", "电话")), **READ)
    assert rows[0].get("note") == ""


def test_the_named_sheet_is_read_else_the_first():
    assert read_rows(xlsx([["张三", "1"]], first_sheet="说明"), **READ)[0].get("name") == "张三"
    assert read_rows(xlsx([["李四", "2"]], title="Sheet"), **READ)[0].get("name") == "李四"


def test_an_uploaded_file_is_read_by_its_size_and_left_at_its_start():
    upload = SimpleUploadedFile("a.xlsx", xlsx([["张三", "1"]]).getvalue())
    check_is_xlsx(upload)
    assert upload.tell() == 0
    assert read_rows(upload, **READ)[0].get("name") == "张三"


def test_an_empty_file_is_refused():
    assert rejected(io.BytesIO(b"")) == "文件是空的。"


def test_a_file_over_the_size_is_refused():
    message = rejected(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), max_bytes=2 * 1024 * 1024)
    assert message == "文件超过 2 MB，请拆分成几个文件分别导入。"


@pytest.mark.parametrize("content", [b"name,phone\n", b"\xd0\xcf\x11\xe0 an old .xls", b"PK\x03\x04 broken"])
def test_anything_but_an_xlsx_is_refused(content):
    assert rejected(io.BytesIO(content)).startswith("该文件不是 Excel .xlsx 文件。")


def test_a_zip_that_is_not_an_office_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert rejected(buffer).startswith("该文件不是 Excel .xlsx 文件。")


def test_an_office_zip_that_is_no_workbook_cannot_be_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert rejected(buffer) == "无法读取该 Excel 文件，请使用导入模板。"


def test_an_empty_sheet_is_refused():
    assert rejected(xlsx([], headers=None)) == "工作表是空的，请使用导入模板。"


def test_missing_required_headers_are_named():
    assert rejected(xlsx([["x"]], headers=("名字",))) == "第一行必须是模板的表头，缺少：姓名、电话。"


def test_more_rows_than_allowed_are_refused():
    assert rejected(xlsx([[f"人{i}", str(i)] for i in range(4)]), max_rows=3) == "文件超过 3 行，请拆分成几个文件分别导入。"
    assert len(read_rows(xlsx([[f"人{i}", str(i)] for i in range(3)]), **{**READ, "max_rows": 3})) == 3


def test_a_file_without_data_rows_is_refused():
    assert rejected(xlsx([[None, None]])) == "表头下面没有数据行。"


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (13800138000.0, "13800138000"), (1.5, "1.5"), (True, "是"), (False, "否"),
    (date(2022, 5, 20), "2022-05-20"), (datetime(2022, 5, 20, 9, 30), "2022-05-20T09:30:00"), ("  张三 ", "张三"),
])
def test_a_cell_reads_as_the_user_sees_it(value, text):
    assert cell_text(value) == text


def test_a_row_error_names_its_row_and_a_file_error_does_not():
    assert RowError(5, ["姓名不能为空", "电话格式不正确"]).text == "第 5 行：姓名不能为空；电话格式不正确"
    assert RowError(0, ["有人同时导入"]).text == "有人同时导入"


def test_both_importers_use_the_shared_reading():
    from organisations import importing as units
    from volunteering import importing as volunteers

    assert units.FileRejected is volunteers.FileRejected is FileRejected
    assert units.RowError is volunteers.RowError is RowError
    with pytest.raises(FileRejected, match="文件是空的"):
        units.read_workbook(io.BytesIO(b""))
    with pytest.raises(FileRejected, match="文件是空的"):
        volunteers.read_workbook(io.BytesIO(b""))
