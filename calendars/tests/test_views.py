"""The organisers' page 节假日安排: list by year, add/edit/delete with audit, paste a year; denials."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from calendars.models import CalendarYear, Holiday
from calendars.workdays import add_working_days

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
三、劳动节：5月1日至5日放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
2027年11月1日"""


@pytest.mark.django_db
def test_the_menu_leads_to_the_page_which_lists_a_year(login, organiser):
    client = login(organiser)
    assert "节假日安排" in client.get(reverse("workbench:home")).content.decode()
    page = client.get(reverse("calendars:list") + "?year=2026").content.decode()
    assert "<title>节假日安排" in page or "节假日安排</h1>" in page
    assert "2026-02-14" in page and "调休上班" in page and "春节" in page
    for label in ("日期", "类型", "名称", "保存"):
        assert label in page
    assert "未录入" not in page.split("holiday-year")[1].split("</h2>")[0]


@pytest.mark.django_db
def test_add_edit_delete_are_audited_and_change_the_arithmetic(login, organiser):
    client = login(organiser)
    response = client.post(reverse("calendars:add"), {"date": "2026-06-22", "kind": "holiday", "name": "演示节"})
    assert response.status_code == 302
    day = Holiday.objects.get(date=datetime.date(2026, 6, 22))
    assert day.source == "organiser"
    assert add_working_days(datetime.date(2026, 6, 22), 1) == datetime.date(2026, 6, 23)
    client.post(reverse("calendars:edit", args=[day.pk]), {"date": "2026-06-22", "kind": "workday", "name": "演示节"})
    client.post(reverse("calendars:delete", args=[day.pk]))
    assert not Holiday.objects.filter(date=datetime.date(2026, 6, 22)).exists()
    actions = list(AuditEntry.objects.filter(action__startswith="calendars.day.").order_by("id").values_list("action", flat=True))
    assert actions == ["calendars.day.created", "calendars.day.updated", "calendars.day.deleted"]


@pytest.mark.django_db
def test_a_duplicate_date_is_refused_in_chinese_and_changes_nothing(login, organiser):
    client = login(organiser)
    before = Holiday.objects.count()
    page = client.post(reverse("calendars:add"), {"date": "2026-02-16", "kind": "workday", "name": "x"})
    assert page.status_code == 200 and "已在节假日安排中" in page.content.decode()
    assert Holiday.objects.count() == before
    assert Holiday.objects.get(date=datetime.date(2026, 2, 16)).kind == "holiday"


@pytest.mark.django_db
def test_pasting_the_state_councils_notice_enters_2027(login, organiser):
    client = login(organiser)
    page = client.get(reverse("calendars:list") + "?year=2027").content.decode()
    assert "2027年节假日安排尚未录入" in page
    response = client.post(reverse("calendars:paste"), {"year": 2027, "text": NOTICE_2027})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).recorded_by == organiser
    assert Holiday.objects.filter(date__year=2027, kind="holiday").count() == 3 + 9 + 5
    assert Holiday.objects.get(date=datetime.date(2027, 2, 20)).name == "春节调休"
    assert add_working_days(datetime.date(2027, 2, 4), 3) == datetime.date(2027, 2, 15)
    assert AuditEntry.objects.filter(action="calendars.year.pasted").count() == 1


@pytest.mark.django_db
def test_a_paste_that_cannot_be_read_says_which_line_and_changes_nothing(login, organiser):
    client = login(organiser)
    page = client.post(reverse("calendars:paste"), {"year": 2027, "text": "一、元旦：1月1日放假。\n二、春节：2月30日放假。"})
    assert "第2行" in page.content.decode()
    assert not Holiday.objects.filter(date__year=2027).exists() and not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_days_entered_one_by_one_count_once_the_year_is_declared_complete(login, organiser):
    client = login(organiser)
    client.post(reverse("calendars:add"), {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"})
    assert not CalendarYear.objects.filter(year=2027).exists()
    client.post(reverse("calendars:complete", args=[2027]))
    assert CalendarYear.objects.get(year=2027).source == "organiser"
    assert add_working_days(datetime.date(2027, 9, 30), 2) == datetime.date(2027, 10, 4)


@pytest.mark.django_db
def test_coordinators_and_visitors_are_denied_and_change_nothing(client, login, coordinator_a):
    assert client.get(reverse("calendars:list")).status_code == 302  # to the login page
    coordinator = login(coordinator_a)
    before = Holiday.objects.count()
    assert coordinator.get(reverse("calendars:list")).status_code == 403
    assert coordinator.post(reverse("calendars:add"), {"date": "2026-06-22", "kind": "holiday",
                                                       "name": "x"}).status_code == 403
    assert coordinator.post(reverse("calendars:paste"), {"year": 2027, "text": "1月1日放假 元旦"}).status_code == 403
    assert Holiday.objects.count() == before and not CalendarYear.objects.filter(year=2027).exists()
    assert "节假日安排" not in coordinator.get(reverse("workbench:home")).content.decode()


@pytest.mark.django_db
def test_the_year_page_keeps_a_constant_number_of_queries(login, organiser, django_assert_max_num_queries):
    client = login(organiser)
    client.get(reverse("calendars:list") + "?year=2026")
    with django_assert_max_num_queries(14):
        client.get(reverse("calendars:list") + "?year=2026")
    Holiday.objects.bulk_create([Holiday(date=datetime.date(2026, 3, d), kind="holiday", name=f"n{d}")
                                 for d in range(2, 28)])
    with django_assert_max_num_queries(14):
        client.get(reverse("calendars:list") + "?year=2026")
