"""The organisers' dashboard 数据看板: reached from the 功能 menu and the workbench; a count of units with no
activity opens exactly those units; the bureau's dashboard counts only the units routed to it."""

import pytest

from accounts.tests.factories import PASSWORD
from activities.models import State
from activities.tests.factories import ActivityFactory, at
from organisations.models import District, Unit, UnitType
from organisations.tests.factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(unit_a, unit_b):
    laoshan = District.objects.get(code="laoshan")
    busy = UnitFactory(name="崂山区科协", unit_type=UnitType.DISTRICT_ASSOCIATION, district=laoshan)
    idle = [UnitFactory(name="崂山某学会", unit_type=UnitType.SOCIETY, district=laoshan),
            UnitFactory(name="崂山区科技局", unit_type=UnitType.DISTRICT_BUREAU, district=laoshan)]
    for unit in (busy, unit_b):
        ActivityFactory(unit=unit, state=State.APPROVED, district=unit.district, starts_at=at(28), ends_at=at(28, 11))
    return {"laoshan": laoshan, "busy": busy, "idle": idle}


def test_the_organiser_clicks_the_units_with_no_activity_in_one_district(page, log_in, organiser, city, live_server):
    log_in(page, "organiser-t", PASSWORD)
    page.click("[data-testid=nav-menu]")
    page.get_by_role("link", name="数据看板").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=dashboard-title]").inner_text() == "数据看板"
    assert "全市" in page.locator("[data-testid=dashboard-scope]").inner_text()
    page.locator("[data-chart=per_day] svg").wait_for()  # ECharts drew the chart (no CSP violation)
    expected = sorted(Unit.objects.filter(is_active=True, district=city["laoshan"])
                      .exclude(pk=city["busy"].pk).values_list("name", flat=True))
    link = page.locator("[data-testid=none-laoshan]")
    assert link.inner_text() == str(len(expected))
    link.click()
    page.wait_for_load_state()
    rows = page.locator("[data-testid=unit-row] td:first-child")
    assert sorted(rows.all_inner_texts()) == expected
    assert "本届无已通过活动" in page.locator("#id_activity option:checked").inner_text()


def test_the_bureau_counts_only_its_routed_units(page, log_in, bureau, city, qingdao, offices, live_server):
    log_in(page, "bureau-t", PASSWORD)
    page.click("[data-testid=open-dashboard]")
    page.wait_for_load_state()
    assert "市科技局科技人才处" in page.locator("[data-testid=dashboard-scope]").inner_text()
    routed = list(qingdao.routing_rules.filter(office=offices["qstb-talent"]).values_list("unit_type", flat=True))
    expected = Unit.objects.filter(is_active=True, unit_type__in=routed).count()
    assert page.locator("[data-testid=tile-coverage] .sciday-stat").inner_text() == f"1 / {expected}"
    assert page.locator("[data-testid=tile-activities] .sciday-stat").inner_text() == "1"
    listed = page.locator("[data-testid=none-unit]").all_inner_texts()
    assert any("崂山区科技局" in text for text in listed)
    assert not any("崂山某学会" in text for text in listed)
