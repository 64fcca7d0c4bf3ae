"""The organisers' .xlsx export: the exact content of the file, and a constant number of SQL queries."""

import datetime
from io import BytesIO

from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from activities import excel, selectors
from activities.models import Activity, Mode, State
from activities.tests.factories import ActivityFactory, at
from organisations.models import District

HEADER = ("ID", "Title", "Host unit", "Unit type", "Category", "Form", "Mode", "Starts", "Ends", "District",
          "Address", "Online platform", "Online link", "Expected participants", "Actual participants",
          "Online views", "Joint S&T Week", "State", "Contact person", "Contact phone")


def _workbook(handle):
    return load_workbook(BytesIO(handle.read()), read_only=True)


def _rows(handle) -> list[tuple]:
    return list(_workbook(handle).worksheets[0].iter_rows(values_only=True))


def test_export_writes_every_column_of_every_activity(organiser, unit_a, unit_b):
    offline = ActivityFactory(
        unit=unit_a, title="社区科普讲座", mode=Mode.OFFLINE, platform="", link="",
        district=District.objects.get(code="shinan"), address="香港中路100号", starts_at=at(28, 9),
        ends_at=at(28, 11), expected_participants=80, actual_participants=75, joint_st_week=True,
        state=State.HELD, contact_person="张老师", contact_phone="13800138000")
    online = ActivityFactory(
        unit=unit_b, title="线上直播", mode=Mode.ONLINE, starts_at=at(21, 23), ends_at=at(22, 1),
        expected_participants=0, online_views=1200, state=State.SUBMITTED)
    with translation.override("en"):
        workbook = _workbook(excel.export_file(selectors.activity_list(user=organiser)))
    assert workbook.sheetnames == ["Activities"]
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    # the times are local date cells (openpyxl reads them as naive datetimes)
    assert rows == [
        HEADER,
        (online.pk, "线上直播", "市北区科技局", "区市科技局", online.category.name, online.form.name, "Online",
         datetime.datetime(2022, 5, 21, 23, 0), datetime.datetime(2022, 5, 22, 1, 0), None, None, "腾讯会议", "https://meeting.example.com/123", 0,
         None, 1200, "No", "Submitted", "李老师", "13912345678"),
        (offline.pk, "社区科普讲座", "市南区科协", "区市科协", offline.category.name, offline.form.name, "Offline",
         datetime.datetime(2022, 5, 28, 9, 0), datetime.datetime(2022, 5, 28, 11, 0), "市南区", "香港中路100号", None, None, 80, 75, None, "Yes",
         "Held", "张老师", "13800138000"),
    ]


def test_export_speaks_chinese(organiser, make_activity):
    make_activity(state=State.APPROVED, joint_st_week=False)
    with translation.override("zh-hans"):
        workbook = _workbook(excel.export_file(selectors.activity_list(user=organiser)))
    assert workbook.sheetnames == ["活动"]
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "标题", "主办单位")
    assert (rows[1][6], rows[1][16], rows[1][17]) == ("线上", "否", "已通过")


def test_export_follows_the_filters_and_what_the_user_may_see(coordinator_a, unit_a, unit_b):
    ActivityFactory(unit=unit_a, title="我的活动")
    ActivityFactory(unit=unit_b, title="别人的活动")
    rows = _rows(excel.export_file(selectors.activity_list(user=coordinator_a)))
    assert [row[1] for row in rows[1:]] == ["我的活动"]
    rows = _rows(excel.export_file(selectors.activity_list(user=coordinator_a, search="没有")))
    assert len(rows) == 1


def _bulk(units, n):
    objs = []
    for i in range(n):
        unit = units[i % len(units)]
        obj = ActivityFactory.build(unit=unit, title=f"活动{i}", starts_at=at(20 + i % 10, 9 + i % 8),
                                    ends_at=at(20 + i % 10, 18))
        if i % 2:
            obj.mode, obj.district, obj.address = Mode.OFFLINE, District.objects.get(code="shinan"), "地址"
        objs.append(obj)
    Activity.objects.bulk_create(objs)


def test_export_queries_do_not_grow_with_the_rows(organiser, unit_a, unit_b, django_assert_max_num_queries):
    from organisations.tests.factories import UnitFactory

    units = [unit_a, unit_b, *(UnitFactory(name=f"单位{i}") for i in range(5))]
    _bulk(units, 5)
    with django_assert_max_num_queries(2) as small:
        excel.export_file(selectors.activity_list(user=organiser)).close()
    _bulk(units, 1200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = _rows(excel.export_file(selectors.activity_list(user=organiser)))
    assert len(rows) == 1206


def test_export_view_streams_the_file_and_audits(login, organiser, make_activity):
    from audit.models import AuditEntry

    make_activity(title="导出测试")
    response = login(organiser).get(reverse("activities:export"), {"q": "导出"})
    assert response.streaming and response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert [row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)] == ["标题", "导出测试"]
    assert AuditEntry.objects.filter(action="activities.activity.exported").exists()


def test_export_header_is_bold_and_frozen(organiser, make_activity):
    make_activity(title="讲座")
    workbook = load_workbook(BytesIO(excel.export_file(selectors.activity_list(user=organiser)).read()))
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["B2"].value == "讲座"
