"""An organiser enters next year's holidays from the State Council's notice, and the working-day API
counts with them; before that it refuses, naming the year."""

import pytest

from accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。"""


def test_an_organiser_enters_2027_and_the_calendar_counts_with_it(page, log_in, live_server, organiser):
    refused = page.request.get(f"{live_server.url}/api/v1/calendar/working-days?start=2027-02-04&days=3")
    assert refused.status == 409 and "2027年节假日安排尚未录入" in refused.json()["detail"]

    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{live_server.url}/workbench/")
    page.get_by_test_id("nav-menu").click()
    page.get_by_role("link", name="节假日安排").click()
    assert page.get_by_role("heading", name="节假日安排").is_visible()
    page.get_by_test_id("holiday-year-input").fill("2027")
    page.get_by_test_id("holiday-year-show").click()
    assert "未录入" in page.get_by_test_id("holiday-year").inner_text()

    page.get_by_role("link", name="粘贴国务院通知").click()
    page.get_by_label("国务院节假日安排").fill(NOTICE)
    page.get_by_role("button", name="保存").click()
    assert "已录入" in page.get_by_test_id("holiday-year").inner_text()
    assert "2027-02-20" in page.get_by_test_id("holiday-list").inner_text()

    # One more day by hand, with the labelled form.
    page.get_by_label("日期").fill("2027-10-01")
    page.get_by_label("类型").select_option(label="放假")
    page.get_by_label("名称").fill("国庆节")
    page.get_by_role("button", name="保存").click()
    assert "已添加 2027-10-01" in page.content()

    answer = page.request.get(f"{live_server.url}/api/v1/calendar/working-days?start=2027-02-04&days=3")
    assert answer.status == 200 and answer.json()["end"] == "2027-02-15"
