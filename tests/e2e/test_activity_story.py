"""The activity story in a real browser: register, plans, return, fix, approve, publish, check in, report,
recommend and recommend upward."""

from io import BytesIO

import pytest
from PIL import Image

from accounts.tests.factories import PASSWORD
from activities.models import Activity, CheckIn, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
TITLE = "走进社区科普讲座"


def _new_page(browser, **kwargs):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", **kwargs)
    context.set_default_timeout(15000)
    return context.new_page()


def test_activity_story(page, phone, browser, log_in, live_server, settings, coordinator_a, organiser, tmp_path):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in ("epidemic.pdf", "security.pdf", "emergency.pdf"):
        (tmp_path / name).write_bytes(PDF)
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    (tmp_path / "photo.jpg").write_bytes(buffer.getvalue())
    url = live_server.url

    # The coordinator registers an offline 科普进社区 activity.
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{url}/activities/manage/")
    page.click("[data-testid=activity-create]")
    page.select_option("select[name=form]", label="科普进社区")
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=mode]", value="offline")
    page.fill("input[name=starts_at]", "2022-05-28T09:00")
    page.fill("input[name=ends_at]", "2022-05-28T11:00")
    page.select_option("select[name=district]", label="市南区")
    page.fill("input[name=address]", "香港中路100号社区中心")
    page.check("input[name=audiences][value=residents]")
    page.fill("input[name=expected_participants]", "80")
    page.fill("input[name=contact_person]", "张老师")
    page.fill("input[name=contact_phone]", "13800138000")
    page.fill("textarea[name=description]", "<p>面向社区居民的科普讲座</p>")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    activity = Activity.objects.get(title=TITLE)
    assert page.url.endswith(f"/activities/manage/{activity.pk}/")

    # It cannot be submitted without the three plans and the pledge; the page says which are missing.
    missing = page.locator("[data-testid=missing]").inner_text()
    for word in ("疫情防控预案", "安保方案", "应急预案", "中央八项规定"):
        assert word in missing
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    page.wait_for_load_state()
    assert "疫情防控预案" in page.locator(".alert-danger").first.inner_text()
    assert Activity.objects.get(pk=activity.pk).state == State.DRAFT

    page.set_input_files("input[name=epidemic]", str(tmp_path / "epidemic.pdf"))
    page.set_input_files("input[name=security]", str(tmp_path / "security.pdf"))
    page.set_input_files("input[name=emergency]", str(tmp_path / "emergency.pdf"))
    page.check("input[name=frugality_pledge]")
    page.click("[data-testid=save-plans]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=missing]").count() == 0
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    page.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.SUBMITTED

    # The organiser returns it with a reason.
    org = _new_page(browser)
    log_in(org, "organiser-t", PASSWORD)
    org.goto(f"{url}/activities/review/")
    org.click(f"text={TITLE}")
    assert org.locator("[data-testid=plan-epidemic] a").count() == 1  # the plans beside the details
    org.click("[data-testid=action-return]")
    org.fill("textarea[name=reason]", "请补充活动流程和主讲人")
    org.click("[data-testid=confirm]")
    org.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.RETURNED

    # The coordinator sees the reason, fixes the activity and resubmits.
    page.goto(f"{url}/workbench/")
    todo = page.locator("[data-testid=todos] li", has_text=TITLE)
    assert "请补充活动流程和主讲人" in todo.inner_text()
    todo.locator("a").click()
    page.wait_for_load_state()
    assert "请补充活动流程和主讲人" in page.locator("[data-testid=return-reason]").inner_text()
    page.click("[data-testid=edit]")
    page.fill("textarea[name=description]", "<p>流程：开场、讲座、互动。主讲人：李教授。</p>")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    page.click("[data-testid=action-submit]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    page.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.SUBMITTED

    # The organiser approves.
    org.goto(f"{url}/activities/manage/{activity.pk}/")
    org.click("[data-testid=action-approve]")
    org.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    org.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.APPROVED

    # It shows on the public list and calendar.
    visitor = _new_page(browser)
    visitor.goto(f"{url}/activities/")
    assert TITLE in visitor.locator("[data-testid=public-list]").inner_text()
    visitor.goto(f"{url}/activities/calendar/")
    assert TITLE in visitor.locator("[data-day='2022-05-28']").inner_text()
    visitor.click(f"text={TITLE}")
    assert visitor.locator("[data-testid=share-qr] svg").count() == 1
    assert "13800138000" not in visitor.content()

    # A phone checks in twice with the same number and is counted once.
    settings.SCIDAY_CLOCK = "2022-05-28T09:10+08:00"
    page.goto(f"{url}/activities/manage/{activity.pk}/checkin/")
    checkin_url = page.locator("[data-testid=checkin-url]").get_attribute("href")
    for expected in ("checkin-done", "checkin-already"):
        phone.goto(checkin_url)
        phone.fill("input[name=name]", "王五")
        phone.fill("input[name=phone]", "13812341234")
        phone.click("[data-testid=checkin-submit]")
        phone.wait_for_load_state()
        assert phone.locator(f"[data-testid={expected}]").count() == 1
    assert CheckIn.objects.filter(activity=activity).count() == 1
    page.reload()
    assert page.locator("[data-testid=checkin-count]").inner_text() == "1"
    assert "138****1234" in page.locator("[data-testid=checkin-row]").inner_text()

    # The coordinator reports the outcome with photos and a coverage link.
    settings.SCIDAY_CLOCK = "2022-05-29T10:00+08:00"
    page.goto(f"{url}/activities/manage/{activity.pk}/")
    page.click("[data-testid=action-report]")
    assert page.locator("input[name=actual_participants]").input_value() == "1"  # offered from check-in
    page.fill("input[name=actual_participants]", "120")
    page.set_input_files("input[name=photos]", str(tmp_path / "photo.jpg"))
    page.fill("input[name=coverage-0-outlet]", "青岛日报")
    page.fill("input[name=coverage-0-title]", "市南区科协开展科普进社区活动")
    page.fill("input[name=coverage-0-link]", "https://news.example.com/2022/0529/1.html")
    page.fill("input[name=coverage-0-date]", "2022-05-29")
    page.click("[data-testid=submit-report]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=actual-participants]").inner_text() == "120"
    assert "青岛日报" in page.locator("[data-testid=coverage]").inner_text()
    assert Activity.objects.get(pk=activity.pk).state == State.HELD

    # The organiser recommends it and marks it for upward recommendation.
    org.goto(f"{url}/activities/manage/{activity.pk}/")
    org.click("[data-testid=action-recommend]")
    org.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    org.wait_for_load_state()
    org.click("[data-testid=action-recommend_up]")
    org.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    org.wait_for_load_state()
    assert Activity.objects.get(pk=activity.pk).state == State.RECOMMENDED_UP
    org.context.close()
    visitor.context.close()
