"""The story of one urgent problem: a worker raises it on a phone, the organiser accepts and assigns it,
the unit resolves it, the worker confirms with the receipt code, and it shows on the public page."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD
from problems.models import Problem, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_problem_from_submission_to_the_public_page(phone, page, log_in, live_server, organiser, coordinator_a,
                                                      unit_a, unit_b):
    # A young S&T worker raises a problem on their phone and gets a receipt code.
    phone.goto(f"{live_server.url}/problems/submit/")
    phone.select_option("select[name=category]", "housing")
    phone.fill("textarea[name=description]", "引进博士的租房补贴申请三个月还没有到账，王五反映。")
    phone.fill("input[name=contact]", "13812345678")
    phone.check("input[name=consent]")
    phone.click("[data-testid=submit-problem]")
    code = phone.locator("[data-testid=receipt-code]").inner_text().strip()
    assert len(code) == 14
    assert phone.evaluate("document.documentElement.scrollWidth") <= 376  # fits the phone, no sideways scroll

    # The organiser accepts it and assigns it to 市南区科协.
    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{live_server.url}/problems/ledger/")
    page.locator("[data-testid=ledger-row] a").first.click()
    assert "已登记" in page.locator("[data-testid=problem-status]").inner_text()
    assert "138****5678" in page.locator("[data-testid=contact]").inner_text()
    page.click("[data-testid=action-accept]")
    page.click("[data-testid=form-submit]")
    page.click("[data-testid=action-assign]")
    page.select_option("select[name=unit]", label="市南区科协")
    # The offered due date counts working days; near the year's end it may reach a year whose holidays are
    # not entered yet (the form then offers none), so the organiser types one.
    page.fill("input[name=due_date]", (datetime.date.today() + datetime.timedelta(days=14)).isoformat())
    page.click("[data-testid=form-submit]")
    assert "已交办" in page.locator("[data-testid=problem-status]").inner_text()
    assert "市南区科协" in page.locator("[data-testid=responsible]").inner_text()

    # The coordinator of 市南区科协 adds progress and resolves it.
    page.context.clear_cookies()
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{live_server.url}/problems/ledger/")
    page.locator("[data-testid=ledger-row] a").first.click()
    page.click("[data-testid=action-progress]")
    page.fill("textarea[name=note]", "已与市人社局对接，正在核查补贴发放。")
    page.click("[data-testid=form-submit]")
    assert "办理中" in page.locator("[data-testid=problem-status]").inner_text()
    page.click("[data-testid=action-resolve]")
    page.fill("textarea[name=resolution]", "开通补贴发放绿色通道，补贴已全部到账。")
    page.fill("textarea[name=public_summary]", "引进人才租房补贴发放不及时。")
    page.click("[data-testid=form-submit]")
    assert "已办结" in page.locator("[data-testid=problem-status]").inner_text()

    # The worker follows the problem with the receipt code and confirms it is solved.
    phone.goto(f"{live_server.url}/problems/follow/")
    phone.fill("input[name=code]", code)
    phone.click("[data-testid=follow-submit]")
    assert "开通补贴发放绿色通道" in phone.locator("[data-testid=resolution]").inner_text()
    assert phone.locator("[data-testid=history-entry]").count() == 5
    phone.click("[data-testid=confirm-resolution]")
    assert "已销号" in phone.locator("[data-testid=problem-status]").inner_text()
    assert Problem.objects.get().status == Status.CLOSED

    # It shows on the public page, anonymised, and the totals count it.
    phone.goto(f"{live_server.url}/problems/")
    results = phone.locator("[data-testid=public-results]").inner_text()
    assert "引进人才租房补贴发放不及时" in results and "补贴已全部到账" in results
    assert "王五" not in phone.content() and "13812345678" not in phone.content()
    assert "已销号1条" in phone.locator("[data-testid=public-totals]").inner_text()
