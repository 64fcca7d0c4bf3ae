"""Reading and checking import rows: plain functions, tested without the database where possible."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from audit.models import AuditEntry
from organisations import importing, services
from organisations.importing import FileRejected, RawRow, read_workbook, validate_rows
from organisations.models import UNIT_TYPE_CHINESE, Unit, UnitType

from .helpers import make_xlsx


@pytest.fixture(autouse=True)
def chinese():
    """The import runs inside a request, where the UI language is active; Chinese is the default."""
    with translation.override("zh-hans"):
        yield


DISTRICTS = {"市南区": 1, "市北区": 2, "崂山区": 3}
LOOKUPS = {"unit_types": importing.unit_type_lookup(), "districts": DISTRICTS, "existing_names": {"已有单位"}}


def row(number, name="某学会", unit_type="市级学会/协会/研究会", district="", contact="张三", phone="13800138000",
        email="a@example.com"):
    return RawRow(number, {"name": name, "unit_type": unit_type, "district": district, "contact_person": contact,
                           "phone": phone, "email": email})


def test_a_valid_row_becomes_a_unit_to_create():
    valid, errors = validate_rows([row(2, district="市南区", unit_type="区市科协")], **LOOKUPS)
    assert errors == []
    assert valid[0].unit_type == UnitType.DISTRICT_ASSOCIATION
    assert valid[0].district_id == 1


def test_the_internal_code_is_accepted_as_unit_type():
    valid, errors = validate_rows([row(2, unit_type="institute")], **LOOKUPS)
    assert errors == [] and valid[0].unit_type == "institute"


@pytest.mark.parametrize(("bad", "expected"), [
    ({"unit_type": "xxx"}, "第 5 行：单位类型「xxx」无效"),
    ({"name": ""}, "第 5 行：单位名称不能为空"),
    ({"name": "已有单位"}, "第 5 行：单位「已有单位」已存在"),
    ({"district": "火星区"}, "第 5 行：所属区市「火星区」不存在"),
    ({"unit_type": "区市科技局", "district": ""}, "第 5 行：区市科协、区市科技局必须填写所属区市"),
    ({"phone": "12345"}, "第 5 行：联系电话「12345」格式不正确"),
    ({"email": "nope"}, "第 5 行：电子邮箱「nope」格式不正确"),
])
def test_each_problem_is_reported_in_chinese_with_its_row_number(bad, expected):
    valid, errors = validate_rows([row(5, **bad)], **LOOKUPS)
    assert valid == []
    assert [e.number for e in errors] == [5]
    assert errors[0].text.startswith(expected)


def test_a_name_repeated_in_the_file_is_an_error_on_the_later_row():
    valid, errors = validate_rows([row(2, name="甲学会"), row(3, name="乙学会"), row(4, name="甲学会")], **LOOKUPS)
    assert [e.number for e in errors] == [4]
    assert "第 2 行" in errors[0].text


def test_several_problems_of_one_row_are_reported_together():
    _valid, errors = validate_rows([row(7, unit_type="", phone="1", email="x")], **LOOKUPS)
    assert len(errors) == 1 and len(errors[0].messages) == 3


# --- property: any set with an invalid row is rejected exactly at its invalid rows ----------------
DEFECTS = {
    "no_name": {"name": ""},
    "bad_type": {"unit_type": "未知类型"},
    "bad_district": {"district": "不存在区"},
    "missing_district": {"unit_type": "区市科协", "district": ""},
    "bad_phone": {"phone": "10086"},
    "bad_email": {"email": "@@"},
    "existing": {"name": "已有单位"},
}
good_rows = st.fixed_dictionaries({
    "unit_type": st.sampled_from([str(v) for v in UNIT_TYPE_CHINESE.values()] + list(UnitType.values)),
    "district": st.sampled_from(list(DISTRICTS)),
    "contact": st.text(alphabet="张王李赵老师 ", max_size=10),
    "phone": st.sampled_from(["", "13912345678", "0532-85916831", "85911893"]),
    "email": st.sampled_from(["", "x@example.com", "kexie@qd.shandong.cn"]),
})
row_specs = st.lists(st.tuples(good_rows, st.none() | st.sampled_from(sorted(DEFECTS))), min_size=1, max_size=30)


def _build(specs, *, existing_name="已有单位"):
    rows, invalid = [], []
    for index, (values, defect) in enumerate(specs):
        number = index + 2
        fields = {"name": f"单位{index}", **values} | dict(DEFECTS.get(defect, {}))
        if fields.get("name") == "已有单位":
            fields["name"] = existing_name
        rows.append(row(number, **fields))
        if defect:
            invalid.append(number)
    return rows, invalid


@given(row_specs)
def test_exactly_the_invalid_rows_are_reported(specs):
    rows, invalid = _build(specs)
    valid, errors = validate_rows(rows, **LOOKUPS)
    assert [e.number for e in errors] == invalid
    assert len(valid) == len(rows) - len(invalid)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=row_specs)
def test_import_writes_everything_or_nothing(specs, organiser, unit_a):
    # given rows made against the real districts, with unit_a's name as the "existing" one
    rows, invalid = _build(specs, existing_name=unit_a.name)
    with transaction.atomic():
        before = Unit.objects.count()
        audits = AuditEntry.objects.filter(action="organisations.unit.imported").count()
        # when the organiser imports them
        if invalid:
            with pytest.raises(services.ImportRejected) as rejected:
                services.unit_import(actor=organiser, rows=rows)
            # then nothing is written and exactly the invalid rows are reported
            assert [e.number for e in rejected.value.errors] == invalid
            assert Unit.objects.count() == before
            assert AuditEntry.objects.filter(action="organisations.unit.imported").count() == audits
        else:
            created = services.unit_import(actor=organiser, rows=rows)
            # then exactly N units exist more, with one audit entry carrying the count
            assert len(created) == len(rows)
            assert Unit.objects.count() == before + len(rows)
            entry = AuditEntry.objects.filter(action="organisations.unit.imported").latest("id")
            assert entry.changes["count"] == len(rows)
        transaction.set_rollback(True)


def test_coordinator_cannot_import(coordinator_a):
    before = Unit.objects.count()
    with pytest.raises(PermissionDenied):
        services.unit_import(actor=coordinator_a, rows=[row(2, name="新学会")])
    assert Unit.objects.count() == before


# --- reading the file -----------------------------------------------------------------------------
def test_read_workbook_returns_rows_with_excel_row_numbers_and_skips_blank_rows():
    data = make_xlsx([["甲学会", "市级学会/协会/研究会", None, "张三", 13800138000, None],
                      [None, None, None, None, None, None],
                      ["乙科协", "区市科协", "市南区", None, "0532-85916831", "b@example.com"]])
    rows = read_workbook(io.BytesIO(data))
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].get("phone") == "13800138000"
    assert rows[1].get("district") == "市南区"


def test_columns_are_found_by_header_in_any_order():
    data = make_xlsx([["区市科协", "乙科协", "市南区"]], headers=["单位类型", "单位名称*", "所属区市"])
    rows = read_workbook(io.BytesIO(data))
    assert rows[0].get("name") == "乙科协" and rows[0].get("unit_type") == "区市科协"


@pytest.mark.parametrize("content", [b"", b"name,type\n", b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0" * 20])
def test_anything_but_xlsx_is_refused(content):
    with pytest.raises(FileRejected):
        read_workbook(io.BytesIO(content))


def test_a_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileRejected):
        read_workbook(buffer)


def test_wrong_headers_are_refused():
    with pytest.raises(FileRejected) as rejected:
        read_workbook(io.BytesIO(make_xlsx([["a", "b"]], headers=["name", "type"])))
    assert "单位名称" in rejected.value.message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    data = make_xlsx([[f"单位{i}", "高校科协"] for i in range(4)])
    with pytest.raises(FileRejected):
        read_workbook(io.BytesIO(data))


def test_a_file_without_data_rows_is_refused():
    with pytest.raises(FileRejected):
        read_workbook(io.BytesIO(make_xlsx([])))


def test_the_template_has_the_headers_and_the_options():
    data = importing.build_template(district_names=["市南区", "市北区"])
    workbook = load_workbook(io.BytesIO(data))
    assert [c.value for c in workbook["单位"][1]] == importing.HEADERS
    options = workbook["选项"]
    assert [options.cell(row=r, column=1).value for r in range(2, 9)] == [  # the city level's six, then nothing
        "区市科协", "区市科技局", "市级学会/协会/研究会", "高校科协", "企业科协", "科研院所", None]
    assert [options.cell(row=r, column=2).value for r in range(2, 4)] == ["市南区", "市北区"]
    assert len(workbook["单位"].data_validations.dataValidation) == 2


def test_the_template_reads_back_as_an_empty_file():
    with pytest.raises(FileRejected) as rejected:
        read_workbook(io.BytesIO(importing.build_template(district_names=["市南区"])))
    assert "没有数据" in rejected.value.message
