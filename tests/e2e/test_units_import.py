"""An organiser imports the city's units from an Excel file, fixing a bad row on the way."""

import pytest

from accounts.tests.factories import staff_of
from organisations.models import Unit
from organisations.tests.helpers import make_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = [
    ["青岛市海洋学会", "市级学会/协会/研究会", None, "张三", "13912345678", "hy@example.com"],
    ["崂山区科协", "区市科协", "崂山区", "李四", "0532-88996677", None],
    ["某研究所", "研究所", None, None, None, None],  # row 4: not a unit type
]


def test_organiser_fixes_a_bad_row_and_imports_the_units(page, live_server, log_in, offices):
    # given an organiser of 市科协组织人事部 with a known password
    staff_of(offices["qast-org-personnel"], username="wangxin", password="Correct-Horse-42")
    log_in(page, "wangxin", "Correct-Horse-42")

    # when she opens the import page from the units list and uploads a file with one bad row
    page.goto(f"{live_server.url}/manage/units/")
    page.click("[data-testid=unit-import]")
    assert page.locator("h1").inner_text() == "从 Excel 批量导入单位"
    page.set_input_files("input[name=file]", files=[
        {"name": "单位.xlsx", "mimeType": XLSX, "buffer": make_xlsx(ROWS)}])
    page.click("[data-testid=import-submit]")

    # then the error report names row 4, and no unit was created
    report = page.locator("[data-testid=import-errors]")
    assert "未导入任何单位" in report.inner_text()
    errors = page.locator("[data-testid=import-error]")
    assert errors.count() == 1
    assert errors.first.inner_text().startswith("第 4 行：单位类型「研究所」无效")
    assert not Unit.objects.filter(name__in=["青岛市海洋学会", "崂山区科协", "某研究所"]).exists()

    # when she uploads the corrected file
    fixed = [*ROWS[:2], ["某研究所", "科研院所", None, None, None, None]]
    page.set_input_files("input[name=file]", files=[
        {"name": "单位.xlsx", "mimeType": XLSX, "buffer": make_xlsx(fixed)}])
    page.click("[data-testid=import-submit]")

    # then she is back on the units list, told that three units were imported, and sees them there
    page.wait_for_url(f"{live_server.url}/manage/units/")
    assert "已导入 3 个单位" in page.locator(".alert-success").inner_text()
    table = page.locator("[data-testid=unit-table]").inner_text()
    for name in ("青岛市海洋学会", "崂山区科协", "某研究所"):
        assert name in table
    assert Unit.objects.filter(name__in=["青岛市海洋学会", "崂山区科协", "某研究所"]).count() == 3
