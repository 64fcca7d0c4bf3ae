"""Volunteers from the national registry's bulk-import shape: 10,000 rows, all or nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from volunteering import importing, services
from volunteering.models import Volunteer

from .factories import VolunteerFactory


def registry_workbook(rows: int, *, bad_row: int | None = None) -> SimpleUploadedFile:
    """A write-only workbook of ``rows`` volunteers; ``bad_row`` (an Excel row number) gets a broken mobile."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("志愿者")
    sheet.append(importing.HEADERS)
    for i in range(rows):
        excel_row = i + 2
        mobile = "1380013" if excel_row == bad_row else f"13{i % 10}{i:08d}"[:11]
        sheet.append([f"志愿者{i}", "男" if i % 2 else "女", mobile, "青岛大学", "科普教育" if i % 3 else "",
                      "副教授", f"QD{i:08d}" if i % 4 == 0 else ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("volunteers.xlsx", buffer.getvalue())


def test_ten_thousand_rows_with_one_bad_row_write_nothing_and_name_the_row(coord_sa, society_a):
    count, errors = services.volunteers_import(actor=coord_sa, unit=society_a,
                                               fileobj=registry_workbook(10_000, bad_row=7_777))
    assert count == 0 and not Volunteer.objects.exists()
    assert [e.number for e in errors] == [7_777]
    assert errors[0].text.startswith("第 7777 行") or "7777" in errors[0].text
    assert "1380013" in errors[0].text


def test_the_fixed_file_imports_every_row_encrypted_and_masked(coord_sa, society_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(200):
        count, errors = services.volunteers_import(actor=coord_sa, unit=society_a, fileobj=registry_workbook(10_000))
    assert errors == [] and count == 10_000
    volunteer = Volunteer.objects.get(name="志愿者16")
    assert volunteer.mobile == "13600000016" and volunteer.mobile_masked == "136****0016"
    assert "13600000016" not in volunteer.mobile_encrypted and volunteer.registry_number == "QD00000016"
    assert volunteer.field.name == "科普教育" and volunteer.gender == "female"


def test_duplicates_within_the_file_and_against_the_unit_are_row_errors(coord_sa, society_a):
    VolunteerFactory(unit=society_a, mobile="13900000001")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("志愿者")
    sheet.append(importing.HEADERS)
    sheet.append(["甲", "男", "13900000001", "", "", "", ""])
    sheet.append(["乙", "女", "13900000002", "", "天文学", "", ""])
    sheet.append(["丙", "未知", "13900000002", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    count, errors = services.volunteers_import(actor=coord_sa, unit=society_a,
                                               fileobj=SimpleUploadedFile("v.xlsx", buffer.getvalue()))
    assert count == 0 and [e.number for e in errors] == [2, 3, 4]
    assert Volunteer.objects.count() == 1


def test_the_export_has_the_import_shape_and_imports_again(coord_sa, society_a, society_b, coord_sb):
    VolunteerFactory(unit=society_a, name="张医生", mobile="13912345678", registry_number="QD20220001")
    content = services.volunteers_export(actor=coord_sa, unit=society_a)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == importing.HEADERS
    assert rows[1][:3] == ("张医生", None, "13912345678") or rows[1][2] == "13912345678"
    Volunteer.objects.all().delete()
    count, errors = services.volunteers_import(actor=coord_sa, unit=society_a,
                                               fileobj=SimpleUploadedFile("v.xlsx", content))
    assert (count, errors) == (1, [])
