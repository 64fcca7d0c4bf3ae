"""City → province with two running instances (issue #15): the city is this test's live server with the demo data;
the province is a second sciday (`manage.py runserver --noreload`, SCIDAY_LEVEL=province) with its own SQLite file,
migrated and loaded with the province demo (the 16 Shandong cities). The city's organiser enters the province's
address and token, the province's dry run counts the records, 「上报」 imports them, reporting again changes nothing,
the province selects one activity as 重点 (择优纳入) in its browser, and 「获取省级决定」 at the city shows
「已纳入省级重点活动」 on that activity's page and notifies its hosting unit."""

import datetime
import io
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from core.registry import app_hooks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DEMO_CLOCK = "2022-05-20T10:00+08:00"
PROVINCE_CLOCK = "2022-06-01T10:00+08:00"
PASSWORD = "sciday-demo"
TABLES = ("rollup_receivedpackage", "rollup_receivedrecord", "rollup_receivedfile")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A province-level sciday on its own port and database, holding the Shandong demo and a link for Qingdao."""
    folder = tmp_path_factory.mktemp("province")
    database = folder / "province.sqlite3"
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sciday.settings", "DEBUG": "1", "SCIDAY_LEVEL": "province",
           "SCIDAY_REGION_CODE": "370000", "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(folder / "media"),
           "SCIDAY_CLOCK": PROVINCE_CLOCK, "SCIDAY_SITE_URL": f"http://127.0.0.1:{port}", "REDIS_URL": ""}
    _manage(env, "migrate", "--noinput")
    _manage(env, "createcachetable")
    out = _manage(env, "load_province_demo", "--link", "370200")
    token = next(line.split()[1] for line in out.splitlines() if line.startswith("TOKEN "))
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the province server did not start: " + (folder / "server.log").read_text()[-2000:])
        yield {"url": url, "token": token, "database": database}
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _counts(database) -> tuple:
    with sqlite3.connect(database) as db:
        return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES)  # noqa: S608


@pytest.fixture
def city(settings):
    """The demo data as `make run` loads it, with the role-model selection released (two winners)."""
    settings.SCIDAY_CLOCK = DEMO_CLOCK
    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "city", "370200"
    call_command("load_holidays", verbosity=0)
    call_command("load_campaign", "qingdao-2022", verbosity=0)
    for loader in app_hooks("demo", "load_demo_data"):
        loader(stdout=io.StringIO())
    from activities.models import Activity
    from awards.models import Nomination, Selection

    selection = Selection.objects.get()
    winners = list(selection.nominations.order_by("pk")[:2])
    Nomination.objects.filter(pk__in=[n.pk for n in winners]).update(status="winner")
    selection.stage, selection.released_at = Selection.Stage.RELEASED, datetime.datetime(2022, 5, 19, 10, tzinfo=datetime.UTC)
    selection.save()
    settings.SCIDAY_CLOCK = PROVINCE_CLOCK  # the city reports after its summaries came in
    recommended = list(Activity.objects.filter(state="recommended_up").select_related("unit").order_by("pk"))
    assert recommended, "the demo has activities recommended upward"
    return {"recommended": recommended, "winners": winners}


def _log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()


def _confirm(page, selector):
    page.click(selector)
    page.click("[data-testid=confirm-dialog-ok]")
    page.wait_for_load_state()


def test_the_city_reports_to_the_province_and_gets_its_decision_back(province, city, live_server, page, browser,
                                                                    settings):
    from accounts.models import User
    from notifications.models import Notification
    from rollup import client, selectors
    from rollup.models import ProvinceLink

    # The city's organiser enters the province's address and token once.
    _log_in(page, live_server.url, "organiser")
    page.goto(f"{live_server.url}/rollup/")
    page.fill("input[name=address]", province["url"])
    page.fill("input[name=token]", province["token"])
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_text("已保存省级链接").is_visible()
    link = ProvinceLink.objects.get()
    assert province["token"] not in link.token_encrypted

    # The province's dry run answers what the import would do, and writes nothing.
    assert _counts(province["database"]) == (0, 0, 0)
    dry = client.push(actor=User.objects.get(username="organiser"), link=link, dry_run=True)
    expected = len(city["recommended"])
    assert dry["dry_run"] is True and dry["package"] == "new"
    activity_ids = [i for i in dry["records"]["new"] if "/activity/" in i]
    assert len(activity_ids) == expected
    assert len([i for i in dry["records"]["new"] if "/role_model/" in i]) == 2
    assert _counts(province["database"]) == (0, 0, 0)

    # 「上报」: the import creates them.
    page.goto(f"{live_server.url}/rollup/province/")
    _confirm(page, "[data-testid=push]")
    assert page.get_by_text("已上报").is_visible()
    after_first = _counts(province["database"])
    assert after_first[0] == 1 and after_first[1] == dry["counts"]["new"]

    # Reporting again, this time by resumable upload (transfer) and then the upload's id, changes nothing.
    settings.SCIDAY_ROLLUP_RESUMABLE_BYTES = 1
    again = client.push(actor=User.objects.get(username="organiser"), link=link)
    assert again["how"] == "resumable"
    assert again["counts"]["new"] == 0 and again["counts"]["updated"] == 0
    assert again["counts"]["unchanged"] == dry["counts"]["new"]
    assert _counts(province["database"]) == after_first

    # The province sees Qingdao's package and selects one recommended activity as 重点.
    chosen = city["recommended"][0]
    province_page = browser.new_page()
    try:
        _log_in(province_page, province["url"], "province")
        province_page.goto(f"{province['url']}/rollup/cities/")
        assert "370200" in province_page.locator("[data-testid=city-370200]").inner_text()
        assert "1 个上报" in province_page.locator("[data-testid=completeness]").inner_text()
        province_page.goto(f"{province['url']}/rollup/review/")
        province_page.get_by_role("link", name=chosen.title).first.click()
        province_page.wait_for_load_state()
        province_page.get_by_role("link", name="择优纳入省级重点活动").click()
        province_page.fill("textarea[name=reason]", "示范性强，纳入全省重点活动")
        province_page.click("[data-testid=confirm]")
        province_page.wait_for_load_state()
        assert "已择优纳入重点活动" in province_page.locator("[data-testid=decision]").inner_text()
    finally:
        province_page.close()

    # 「获取省级决定」 at the city: the activity's page says so, and its hosting unit is notified.
    page.goto(f"{live_server.url}/rollup/province/")
    page.click("[data-testid=pull]")
    page.wait_for_load_state()
    assert page.get_by_text("已获取省级决定").is_visible()
    page.goto(f"{live_server.url}{chosen.get_absolute_url()}")
    badge = page.locator("[data-testid=province-decision]")
    assert "已纳入省级重点活动" in badge.inner_text() and "示范性强" in badge.inner_text()
    hosts = User.objects.filter(unit_memberships__unit=chosen.unit)
    assert Notification.objects.filter(recipient__in=hosts, kind="rollup.decision.selected").exists()
    assert selectors.province_decision_counts(campaign=chosen.campaign)["selected"] == 1
