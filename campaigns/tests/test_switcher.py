"""The campaign switcher: staff choose the year every list, export and figure shows; the current one by default."""

import pytest
from django.urls import reverse

from activities.models import State
from activities.tests.factories import ActivityFactory
from audit.models import AuditEntry
from campaigns import services
from campaigns.models import Campaign
from campaigns.selectors import SESSION_KEY
from problems.models import Problem
from volunteering.models import ServiceRequest


@pytest.fixture
def year_2027(qingdao, organiser):
    return services.campaign_copy(actor=organiser, campaign=qingdao, year=2027)


def test_organiser_switches_year_and_lists_follow(client, login, organiser, unit_a, qingdao, year_2027, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    ActivityFactory(unit=unit_a, title="二〇二二年的活动", state=State.SUBMITTED)
    category = year_2027.categories.first()
    ActivityFactory(unit=unit_a, title="二〇二七年的活动", state=State.SUBMITTED, campaign=year_2027,
                    category=category, form=category.forms.first())
    client = login(organiser)
    page = client.get(reverse("activities:manage_list")).content.decode()
    assert "二〇二二年的活动" in page and "二〇二七年的活动" not in page  # the current campaign by the clock
    assert 'data-testid="campaign-switch"' in page and "当前活动" in page
    choose = client.get(reverse("campaigns:choose")).content.decode()
    assert "choose-qingdao-2027" in choose and "未发布" in choose  # organisers may work on an unpublished year
    response = client.post(reverse("campaigns:choose"), {"campaign": "qingdao-2027",
                                                         "next": reverse("activities:review")})
    assert response.url == reverse("activities:review")
    page = client.get(reverse("activities:review")).content.decode()
    assert "二〇二七年的活动" in page and "二〇二二年的活动" not in page
    assert "2027年度" in page  # the frame says which year
    assert AuditEntry.objects.filter(action="campaigns.campaign.chosen").count() == 1
    client.post(reverse("campaigns:choose"), {"campaign": ""})
    assert SESSION_KEY not in client.session


def test_coordinators_cannot_choose_an_unpublished_year(client, login, coordinator_a, year_2027):
    client = login(coordinator_a)
    assert "choose-qingdao-2027" not in client.get(reverse("campaigns:choose")).content.decode()
    client.post(reverse("campaigns:choose"), {"campaign": "qingdao-2027"})
    assert SESSION_KEY not in client.session
    assert not AuditEntry.objects.filter(action="campaigns.campaign.chosen").exists()


def test_people_without_a_role_cannot_choose(client, login, db):
    from accounts.tests.factories import UserFactory

    client = login(UserFactory())
    assert client.get(reverse("campaigns:choose")).status_code == 403
    assert client.get(reverse("campaigns:choose")).status_code == 403
    anonymous = client.__class__()
    assert anonymous.get(reverse("campaigns:choose")).status_code == 302  # to the login page


def test_an_unsafe_next_is_ignored(client, login, organiser, year_2027):
    client = login(organiser)
    response = client.post(reverse("campaigns:choose"), {"campaign": "qingdao-2027", "next": "https://evil.example/"})
    assert response.url == reverse("workbench:home")


def test_problems_and_requests_belong_to_the_campaign_they_were_raised_in(qingdao, organiser, settings, db):
    from organisations.models import District
    from problems.services import problem_submit
    from volunteering.models import ExpertiseField
    from volunteering.services import request_submit

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    problem, _code = problem_submit(category="other", description="实验室经费报销周期太长", consent=True)
    assert problem.campaign == qingdao
    request, _code = request_submit(requester_kind="community", organisation="八大湖社区", need="科普讲座",
                                    field=ExpertiseField.objects.first(), district=District.objects.first(),
                                    contact_name="李主任", contact_phone="13700001111", consent=True)
    assert request.campaign == qingdao
    copy = services.campaign_copy(actor=organiser, campaign=qingdao, year=2027)
    services.campaign_set_published(actor=organiser, campaign=copy, published=True)
    settings.SCIDAY_CLOCK = "2027-05-05T10:00+08:00"
    problem, _code = problem_submit(category="other", description="青年人才住房", consent=True)
    assert problem.campaign == copy
    assert Problem.objects.filter(campaign=qingdao).count() == 1
    assert ServiceRequest.objects.filter(campaign=copy).count() == 0


def test_problem_ledger_follows_the_chosen_campaign(client, login, organiser, qingdao, settings):
    from problems.services import problem_submit

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    problem_submit(category="other", description="二〇二二年提出的问题", consent=True)
    copy = services.campaign_copy(actor=organiser, campaign=qingdao, year=2027)
    client = login(organiser)
    client.post(reverse("campaigns:choose"), {"campaign": copy.slug})
    assert "二〇二二年提出的问题" not in client.get(reverse("problems:ledger")).content.decode()
    client.post(reverse("campaigns:choose"), {"campaign": "qingdao-2022"})
    assert "二〇二二年提出的问题" in client.get(reverse("problems:ledger")).content.decode()
    assert Campaign.objects.count() == 2
