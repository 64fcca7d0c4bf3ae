"""#11 item 6: an import cannot exhaust the server. Zip bombs, a sheet reaching row 20,000,000 and a huge
shared-strings table are refused before anything parses them, with a Chinese message, and nothing is written."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from core import zipguard
from core.xlsx_import import FileRejected, check_workbook, read_rows

COLUMNS = [("姓名", "name"), ("手机号码", "mobile")]


def _xlsx_parts(sheet_xml: bytes, *, shared_strings: bytes | None = None, extra: dict | None = None,
                level: int = 9) -> bytes:
    """A minimal .xlsx whose first sheet is ``sheet_xml`` (written by hand, as an attacker would)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                         'org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="'
                         'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                         'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                         '<sheets><sheet name="志愿者" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
                         'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c></row>%s</sheetData>'
         b'</worksheet>')


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("bomb.xlsx", content)


@pytest.fixture
def no_parsing(monkeypatch):
    """openpyxl must never be reached for a refused file."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a file that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _refused(content: bytes, max_rows: int = 10_000) -> str:
    with translation.override("zh-hans"), pytest.raises(FileRejected) as error:
        read_rows(_upload(content), columns=COLUMNS, required_headers=["姓名"], data_sheet="志愿者",
                  max_rows=max_rows)
    return error.value.message


def test_a_row_twenty_million_is_refused_without_iterating(no_parsing):
    content = _xlsx_parts(SHEET % b'<row r="20000000"/>')
    assert len(content) < 5000
    message = _refused(content)
    assert "20001" in message and "导入最多只能包含10000行" in message


def test_a_cell_or_a_dimension_beyond_the_cap_is_refused(no_parsing):
    assert "导入最多" in _refused(_xlsx_parts(SHEET % b'<row r="2"><c r="A9999999" t="n"><v>1</v></c></row>'))
    dimension = SHEET.replace(b"<sheetData>", b'<dimension ref="A1:B1048576"/><sheetData>') % b""
    assert "导入最多" in _refused(_xlsx_parts(dimension))


def test_a_huge_shared_string_is_refused_before_parsing(no_parsing):
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>' + \
        b"a" * (21 * 1024 * 1024) + b"</t></si></sst>"
    content = _xlsx_parts(SHEET % b"", shared_strings=strings)
    assert len(content) < 100_000
    assert "压缩炸弹" in _refused(content)


def test_a_high_ratio_member_or_unexpected_part_or_macro_is_refused(no_parsing):
    assert "压缩炸弹" in _refused(_xlsx_parts(SHEET % b"", extra={"xl/media/x.bin": b"\0" * (3 * 1024 * 1024)}))
    assert "不应有的内容" in _refused(_xlsx_parts(SHEET % b"", extra={"evil/run.exe": b"MZ"}))
    assert "宏" in _refused(_xlsx_parts(SHEET % b"", extra={"xl/vbaProject.bin": b"x"}))


def test_too_many_members_are_refused(no_parsing):
    extra = {f"xl/media/{i}.png": b"x" for i in range(zipguard.MAX_MEMBERS + 1)}
    assert "压缩炸弹" in _refused(_xlsx_parts(SHEET % b"", extra=extra))


def test_an_ordinary_workbook_and_the_formatted_template_pass():
    from organisations.importing import MAX_ROWS, build_template

    check_workbook(_upload(build_template(district_names=["市南区"])), max_rows=MAX_ROWS)
    workbook = Workbook()
    workbook.active.append(["姓名", "手机号码"])
    workbook.active.append(["王五", "13800138000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(_upload(buffer.getvalue()), columns=COLUMNS, required_headers=["姓名"], data_sheet="志愿者",
                     max_rows=10)
    assert rows[0].get("name") == "王五"


def test_the_volunteer_import_page_refuses_a_bomb_and_writes_nothing(login, coord_sa_unit, no_parsing):
    from django.urls import reverse

    from volunteering.models import Volunteer

    coordinator, unit = coord_sa_unit
    response = login(coordinator).post(reverse("volunteering:volunteer_import"), {
        "unit": unit.pk, "file": _upload(_xlsx_parts(SHEET % b'<row r="20000000"/>'))}, follow=True)
    assert "导入最多只能包含" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_the_activities_import_refuses_a_bomb_and_writes_nothing(coordinator_a, unit_a, qingdao, no_parsing):
    from django.core.exceptions import ValidationError

    from activities.excel import import_activities
    from activities.models import Activity

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        import_activities(actor=coordinator_a, unit=unit_a, campaign=qingdao,
                          uploaded_file=_upload(_xlsx_parts(SHEET % b'<row r="20000000"/>')))
    assert "导入最多只能包含500行" in error.value.messages[0]
    assert not Activity.objects.exists()


@pytest.fixture
def coord_sa_unit(qingdao):
    from accounts.tests.factories import coordinator_of
    from organisations.models import UnitType
    from organisations.tests.factories import UnitFactory

    unit = UnitFactory(name="青岛市海洋学会（测）", unit_type=UnitType.SOCIETY, district=None)
    return coordinator_of(unit, username="coord-sea"), unit
