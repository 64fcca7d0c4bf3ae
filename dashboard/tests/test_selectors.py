"""The dashboard's figures: each total equals a count in the database, an office sees only its routed units."""

import datetime

import pytest

from activities.models import State
from activities.tests.factories import ActivityFactory, at
from dashboard import selectors
from organisations.models import District, Unit, UnitType
from organisations.tests.factories import UnitFactory
from summaries.models import SummaryState
from summaries.tests.factories import SummaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(qingdao, unit_a, unit_b):
    """Units of two offices: 市南区科协 (association → 市科协) with two approved activities, 市北区科技局
    (bureau → 市科技局) with one held activity, and a 崂山区科协 with only a draft."""
    laoshan = UnitFactory(name="崂山区科协", unit_type=UnitType.DISTRICT_ASSOCIATION,
                          district=District.objects.get(code="laoshan"))
    ActivityFactory(unit=unit_a, state=State.APPROVED, starts_at=at(28), ends_at=at(28, 11))
    ActivityFactory(unit=unit_a, state=State.APPROVED, starts_at=at(30), ends_at=at(30, 11))
    ActivityFactory(unit=unit_b, state=State.HELD, starts_at=at(30), ends_at=at(30, 11), actual_participants=40, online_views=100)
    ActivityFactory(unit=laoshan, state=State.DRAFT)
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED, submitted_at=at(5, month=6))
    return {"laoshan": laoshan}


def test_city_figures_equal_database_counts(qingdao, city):
    figures = selectors.dashboard_figures(campaign=qingdao)
    activities = figures["activities"]
    assert activities["total"] == 3
    assert sum(row["n"] for row in activities["by_category"]) == 3
    assert sum(row["n"] for row in activities["by_district"]) == 3
    assert activities["participants"] == 40 and activities["online_views"] == 100
    assert {row["date"]: row["n"] for row in activities["per_day"]}["2022-05-30"] == 2
    assert activities["per_day"][0]["date"] == qingdao.window_start.isoformat()
    coverage = figures["coverage"]
    assert coverage["expected"] == Unit.objects.filter(is_active=True).count()
    assert coverage["reported"] == 2
    assert coverage["none"] == coverage["expected"] - 2
    laoshan = next(row for row in coverage["by_district"] if row["code"] == "laoshan")
    assert laoshan["none"] == Unit.objects.filter(is_active=True, district__code="laoshan").count()
    summaries = figures["summaries"]
    assert summaries["submitted"] == 1
    assert summaries["submitted"] + summaries["missing"] == summaries["expected"] == coverage["expected"]
    assert summaries["per_day"][-1]["cumulative"] == 1


def test_an_office_counts_only_its_routed_units(qingdao, offices, city):
    bureau = selectors.dashboard_figures(campaign=qingdao, office=offices["qstb-talent"])
    routed = list(qingdao.routing_rules.filter(office=offices["qstb-talent"]).values_list("unit_type", flat=True))
    assert bureau["scope"]["office"] == "qstb-talent"
    assert bureau["activities"]["total"] == 1
    assert bureau["coverage"]["expected"] == Unit.objects.filter(is_active=True, unit_type__in=routed).count()
    assert bureau["summaries"]["submitted"] == 0
    lead = selectors.dashboard_figures(campaign=qingdao, office=offices["qast-org-personnel"])
    assert lead["scope"]["office"] == "city" and lead["activities"]["total"] == 3


def test_lead_office_is_the_campaign_setting_else_the_city_association(qingdao, offices):
    assert selectors.lead_office(campaign=qingdao) == offices["qast-org-personnel"]


def test_summaries_curve_runs_to_the_deadline(qingdao, city):
    curve = selectors.dashboard_figures(campaign=qingdao)["summaries"]["per_day"]
    assert curve[-1]["date"] >= qingdao.summary_deadline.isoformat()
    assert datetime.date.fromisoformat(curve[0]["date"]) == qingdao.key_day


def test_the_campaigns_lead_office_setting_decides_who_sees_the_city(qingdao, offices, city):
    qingdao.lead_office = offices["qstb-talent"]
    qingdao.save(update_fields=["lead_office"])
    assert selectors.dashboard_figures(campaign=qingdao, office=offices["qstb-talent"])["scope"]["office"] == "city"
    association = selectors.dashboard_figures(campaign=qingdao, office=offices["qast-org-personnel"])
    assert association["scope"]["office"] == "qast-org-personnel"
    assert association["activities"]["total"] == 2


def test_role_models_count_nominations_by_status(qingdao, city, unit_a):
    from awards.models import Nomination, Selection
    from awards.tests.factories import NominationFactory, SelectionFactory

    selection = SelectionFactory(campaign=qingdao)
    NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.SUBMITTED)
    NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.DRAFT)
    awards = selectors.dashboard_figures(campaign=qingdao)["awards"]
    assert awards["stage"] == Selection.Stage.OPEN and awards["nominations"] == 1
    assert awards["by_unit"] == [{"unit_id": unit_a.pk, "name": unit_a.name, "n": 1}]
