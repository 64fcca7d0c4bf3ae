"""A coordinator and office staff log in through the real form and each sees their own workbench."""

import pytest

from accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_in_and_sees_their_unit(page, log_in, coordinator_a, unit_b):
    log_in(page, "coord-a", PASSWORD)
    assert page.url.endswith("/workbench/")
    assert page.locator("[data-testid=workbench-title]").inner_text() == "工作台"
    units = page.locator("[data-testid=my-unit]")
    assert units.count() == 1
    assert "市南区科协" in units.inner_text()
    assert "市北区科技局" not in page.content()
    assert page.locator("[data-testid=office-section]").count() == 0


def test_office_staff_see_the_units_routed_to_their_office(page, log_in, bureau, unit_a, unit_b):
    log_in(page, "bureau-t", PASSWORD)
    overview = page.locator("[data-testid=office-overview]")
    assert "市科技局科技人才处" in overview.inner_text()
    assert "区市科技局" in overview.inner_text()
    assert page.locator("[data-testid=coordinator-section]").count() == 0


def test_switching_language_changes_every_label_and_back(page, log_in, coordinator_a, live_server):
    log_in(page, "coord-a", PASSWORD)
    page.click("[data-testid=language-switch] button")
    page.wait_for_load_state()
    assert page.locator("[data-testid=workbench-title]").inner_text() == "Workbench"
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server.url + "/")
    assert "Log out" in page.content() or page.locator("[data-testid=user-menu]").count() == 1
    page.click("[data-testid=language-switch] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_a_wrong_password_says_so_in_chinese(page, log_in, coordinator_a):
    log_in(page, "coord-a", "wrong-password")
    assert "/accounts/login/" in page.url
    assert "请输入一个正确的" in page.content()
