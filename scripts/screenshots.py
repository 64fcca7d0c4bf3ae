"""Take the README's screenshots from a running `make run` (http://127.0.0.1:8000) with Chromium.

Usage: .venv/bin/python scripts/screenshots.py [base-url]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def log_in(page, username):
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "sciday-demo")
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, device_scale_factor=2)
        page = phone.new_page()
        page.goto(f"{BASE}/")
        page.screenshot(path=str(OUT / "home-phone.png"), full_page=False)
        page.locator("[data-testid=entries]").scroll_into_view_if_needed()
        page.screenshot(path=str(OUT / "home-phone-entries.png"), full_page=False)
        page.click("[data-testid=entry-videos]")  # 短视频, by the home page's entry as a visitor finds it
        page.wait_for_load_state()
        page.screenshot(path=str(OUT / "videos-phone.png"), full_page=False)
        page.goto(f"{BASE}/")
        page.click("[data-testid=large-text-switch]")  # 长辈版, remembered by a cookie on this device
        page.wait_for_load_state()
        page.screenshot(path=str(OUT / "home-phone-large-text.png"), full_page=False)
        desktop = browser.new_context(viewport={"width": 1280, "height": 800})
        page = desktop.new_page()
        log_in(page, "organiser")
        page.screenshot(path=str(OUT / "workbench-organiser.png"), full_page=True)
        page.goto(f"{BASE}/manage/dashboard/")
        page.wait_for_timeout(1500)  # ECharts draws after load
        page.screenshot(path=str(OUT / "dashboard.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1250})
        desktop2 = browser.new_context(viewport={"width": 1280, "height": 800})
        page = desktop2.new_page()
        log_in(page, "coord-shinan-kx")
        page.screenshot(path=str(OUT / "workbench-coordinator.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
