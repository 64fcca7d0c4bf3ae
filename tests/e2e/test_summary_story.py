"""The summary story in a browser: write, see the figures, attach photos, submit; the right office's
inbox receives it; after the deadline a submission is flagged late, and an extension prevents it."""

import re
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, coordinator_of

pytestmark = pytest.mark.django_db(transaction=True)


def _png(path):
    buffer = BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _as(page, log_in, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def _write_and_submit(page, live_server, qingdao, unit, text):
    page.goto(f"{live_server.url}/summaries/{qingdao.slug}/{unit.pk}/")
    page.fill("#id_work_done", text)
    page.click("[data-testid=submit-summary]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    expect(page.get_by_test_id("summary-status")).to_be_visible()


def test_summary_story(page, live_server, log_in, settings, qingdao, unit_a, unit_b, coordinator_a, coordinator_b,
                       organiser, bureau, tmp_path):
    from activities.models import Mode, State
    from activities.tests.factories import ActivityFactory
    from summaries.models import Summary

    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    ActivityFactory(unit=unit_a, state=State.HELD, actual_participants=120, online_views=3000)
    ActivityFactory(unit=unit_a, state=State.HELD, mode=Mode.OFFLINE, actual_participants=80, address="香港中路")
    ActivityFactory(unit=unit_a, state=State.CANCELLED)

    # A district association's coordinator writes, sees the figures, attaches photos and submits.
    _as(page, log_in, coordinator_a.username)
    page.goto(f"{live_server.url}/summaries/{qingdao.slug}/{unit_a.pk}/")
    figures = page.get_by_test_id("figures")
    expect(figures.get_by_test_id("figure-1")).to_have_text("3")  # activities reported
    expect(figures.get_by_test_id("figure-2")).to_have_text("2")  # held
    expect(figures.get_by_test_id("figure-4")).to_have_text("200")  # participants
    page.fill("#id_work_done", "围绕主题开展座谈会、科普进社区等活动。")
    page.fill("#id_results", "服务科技工作者200人次。")
    page.fill("#id_hl-0-title", "青年科技沙龙")
    page.fill("#id_hl-0-text", "邀请青年科技工作者交流。")
    page.click("[data-testid=save-draft]")
    page.set_input_files("input[name=photos]", [_png(tmp_path / "a.png"), _png(tmp_path / "b.png")])
    page.click("[data-testid=attach]")
    expect(page.get_by_test_id("attachment")).to_have_count(2)
    page.click("[data-testid=submit-summary]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    expect(page.get_by_test_id("state")).to_have_text(re.compile("已报送|submitted", re.I))
    expect(page.get_by_test_id("late-badge")).to_have_count(0)

    # It is in 市科协组织人事部's inbox, not in 市科技局科技人才处's.
    _as(page, log_in, organiser.username)
    page.goto(f"{live_server.url}/summaries/inbox/")
    expect(page.get_by_test_id("inbox")).to_contain_text("市南区科协")
    _as(page, log_in, bureau.username)
    page.goto(f"{live_server.url}/summaries/inbox/")
    expect(page.get_by_test_id("inbox")).not_to_contain_text("市南区科协")

    # A district S&T bureau's summary goes the other way.
    _as(page, log_in, coordinator_b.username)
    _write_and_submit(page, live_server, qingdao, unit_b, "组织开展科技人才座谈。")
    _as(page, log_in, bureau.username)
    page.goto(f"{live_server.url}/summaries/inbox/")
    expect(page.get_by_test_id("inbox")).to_contain_text("市北区科技局")
    _as(page, log_in, organiser.username)
    page.goto(f"{live_server.url}/summaries/inbox/")
    expect(page.get_by_test_id("inbox")).not_to_contain_text("市北区科技局")

    # After the deadline: one unit submits late; another was granted an extension and is on time.
    from organisations.models import UnitType
    from organisations.tests.factories import UnitFactory

    late_unit = UnitFactory(name="青岛市计算机学会", unit_type=UnitType.SOCIETY)
    extended_unit = UnitFactory(name="青岛大学科协", unit_type=UnitType.UNIVERSITY)
    coordinator_of(late_unit, username="coord-late")
    coordinator_of(extended_unit, username="coord-ext")
    settings.SCIDAY_CLOCK = "2022-06-16T09:00+08:00"
    page.goto(f"{live_server.url}/summaries/{qingdao.slug}/{extended_unit.pk}/extend/")
    page.fill("input[name=until]", "2022-06-20")
    page.fill("textarea[name=reason]", "承担防疫任务")
    page.click("[data-testid=confirm]")
    expect(page.get_by_test_id("board")).to_contain_text("青岛大学科协")

    _as(page, log_in, "coord-late")
    _write_and_submit(page, live_server, qingdao, late_unit, "开展学术交流。")
    expect(page.get_by_test_id("late-badge")).to_be_visible()
    _as(page, log_in, "coord-ext")
    _write_and_submit(page, live_server, qingdao, extended_unit, "开展科普讲座。")
    expect(page.get_by_test_id("state")).to_have_text(re.compile("已报送|submitted", re.I))
    expect(page.get_by_test_id("late-badge")).to_have_count(0)

    assert Summary.objects.get(unit=late_unit).is_late
    assert not Summary.objects.get(unit=extended_unit).is_late
    assert Summary.objects.get(unit=unit_a).attachments.count() == 2
