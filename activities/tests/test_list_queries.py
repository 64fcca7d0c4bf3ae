"""The check-in list of an activity keeps a constant number of SQL queries as people check in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import CheckIn, Mode, State
from activities.tests.factories import ActivityFactory
from organisations.models import District

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_checkin_list_keeps_a_constant_number_of_queries(login, coordinator_a, unit_a):
    activity = ActivityFactory(unit=unit_a, state=State.APPROVED, mode=Mode.OFFLINE, platform="", link="",
                               address="香港中路100号", district=District.objects.get(code="shinan"))
    client = login(coordinator_a)
    url = reverse("activities:checkin_manage", args=[activity.pk])
    CheckIn.objects.create(activity=activity, name="张一", phone="13912345600")
    small, _page = _queries(client, url)
    for n in range(1, 40):
        CheckIn.objects.create(activity=activity, name=f"张{n}号", phone=f"139123456{n:02d}")
    large, page = _queries(client, url)
    assert large <= small
    assert "张30号" in page or "张1号" in page
