"""The Content-Security-Policy in the browser: the shared page fixture fails a test on any violation
(proved here by making one), and the pages an organiser and an administrator reach from the menus,
Django's admin and the API documentation included, run under it without one."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The crawl renders cached public pages; the database cache table outlives the test's data, so
    leave nothing cached for the next test."""
    yield
    from django.core.cache import cache

    cache.clear()


def test_a_csp_violation_is_caught_and_names_the_page_and_the_directive(page, live_server, qingdao):
    page.goto(live_server.url + "/")
    assert "frame-ancestors 'none'" in page.evaluate("() => fetch('/').then(r => r.headers.get('content-security-policy'))")
    page.evaluate("() => { const d = document.createElement('div'); d.setAttribute('style', 'color: red');"
                  " document.body.appendChild(d); }")
    page.wait_for_timeout(300)
    found = list(page.csp_violations)
    page.csp_violations.clear()  # the fixture would fail this test for the violation made on purpose
    assert found, "the inline style= set on purpose was not reported"
    assert any(live_server.url + "/" in line and "style-src" in line for line in found), found


def _crawl(page, live_server, start_paths, limit=60):
    """Visit the start pages and every same-site link of the menus on them (not log-out, not downloads)."""
    seen, queue = set(), list(start_paths)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(live_server.url + path)
        assert response is not None and response.status < 500, path
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("load")
        for href in page.eval_on_selector_all("nav a[href], .dropdown-menu a[href], main a[href]",
                                              "links => links.map(a => a.getAttribute('href'))"):
            if (href and href.startswith("/") and not href.startswith(("/accounts/logout", "/files/"))
                    and not re.search(r"(export|download|\.xlsx|\.docx|\.csv|\.zip)", href)
                    and href not in seen and href.count("/") <= 5):
                queue.append(href)
    return seen


def test_the_organisers_pages_run_under_the_csp(page, live_server, log_in, qingdao, admin_user, password,
                                                settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    log_in(page, admin_user.username, password)
    seen = _crawl(page, live_server, ["/workbench/", "/admin/", "/admin/accounts/user/", "/api/v1/docs",
                                      "/accounts/me/tokens/"])
    assert len(seen) > 20, seen
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert not page.csp_violations, page.csp_violations


def test_a_one_time_secret_is_selected_when_focused(page, live_server, log_in, organiser, password):
    log_in(page, organiser.username, password)
    page.goto(live_server.url + "/accounts/me/tokens/")
    page.fill("input[name=name]", "CSP test")
    page.click("[data-testid=token-create]")
    page.wait_for_load_state()
    secret = page.locator("[data-testid=token-secret]")
    secret.focus()
    assert page.evaluate("() => window.getSelection().toString() || document.activeElement.value.substring("
                         "document.activeElement.selectionStart, document.activeElement.selectionEnd)") == secret.input_value()
