import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from activities import services
from activities.models import Activity, CheckIn, Mode, State
from activities.tests.factories import ActivityFactory, at, form_named
from organisations.models import District


def _approved(activity, coordinator, organiser):
    services.activity_submit(actor=coordinator, activity=activity)
    return services.activity_approve(actor=organiser, activity=activity)


def test_coordinator_creates_offline_activity_and_sees_what_is_missing(login, coordinator_a, qingdao):
    client = login(coordinator_a)
    form = form_named()
    response = client.post(reverse("activities:create"), {
        "form": form.pk, "title": "走进社区科普讲座", "mode": "offline", "starts_at": "2022-05-28T09:00",
        "ends_at": "2022-05-28T11:00", "district": District.objects.get(code="shinan").pk, "address": "香港中路100号",
        "audiences": ["residents", "elderly"], "expected_participants": "80", "contact_person": "张老师",
        "contact_phone": "13800138000", "description": "<p>内容</p>",
    })
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.category == form.category and activity.audiences == ["elderly", "residents"]
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'data-testid="missing"' in page
    response = client.post(reverse("activities:action", args=[activity.pk, "submit"]), follow=True)
    activity.refresh_from_db()
    assert activity.state == State.DRAFT


def test_create_outside_window_shows_error(login, coordinator_a, qingdao):
    form = form_named()
    response = login(coordinator_a).post(reverse("activities:create"), {
        "form": form.pk, "title": "x", "mode": "online", "starts_at": "2022-08-01T09:00", "ends_at": "2022-08-01T10:00",
        "platform": "直播", "link": "https://example.com", "expected_participants": "1", "contact_person": "张",
        "contact_phone": "13800138000"})
    assert response.status_code == 200
    assert "2022-05-11" in response.content.decode()
    assert not Activity.objects.exists()


def test_another_units_activity_is_404_everywhere(login, coordinator_b, ready_offline):
    client = login(coordinator_b)
    pk = ready_offline.pk
    for name in ("manage_detail", "edit", "return", "cancel", "report", "checkin_manage"):
        assert client.get(reverse(f"activities:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("activities:plans", args=[pk]), {"frugality_pledge": ""}).status_code == 404
    assert client.post(reverse("activities:action", args=[pk, "submit"])).status_code == 404
    assert client.post(reverse("activities:edit", args=[pk]), {"title": "hacked"}).status_code == 404
    ready_offline.refresh_from_db()
    assert ready_offline.state == State.DRAFT and ready_offline.title != "hacked"
    listing = client.get(reverse("activities:manage_list")).content.decode()
    assert ready_offline.title not in listing
    plan = ready_offline.plans.first()
    assert client.get(reverse("uploads:asset", args=[plan.asset.public_id])).status_code == 404


def test_plans_are_never_public(client, ready_offline, coordinator_a, organiser):
    _approved(ready_offline, coordinator_a, organiser)
    plan = ready_offline.plans.first()
    assert client.get(reverse("uploads:asset", args=[plan.asset.public_id])).status_code in (302, 404)
    page = client.get(reverse("activities:detail", args=[ready_offline.pk])).content.decode()
    assert str(plan.asset.public_id) not in page
    assert ready_offline.contact_phone not in page


def test_review_return_resubmit_approve_flow(login, coordinator_a, organiser, ready_offline, client):
    services.activity_submit(actor=coordinator_a, activity=ready_offline)
    org = login(organiser)
    queue = org.get(reverse("activities:review")).content.decode()
    assert ready_offline.title in queue
    org.post(reverse("activities:return", args=[ready_offline.pk]), {"common": ["1"], "reason": "请写明具体地址"})
    ready_offline.refresh_from_db()
    assert ready_offline.state == State.RETURNED and "请写明具体地址" in ready_offline.return_reason
    org.post(reverse("activities:review"), {"ids": [ready_offline.pk]})
    ready_offline.refresh_from_db()
    assert ready_offline.state == State.RETURNED  # only submitted ones can be approved


def test_bulk_approve(login, organiser, coordinator_a, make_activity):
    activities = [make_activity() for _ in range(3)]
    for a in activities:
        services.activity_submit(actor=coordinator_a, activity=a)
    login(organiser).post(reverse("activities:review"), {"ids": [a.pk for a in activities[:2]]})
    assert Activity.objects.filter(state=State.APPROVED).count() == 2


def test_coordinator_cannot_open_review_queue(login, coordinator_a):
    assert login(coordinator_a).get(reverse("activities:review")).status_code == 403
    assert login(coordinator_a).get(reverse("activities:export")).status_code == 403


def test_public_list_calendar_detail_ics(client, ready_offline, coordinator_a, organiser, make_activity):
    draft = make_activity(title="还没审核的活动")
    _approved(ready_offline, coordinator_a, organiser)
    listing = client.get(reverse("activities:list")).content.decode()
    assert ready_offline.title in listing and draft.title not in listing
    assert ready_offline.title in client.get(reverse("activities:list"), {"q": "香港中路"}).content.decode()
    assert ready_offline.title not in client.get(reverse("activities:list"), {"q": "不存在"}).content.decode()
    calendar = client.get(reverse("activities:calendar"), {"day": "2022-05-28"}).content.decode()
    assert ready_offline.title in calendar
    detail = client.get(reverse("activities:detail", args=[ready_offline.pk])).content.decode()
    assert "<svg" in detail and ready_offline.unit.name in detail
    assert client.get(reverse("activities:detail", args=[draft.pk])).status_code == 404
    ics = client.get(reverse("activities:ics", args=[ready_offline.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_public_page_shows_approved_version_during_rereview(client, ready_offline, coordinator_a, organiser):
    _approved(ready_offline, coordinator_a, organiser)
    services.activity_update(actor=coordinator_a, activity=ready_offline, title="尚未审核的新标题")
    page = client.get(reverse("activities:detail", args=[ready_offline.pk])).content.decode()
    assert "尚未审核的新标题" not in page


def test_contact_phone_only_when_opted_in(client, ready_offline, coordinator_a, organiser):
    services.activity_update(actor=coordinator_a, activity=ready_offline, show_contact_phone=True)
    _approved(ready_offline, coordinator_a, organiser)
    page = client.get(reverse("activities:detail", args=[ready_offline.pk])).content.decode()
    assert ready_offline.contact_phone in page


def _bulk(unit, n, **kwargs):
    objs = []
    for i in range(n):
        obj = ActivityFactory.build(unit=unit, **kwargs)
        obj.title = f"{obj.title}-{i}"
        if obj.state == State.APPROVED:
            services.activity_publication_apply(obj)
        objs.append(obj)
    Activity.objects.bulk_create(objs)


@pytest.mark.parametrize("name", ["manage_list", "review", "list", "calendar"])
def test_list_pages_keep_a_constant_number_of_queries(name, login, organiser, unit_a, django_assert_max_num_queries):
    state = State.SUBMITTED if name == "review" else State.APPROVED
    client = login(organiser)
    url = reverse(f"activities:{name}")
    _bulk(unit_a, 10, state=state)
    client.get(url)
    cache.clear()  # the public pages are cached: measure the work behind them
    with django_assert_max_num_queries(50) as small:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("-9<") >= 1
    _bulk(unit_a, 990, state=state)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("-9") >= 1


def test_export_streams_xlsx(login, organiser, make_activity):
    from io import BytesIO

    from openpyxl import load_workbook

    make_activity(title="导出测试")
    response = login(organiser).get(reverse("activities:export"), {"q": "导出"})
    assert response.streaming
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "导出测试"


def _xlsx(rows):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from activities.excel import IMPORT_COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([h for h, _k in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("a.xlsx", buffer.getvalue())


GOOD_ROW = ["社区科普讲座", 2, "科普进社区", "线下", "2022-05-28 09:00", "2022-05-28 11:00", "市南区", "香港中路100号",
            "", "", 80, "是", "张老师", "13800138000", "简介", ""]


def test_import_all_or_nothing_with_chinese_errors(login, coordinator_a, unit_a):
    client = login(coordinator_a)
    bad = list(GOOD_ROW)
    bad[4], bad[5] = "2022-08-01 09:00", "2022-08-01 10:00"
    response = client.post(reverse("activities:import"), {"unit": unit_a.pk, "file": _xlsx([GOOD_ROW, bad])})
    page = response.content.decode()
    assert "第3行" in page and not Activity.objects.exists()
    response = client.post(reverse("activities:import"), {"unit": unit_a.pk, "file": _xlsx([GOOD_ROW, GOOD_ROW])})
    assert response.status_code == 302
    assert Activity.objects.filter(unit=unit_a, state=State.DRAFT, mode=Mode.OFFLINE).count() == 2


def test_checkin_once_per_phone_and_masked_list(client, login, settings, ready_offline, coordinator_a, organiser,
                                                coordinator_b):
    _approved(ready_offline, coordinator_a, organiser)
    settings.SCIDAY_CLOCK = "2022-05-28T08:30+08:00"
    code = services.checkin_code(ready_offline)
    url = reverse("activities:checkin", args=[code])
    assert "checkin-done" in client.post(url, {"name": "王五", "phone": "13812341234"}).content.decode()
    assert "checkin-already" in client.post(url, {"name": "王五", "phone": "138 1234 1234"}).content.decode()
    assert "invalid-feedback" in client.post(url, {"name": "王五", "phone": "12345"}).content.decode()
    assert CheckIn.objects.count() == 1
    host = login(coordinator_a).get(reverse("activities:checkin_manage", args=[ready_offline.pk])).content.decode()
    assert "138****1234" in host and "13812341234" not in host
    assert login(coordinator_b).get(reverse("activities:checkin_manage", args=[ready_offline.pk])).status_code == 404
    services.checkin_rotate(actor=coordinator_a, activity=ready_offline)
    assert client.get(url).status_code == 404  # the old code no longer works


def test_checkin_window(client, settings, ready_offline, coordinator_a, organiser):
    _approved(ready_offline, coordinator_a, organiser)
    url = reverse("activities:checkin", args=[services.checkin_code(ready_offline)])
    settings.SCIDAY_CLOCK = "2022-05-28T07:59+08:00"
    assert "checkin-refused" in client.post(url, {"name": "a", "phone": "13812341234"}).content.decode()
    settings.SCIDAY_CLOCK = "2022-05-29T00:00+08:00"
    assert "checkin-refused" in client.post(url, {"name": "a", "phone": "13812341234"}).content.decode()
    assert not CheckIn.objects.exists()


def test_checkin_is_throttled(client, settings, ready_offline, coordinator_a, organiser):
    _approved(ready_offline, coordinator_a, organiser)
    settings.SCIDAY_CLOCK = "2022-05-28T09:30+08:00"
    url = reverse("activities:checkin", args=[services.checkin_code(ready_offline)])
    statuses = [client.post(url, {"name": "a", "phone": f"138{i:08d}"}).status_code for i in range(25)]
    assert statuses[-1] == 429
    assert CheckIn.objects.count() <= 20


def test_report_offers_checkin_count(login, settings, ready_offline, coordinator_a, organiser):
    activity = _approved(ready_offline, coordinator_a, organiser)
    settings.SCIDAY_CLOCK = "2022-05-28T09:30+08:00"
    services.checkin_create(activity=activity, name="a", phone="13812341234", device_id="d1")
    page = login(coordinator_a).get(reverse("activities:report", args=[ready_offline.pk])).content.decode()
    assert 'data-testid="checkin-offer"' in page and 'value="1"' in page


def test_workbench_shows_return_reason(login, coordinator_a, organiser, ready_offline):
    services.activity_submit(actor=coordinator_a, activity=ready_offline)
    services.activity_return(actor=organiser, activity=ready_offline, reason="地址不详")
    page = login(coordinator_a).get(reverse("workbench:home")).content.decode()
    assert "地址不详" in page


def test_window_date_helper():
    assert at(28).date() == datetime.date(2022, 5, 28)


def test_an_online_activity_shows_and_saves_the_frugality_pledge_without_plans(login, coordinator_a, unit_a,
                                                                                qingdao):
    activity = ActivityFactory(unit=unit_a, mode=Mode.ONLINE, frugality_pledge=False)
    client = login(coordinator_a)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'name="frugality_pledge"' in page and "八项规定" in page
    assert 'name="epidemic"' not in page and 'data-testid="plan-epidemic"' not in page  # no plans online
    assert 'data-testid="missing"' in page
    client.post(reverse("activities:action", args=[activity.pk, "submit"]))
    activity.refresh_from_db()
    assert activity.state == State.DRAFT  # refused without the pledge
    response = client.post(reverse("activities:plans", args=[activity.pk]), {"frugality_pledge": "on"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.frugality_pledge
    assert 'data-testid="missing"' not in client.get(activity.get_absolute_url()).content.decode()
    client.post(reverse("activities:action", args=[activity.pk, "submit"]))
    activity.refresh_from_db()
    assert activity.state == State.SUBMITTED


def test_a_resubmitted_activity_shows_the_reviewer_what_changed_since_the_last_review(
        login, ready_offline, coordinator_a, organiser):
    from activities.models import PlanKind
    from activities.tests.factories import pdf_file

    services.activity_submit(actor=coordinator_a, activity=ready_offline)
    services.activity_return(actor=organiser, activity=ready_offline, reason="请写明活动流程")
    ready_offline.refresh_from_db()
    services.activity_update(actor=coordinator_a, activity=ready_offline, title="走进社区科普讲座（修订）",
                             expected_participants=150)
    services.activity_plan_attach(actor=coordinator_a, activity=ready_offline, kind=PlanKind.SECURITY,
                                  uploaded_file=pdf_file(name="安全保障方案（修订）.pdf"))
    services.activity_submit(actor=coordinator_a, activity=ready_offline)

    page = login(organiser).get(ready_offline.get_absolute_url()).content.decode()
    assert 'data-testid="review-changes"' in page and "自上次审核以来的修改" in page
    assert page.count('data-testid="changed-field"') == 2  # the title and the expected participants, nothing else
    assert "走进社区科普讲座（修订）</ins>" in page and "150</ins>" in page
    [file_row] = page.split('data-testid="changed-file"')[1:]
    assert "安全保障方案" in file_row and "替换" in file_row and "安全保障方案（修订）.pdf</ins>" in file_row
    # The unit does not get the reviewer's comparison; an activity never reviewed has none.
    assert 'data-testid="review-changes"' not in login(coordinator_a).get(ready_offline.get_absolute_url()).content.decode()


def test_one_refused_plan_does_not_lose_the_others_chosen_with_it(login, coordinator_a, unit_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activities.tests.factories import pdf_file

    activity = ActivityFactory(unit=unit_a, mode=Mode.OFFLINE, platform="", link="", address="香港中路100号",
                               district=District.objects.get(code="shinan"))
    client = login(coordinator_a)
    response = client.post(reverse("activities:plans", args=[activity.pk]), {
        "epidemic": pdf_file(name="防疫方案.pdf"), "emergency": pdf_file(name="应急预案.pdf"),
        "security": SimpleUploadedFile("安全方案.exe", b"MZ\x90\x00not a plan", content_type="application/octet-stream"),
        "frugality_pledge": "on"}, follow=True)
    assert sorted(activity.plans.values_list("kind", flat=True)) == ["emergency", "epidemic"]
    activity.refresh_from_db()
    assert activity.frugality_pledge
    page = response.content.decode()
    assert "安保方案：" in page and "只需重新选择被拒绝的文件" in page
