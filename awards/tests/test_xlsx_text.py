"""Text the units typed goes into the workbooks as text, never as a formula."""

import io

from openpyxl import load_workbook

from awards.exports import _xlsx


def test_a_name_that_looks_like_a_formula_stays_text():
    content = _xlsx([("汇总", [["姓名", "单位"], ['=HYPERLINK("http://x","点我")', "青岛市科协"], [3, "=1+1"]])])
    sheet = load_workbook(io.BytesIO(content))["汇总"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '\'=HYPERLINK("http://x","点我")'
    assert sheet["B3"].data_type == "s" and sheet["B3"].value == "'=1+1" and sheet["A3"].value == 3
