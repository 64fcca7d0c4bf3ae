"""The import page: uploading a good file, a file with a bad row, and something that is not .xlsx."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from organisations.models import Unit, UnitType

from .helpers import make_xlsx

IMPORT_URL = reverse("organisations:import")


def upload(name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
    return {"file": SimpleUploadedFile(name, content, content_type=content_type)}


GOOD_ROWS = [
    ["青岛市海洋学会", "市级学会/协会/研究会", None, "张三", "13912345678", "hy@example.com"],
    ["崂山区科协", "区市科协", "崂山区", "李四", "0532-88996677", None],
    ["中国海洋大学科协", "高校科协", None, None, None, None],
]


def test_a_good_file_creates_every_unit_with_one_audit_entry(login, organiser, qingdao):
    response = login(organiser).post(IMPORT_URL, upload("units.xlsx", make_xlsx(GOOD_ROWS)))
    assert response.status_code == 302 and response.url == reverse("organisations:list")
    assert Unit.objects.get(name="崂山区科协").unit_type == UnitType.DISTRICT_ASSOCIATION
    assert Unit.objects.filter(name__in=[r[0] for r in GOOD_ROWS]).count() == 3
    entry = AuditEntry.objects.get(action="organisations.unit.imported")
    assert entry.changes["count"] == 3 and entry.actor == organiser


def test_a_bad_row_is_reported_and_nothing_is_written(login, organiser, unit_a):
    rows = [*GOOD_ROWS, ["某协会", "xxx", None, None, None, None], ["市南区科协", "区市科协", "市南区", None, None, None]]
    before = Unit.objects.count()
    response = login(organiser).post(IMPORT_URL, upload("units.xlsx", make_xlsx(rows)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 5 行：单位类型「xxx」无效" in html
    assert "第 6 行：单位「市南区科协」已存在" in html
    assert [e.number for e in response.context["row_errors"]] == [5, 6]
    assert Unit.objects.count() == before
    assert not AuditEntry.objects.filter(action="organisations.unit.imported").exists()


def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(login, organiser, qingdao):
    before = Unit.objects.count()
    response = login(organiser).post(IMPORT_URL, upload("units.xlsx", "单位名称,单位类型\n甲,高校科协\n".encode()))
    assert response.status_code == 200
    assert "不是 Excel .xlsx 文件" in response.content.decode()
    assert Unit.objects.count() == before


def test_an_old_xls_file_is_refused(login, organiser, qingdao):
    response = login(organiser).post(IMPORT_URL, upload("units.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500,
                                                        "application/vnd.ms-excel"))
    assert "另存为 .xlsx" in response.content.decode()


def test_the_template_downloads_as_xlsx_with_districts(login, organiser, qingdao):
    response = login(organiser).get(reverse("organisations:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    districts = [c.value for c in workbook["选项"]["B"][1:] if c.value]
    assert "市南区" in districts and len(districts) == 10


def test_coordinator_cannot_import_even_by_posting(login, coordinator_a):
    before = Unit.objects.count()
    response = login(coordinator_a).post(IMPORT_URL, upload("units.xlsx", make_xlsx(GOOD_ROWS)))
    assert response.status_code == 403
    assert Unit.objects.count() == before
