"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Every page and phone runs under the site's real Content-Security-Policy (the test settings are the
production ones), and any CSP violation the browser reports, in the page or a frame, fails the
test, naming the page and the directive (``page.csp_violations`` holds them while the test runs).

They skip, saying why, only where /usr/bin/chromium is absent; in CI (CI=true) a missing
Chromium is a failure, never a skip. A failing test leaves a screenshot under test-results/.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SCIDAY_CHROMIUM", "/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}; browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


# Reports every CSP violation of every frame to the test, with the page, the directive and what was
# blocked (init scripts run before the page's own and are not themselves subject to the policy).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__scidayCspViolation({page: e.documentURI, directive: e.violatedDirective,
    blocked: e.blockedURI || "inline", sample: e.sample || "", source: e.sourceFile + ":" + e.lineNumber});
});
"""


def _watch_csp(context, page) -> list[str]:
    violations: list[str] = []

    def on_event(_source, v):
        line = (f"CSP violation on {v['page']}: directive {v['directive']!r} blocked {v['blocked']}"
                f" ({v['source']}) {v['sample']}".rstrip())
        if line not in violations:
            violations.append(line)

    def on_console(message):
        # Chromium also logs each violation; this catches those the event could not report in time.
        if message.type == "error" and "Content Security Policy" in message.text:
            where = (message.location or {}).get("url") or page.url
            line = f"CSP violation on {where}: {message.text}"
            if line not in violations:
                violations.append(line)

    context.expose_binding("__scidayCspViolation", on_event)
    context.add_init_script(_CSP_LISTENER)
    page.on("console", on_console)
    return violations


def _page(browser, request, **context_args):
    context = browser.new_context(**context_args)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.csp_violations = _watch_csp(context, page)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    violations = list(page.csp_violations)
    context.close()
    if violations:
        pytest.fail("The Content-Security-Policy was violated:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def page(browser, request, live_server):
    """A desktop-sized page; ``page.goto(live_server.url + path)``."""
    yield from _page(browser, request, viewport={"width": 1280, "height": 900}, locale="zh-CN")


@pytest.fixture
def phone(browser, request, live_server):
    """A 375 px phone, as inside WeChat."""
    yield from _page(browser, request, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                     locale="zh-CN",
                     user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 "
                                "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.30")


@pytest.fixture
def log_in(live_server):
    """``log_in(page, username, password)`` through the real login form."""

    def _log_in(page, username, password):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("[data-testid=login-submit]")
        page.wait_for_load_state()

    return _log_in
