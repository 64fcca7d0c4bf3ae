"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

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


def _page(browser, request, **context_args):
    context = browser.new_context(**context_args)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


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
