"""The dashboard page, its links, the 「提醒」 button and the JSON API."""

import pytest
from django.core.cache import cache

from activities.models import State
from activities.tests.factories import ActivityFactory, at
from audit.models import AuditEntry
from notifications.models import Notification
from organisations.models import District, Unit, UnitType
from organisations.tests.factories import UnitFactory
from summaries.models import SummaryState
from summaries.tests.factories import SummaryFactory

pytestmark = pytest.mark.django_db


def _activities(units, n):
    for i in range(n):
        unit = units[i % len(units)]
        ActivityFactory(unit=unit, state=State.APPROVED if i % 3 else State.HELD, starts_at=at(20 + i % 10),
                        ends_at=at(20 + i % 10, 11), district=unit.district, actual_participants=10)


@pytest.fixture
def units(qingdao, unit_a, unit_b):
    return [unit_a, unit_b]


def test_only_organisers_open_the_dashboard(client, login, coordinator_a):
    login(coordinator_a)
    assert client.get("/manage/dashboard/").status_code == 403
    assert client.get("/api/v1/campaigns/qingdao-2022/dashboard").status_code == 403


def test_the_page_shows_the_figures_and_the_menu_and_workbench_link_to_it(client, login, organiser, units):
    _activities(units, 3)
    login(organiser)
    page = client.get("/manage/dashboard/?campaign=qingdao-2022").content.decode()
    assert "数据看板" in page
    assert 'data-testid="none-shinan"' in page
    assert "dashboard-charts" in page and "<script>" not in page
    assert 'href="/manage/dashboard/"' in client.get("/workbench/").content.decode()


def test_constant_queries_at_small_and_large_data(client, login, organiser, units, django_assert_max_num_queries):
    login(organiser)
    client.get("/manage/dashboard/")  # the session's first renewal is not part of the constant
    counts = {}
    for label, extra_units, n in (("small", 0, 3), ("large", 20, 90)):
        more = [UnitFactory(name=f"{label}单位{i}", unit_type=UnitType.SOCIETY) for i in range(extra_units)]
        _activities(units + more, n)
        for path in ("/manage/dashboard/", "/api/v1/campaigns/qingdao-2022/dashboard"):
            cache.clear()  # built from the database each time
            with django_assert_max_num_queries(75) as captured:
                assert client.get(path).status_code == 200
            counts[(label, path)] = len(captured)
    assert counts[("small", "/manage/dashboard/")] == counts[("large", "/manage/dashboard/")]
    assert counts[("small", "/api/v1/campaigns/qingdao-2022/dashboard")] == \
        counts[("large", "/api/v1/campaigns/qingdao-2022/dashboard")]


def test_the_figures_are_built_once_then_served_from_the_cache(client, login, organiser, units,
                                                                django_assert_max_num_queries):
    _activities(units, 3)
    login(organiser)
    cache.clear()
    client.get("/api/v1/campaigns/qingdao-2022/dashboard")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/campaigns/qingdao-2022/dashboard").status_code == 200


def test_the_none_link_of_a_district_lists_exactly_those_units(client, login, organiser, units):
    shinan = District.objects.get(code="shinan")
    idle = UnitFactory(name="市南区某学会", unit_type=UnitType.SOCIETY, district=shinan)
    _activities(units, 2)
    login(organiser)
    cache.clear()
    figures = client.get("/api/v1/campaigns/qingdao-2022/dashboard").json()
    row = next(r for r in figures["coverage"]["by_district"] if r["code"] == "shinan")
    page = client.get("/manage/dashboard/?campaign=qingdao-2022").content.decode()
    link = page.split('data-testid="none-shinan"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    listed = client.get(link).content.decode()
    expected = Unit.objects.filter(is_active=True, district=shinan).exclude(pk=units[0].pk)
    assert row["none"] == expected.count() == listed.count('data-testid="unit-row"')
    assert idle.name in listed and units[0].name not in listed


def test_api_totals_add_up(client, login, organiser, units):
    _activities(units, 7)
    SummaryFactory(unit=units[0], state=SummaryState.SUBMITTED, submitted_at=at(2, month=6))
    login(organiser)
    cache.clear()
    figures = client.get("/api/v1/campaigns/qingdao-2022/dashboard").json()
    assert figures["scope"]["office"] == "city"
    assert sum(r["n"] for r in figures["activities"]["by_category"]) == figures["activities"]["total"] == 7
    assert figures["coverage"]["expected"] == Unit.objects.filter(is_active=True).count()
    s = figures["summaries"]
    assert s["submitted"] + s["missing"] == s["expected"] == figures["coverage"]["expected"]
    assert s["submitted"] == 1


def test_the_bureau_sees_only_its_routed_units(client, login, bureau, qingdao, offices, units):
    _activities(units, 4)  # two at the association (市科协), two at the bureau's 区科技局
    login(bureau)
    cache.clear()
    figures = client.get("/api/v1/campaigns/qingdao-2022/dashboard").json()
    routed = list(qingdao.routing_rules.filter(office=offices["qstb-talent"]).values_list("unit_type", flat=True))
    assert figures["scope"]["office"] == "qstb-talent"
    assert figures["activities"]["total"] == 2
    assert figures["coverage"]["expected"] == Unit.objects.filter(is_active=True, unit_type__in=routed).count()
    assert client.get("/api/v1/campaigns/qingdao-2022/dashboard?office=city").status_code == 403
    assert client.get("/api/v1/campaigns/qingdao-2022/dashboard?office=qast-org-personnel").status_code == 403


def test_remind_notifies_the_units_with_none_and_is_audited(client, login, organiser, units, coordinator_a,
                                                           coordinator_b):
    _activities(units[1:], 1)  # 市北区科技局 has an activity, 市南区科协 none
    login(organiser)
    response = client.post("/manage/dashboard/remind/", {"campaign": "qingdao-2022", "units": [units[0].pk,
                                                                                              units[1].pk]})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=coordinator_a, kind="dashboard.remind").count() == 1
    assert not Notification.objects.filter(recipient=coordinator_b).exists()
    assert AuditEntry.objects.filter(action="dashboard.unit.remind").count() == 1


def test_a_coordinator_cannot_remind(client, login, coordinator_a, units):
    login(coordinator_a)
    assert client.post("/manage/dashboard/remind/", {"campaign": "qingdao-2022"}).status_code == 403
    assert not Notification.objects.filter(kind="dashboard.remind").exists()
