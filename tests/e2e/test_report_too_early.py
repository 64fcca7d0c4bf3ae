"""#17 item 5: a coordinator who tries to report the outcome before the activity has started sees why, in
Chinese, and nothing is stored; once it has started the same button works."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import PASSWORD
from activities.models import Activity, State
from activities.tests.factories import ActivityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _at(hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2022, 5, 28, hour, minute))


def test_a_coordinator_cannot_report_before_the_start(page, log_in, live_server, settings, coordinator_a, unit_a):
    activity = ActivityFactory(unit=unit_a, state=State.APPROVED, title="海洋科普直播课", starts_at=_at(10, 30),
                               ends_at=_at(12))
    settings.SCIDAY_CLOCK = "2022-05-28T10:00+08:00"
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{live_server.url}/activities/manage/{activity.pk}/")
    page.get_by_role("link", name="报送活动成效").click()
    page.wait_for_load_state()
    refusal = page.get_by_role("alert").filter(has_text="活动开始后才能报告举办情况")
    assert refusal.count() == 1 and "2022-05-28 10:30" in refusal.inner_text()
    assert page.get_by_label("实际参与人数").count() == 0
    activity.refresh_from_db()
    assert activity.state == State.APPROVED and activity.actual_participants is None

    settings.SCIDAY_CLOCK = "2022-05-28T10:35+08:00"  # it has started
    page.reload()
    page.get_by_label("实际参与人数").fill("45")
    page.get_by_role("button", name="报送活动成效").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=actual-participants]").inner_text() == "45"
    assert Activity.objects.get(pk=activity.pk).state == State.HELD
