"""Next year's campaign as a new user would run it: the organiser copies 2022 as 2027, reviews it, enters a
holiday of 2027 and publishes it; a coordinator registers a 2027 activity, which never shows in 2022's lists,
pages, exports or figures; the public home shows 2027 with a link to the 2022 archive; a request for volunteer
service dated 5 May 2027 (before the activity window, inside the service window) is accepted."""


from io import BytesIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.tests.factories import PASSWORD
from activities.models import Activity, State
from calendars.models import Holiday
from campaigns.models import Campaign
from volunteering.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "2027年科技工作者日线上沙龙"


def _new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15000)
    return context.new_page()


def _choose(page, url, slug):
    """Switch the campaign in the page frame, as a person does."""
    page.click("[data-testid=campaign-switch]")
    page.click(f"[data-testid=choose-{slug}]")
    page.wait_for_load_state()


def _export_titles(page) -> list[str]:
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(BytesIO(handle.read()), read_only=True)
    sheet = book.worksheets[0]
    return [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]


def test_copy_2022_as_2027_publish_and_keep_the_years_apart(page, browser, log_in, live_server, settings, qingdao,
                                                             organiser, coordinator_a):
    settings.SCIDAY_CLOCK = "2027-05-05T10:00+08:00"
    call_command("load_campaign", "qingdao-2022")  # with its two exhibitions
    call_command("load_survey", "qingdao-2022")
    url = live_server.url

    # The organiser copies 2022 as 2027 from the campaign page.
    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{url}/manage/campaigns/qingdao-2022/")
    page.click("[data-testid=copy]")
    page.fill("input[name=year]", "2027")
    page.fill("input[name=new_slug]", "")
    page.click("[data-testid=confirm]")
    page.wait_for_load_state()
    assert page.url.endswith("/manage/campaigns/qingdao-2027/")
    assert "未发布" in page.locator("[data-testid=status]").inner_text()
    facts = page.locator("[data-testid=facts]").inner_text()
    assert "2027-05-30" in facts and "11" in facts
    assert page.locator("[data-testid=categories] .card").count() == 6
    assert "榜样的力量" in page.locator("[data-testid=part-exhibitions]").inner_text()
    assert "2027" in page.locator("[data-testid=part-surveys]").inner_text()  # the questionnaire, a new version
    assert "2022" not in page.locator("[data-testid=facts]").inner_text()
    # Nothing public before publishing: the home page still shows 2022.
    visitor = _new_page(browser)
    visitor.goto(f"{url}/")
    assert "2022年" in visitor.locator("[data-testid=hero]").inner_text()

    # The organiser enters a holiday of 2027 in the holiday calendar (节假日安排).
    page.goto(f"{url}/manage/holidays/?year=2027")
    assert "节假日安排" in page.content()
    form = page.locator("[data-testid=holiday-add]")
    form.locator("input[name=date]").fill("2027-05-03")
    form.locator("select[name=kind]").select_option("holiday")
    form.locator("input[name=name]").fill("劳动节")
    form.locator("button", has_text="保存").click()
    page.wait_for_load_state()
    assert "2027-05-03" in page.locator("[data-testid=holiday-list]").inner_text()
    assert Holiday.objects.filter(date="2027-05-03", kind="holiday").exists()

    # The organiser publishes it.
    page.goto(f"{url}/manage/campaigns/qingdao-2027/")
    page.click("[data-testid=publish]")
    page.click("[data-testid=confirm]")
    page.wait_for_load_state()
    assert "已发布" in page.locator("[data-testid=status]").inner_text()
    assert Campaign.objects.get(slug="qingdao-2027").is_published

    # The public home shows 2027 (the current campaign by the clock) with a link to the 2022 archive.
    visitor.goto(f"{url}/")
    assert "2027年" in visitor.locator("[data-testid=hero]").inner_text()
    visitor.click("[data-testid=archive-qingdao-2022]")
    visitor.wait_for_load_state()
    assert visitor.url.endswith("/c/qingdao-2022/")
    assert "2022年" in visitor.locator("[data-testid=hero]").inner_text()

    # A coordinator registers a 2027 activity (the current campaign for them) and submits it.
    coord = _new_page(browser)
    log_in(coord, "coord-a", PASSWORD)
    coord.goto(f"{url}/activities/manage/")
    coord.click("[data-testid=activity-create]")
    coord.select_option("select[name=form]", index=1)
    coord.fill("input[name=title]", TITLE)
    coord.select_option("select[name=mode]", value="online")
    coord.fill("input[name=starts_at]", "2027-05-28T19:00")
    coord.fill("input[name=ends_at]", "2027-05-28T20:30")
    coord.fill("input[name=platform]", "视频号")
    coord.fill("input[name=link]", "https://live.example.com/2027")
    coord.check("input[name=audiences][value=public]")
    coord.fill("input[name=expected_participants]", "200")
    coord.fill("input[name=contact_person]", "张老师")
    coord.fill("input[name=contact_phone]", "13800138000")
    coord.fill("textarea[name=description]", "<p>面向科技工作者的线上沙龙</p>")
    coord.click("[data-testid=save]")
    coord.wait_for_load_state()
    activity = Activity.objects.get(title=TITLE)
    assert activity.campaign.slug == "qingdao-2027"
    coord.check("input[name=frugality_pledge]")  # every activity, online ones too, makes the pledge
    coord.click("[data-testid=save-plans]")
    coord.wait_for_load_state()
    coord.click("[data-testid=action-submit]")
    coord.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    coord.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.SUBMITTED

    # The organiser, on 2027, sees it in the review queue and approves it.
    _choose(page, url, "qingdao-2027")
    page.goto(f"{url}/activities/review/")
    assert TITLE in page.content()
    page.goto(f"{url}/activities/manage/{activity.pk}/")
    page.click("[data-testid=action-approve]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    page.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.APPROVED
    page.goto(f"{url}/activities/manage/")
    assert TITLE in page.locator("main").inner_text()
    assert TITLE in _export_titles(page)

    # On 2022 it is nowhere: list, review queue, export, the campaign's public list.
    _choose(page, url, "qingdao-2022")
    assert "2022" in page.locator("[data-testid=campaign-switch]").inner_text()
    page.goto(f"{url}/activities/manage/")
    assert TITLE not in page.locator("main").inner_text()
    page.goto(f"{url}/activities/review/?state=approved")
    assert TITLE not in page.content()
    page.goto(f"{url}/activities/manage/")
    assert TITLE not in _export_titles(page)
    visitor.goto(f"{url}/activities/?campaign=qingdao-2022")
    assert TITLE not in visitor.content()
    visitor.goto(f"{url}/activities/?campaign=qingdao-2027")
    assert TITLE in visitor.content()
    # The public API: 2027 lists it, 2022 does not.
    assert activity.pk in [a["id"] for a in visitor.request.get(
        f"{url}/api/v1/public/activities/?campaign=qingdao-2027").json()["items"]]
    assert activity.pk not in [a["id"] for a in visitor.request.get(
        f"{url}/api/v1/public/activities/?campaign=qingdao-2022").json()["items"]]

    # A community asks for volunteer service on 5 May 2027: the 2027 service window (from 1 May) accepts it.
    phone = _new_page(browser)
    phone.goto(f"{url}/volunteering/request/")
    assert "2027-05-01" in phone.locator("[data-testid=service-window]").inner_text()
    phone.select_option("select[name=requester_kind]", "community")
    phone.fill("input[name=organisation]", "八大湖街道第一社区居委会")
    phone.fill("textarea[name=need]", "科普进社区：防范电信诈骗讲座")
    phone.select_option("select[name=field]", index=1)
    phone.select_option("select[name=district]", label="市南区")
    phone.fill("input[name=preferred_from]", "2027-05-05")
    phone.fill("input[name=preferred_to]", "2027-05-05")
    phone.fill("input[name=contact_name]", "李主任")
    phone.fill("input[name=contact_phone]", "13700001111")
    phone.check("input[name=consent]")
    phone.click("[data-testid=submit-request]")
    assert len(phone.locator("[data-testid=receipt-code]").inner_text().strip()) == 14
    request = ServiceRequest.objects.get()
    assert request.preferred_from.isoformat() == "2027-05-05" and request.campaign.slug == "qingdao-2027"
