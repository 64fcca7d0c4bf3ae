"""Next year's campaign in one flow: ``manage.py campaign_copy qingdao-2022 --year 2027`` and what it shows."""

import datetime

import pytest
from django.core.management import call_command

from activities import services as activity_services
from activities.models import State
from activities.tests.factories import ActivityFactory
from awards.models import Selection
from awards.services import selection_create
from campaigns import services
from campaigns.models import Campaign
from exhibitions.models import Exhibition
from surveys.models import Survey


@pytest.fixture
def qingdao_full(qingdao, organiser):
    """2022 as ``make run`` has it: the campaign with its exhibitions, the questionnaire, an award selection."""
    call_command("load_campaign", "qingdao-2022")
    call_command("load_survey", "qingdao-2022")
    selection = selection_create(actor=organiser, campaign=qingdao, nomination_start=datetime.date(2022, 5, 11),
                                 nomination_end=datetime.date(2022, 5, 25), places=8, max_age=55)
    selection.criteria.filter(order=0).update(name="创新贡献", max_score=50)
    return qingdao


def _copy_2027():
    call_command("campaign_copy", "qingdao-2022", "--year", "2027")
    return Campaign.objects.get(slug="qingdao-2027")


def test_campaign_copy_command_makes_2027_with_every_part(qingdao_full):
    copy = _copy_2027()
    assert copy.is_published is False
    assert copy.year == 2027 and copy.key_day == datetime.date(2027, 5, 30)  # a Sunday: kept all the same
    assert copy.edition == 11
    assert copy.window_start == datetime.date(2027, 5, 11) and copy.summary_deadline == datetime.date(2027, 6, 15)
    assert "2027年" in copy.title and "2022" not in copy.title
    assert copy.categories.count() == 6
    assert copy.service_opens == datetime.date(2027, 5, 1)  # the volunteer service window comes along
    assert [c.follows_service_window for c in copy.categories.all()] == [
        c.follows_service_window for c in qingdao_full.categories.all()]
    assert sum(c.forms.count() for c in copy.categories.all()) == sum(
        c.forms.count() for c in qingdao_full.categories.all())
    assert copy.routing_rules.count() == qingdao_full.routing_rules.count() == 6
    assert copy.contacts.count() == qingdao_full.contacts.count() > 0
    assert sorted(Exhibition.objects.filter(campaign=copy).values_list("code", flat=True)) == [
        "party-scientists", "role-models"]
    assert Exhibition.objects.filter(campaign=qingdao_full).count() == 2  # 2022's stay where they were
    survey = Survey.objects.get(campaign=copy)
    old = Survey.objects.get(campaign=qingdao_full)
    assert survey.copied_from == old and survey.version == old.version + 1
    assert survey.opens_at.year == 2027 and survey.questions.count() == old.questions.count()
    selection = Selection.objects.get(campaign=copy)
    assert (selection.places, selection.max_age) == (8, 55)
    assert selection.nomination_start == datetime.date(2027, 5, 11)
    assert [(c.name, c.max_score) for c in selection.criteria.all()][0] == ("创新贡献", 50)
    assert not selection.nominations.exists()


def test_copying_twice_is_refused_and_changes_nothing(qingdao_full):
    _copy_2027()
    counts = (Campaign.objects.count(), Exhibition.objects.count(), Survey.objects.count(), Selection.objects.count())
    with pytest.raises(Exception, match="qingdao-2027"):
        call_command("campaign_copy", "qingdao-2022", "--year", "2027")
    assert counts == (Campaign.objects.count(), Exhibition.objects.count(), Survey.objects.count(),
                      Selection.objects.count())


def test_an_earlier_year_is_refused(qingdao, organiser):
    with pytest.raises(Exception, match="2022"):
        services.campaign_copy(actor=organiser, campaign=qingdao, year=2021)
    assert Campaign.objects.count() == 1


def test_api_shows_2027_to_organisers_then_to_everybody_once_published(qingdao_full, client, organiser):
    copy = _copy_2027()
    assert client.get("/api/v1/campaigns/qingdao-2027").status_code == 404  # nothing public before publishing
    client.force_login(organiser)
    body = client.get("/api/v1/campaigns/qingdao-2027").json()
    assert body["key_day"] == "2027-05-30" and body["edition"] == 11 and body["is_published"] is False
    assert body["edition_label"].replace(" ", "") == "第11个全国科技工作者日"
    services.campaign_set_published(actor=organiser, campaign=copy, published=True)
    client.logout()
    body = client.get("/api/v1/campaigns/qingdao-2027").json()
    assert body["key_day"] == "2027-05-30" and body["edition"] == 11 and len(body["categories"]) == 6


def test_public_activities_are_per_campaign(qingdao_full, client, organiser, unit_a, settings):
    settings.SCIDAY_CLOCK = "2026-12-04T10:00+08:00"
    activity = ActivityFactory(unit=unit_a, state=State.SUBMITTED)
    activity_services.activity_approve(actor=organiser, activity=activity)
    copy = _copy_2027()
    services.campaign_set_published(actor=organiser, campaign=copy, published=True)
    in_2027 = client.get("/api/v1/public/activities/?campaign=qingdao-2027").json()
    in_2022 = client.get("/api/v1/public/activities/?campaign=qingdao-2022").json()
    assert in_2027["count"] == 0
    assert in_2022["count"] == 1 and in_2022["items"][0]["id"] == activity.pk
    # Without a campaign: the current one, 2027 by the clock (next May), which has none yet.
    assert client.get("/api/v1/public/activities/").json()["count"] == 0
    assert client.get("/api/v1/public/activities/?campaign=nope").status_code == 404


def test_home_shows_2027_and_links_the_2022_archive(qingdao_full, client, organiser, settings):
    settings.SCIDAY_CLOCK = "2026-12-04T10:00+08:00"
    copy = _copy_2027()
    page = client.get("/").content.decode()
    assert "2027年" not in page.split('data-testid="hero"')[1][:300]  # not published: the home stays on 2022
    services.campaign_set_published(actor=organiser, campaign=copy, published=True)
    page = client.get("/").content.decode()
    hero = page.split('data-testid="hero"')[1][:400]
    assert "2027年" in hero and "2027-05-30" in page
    assert 'href="/c/qingdao-2022/"' in page
    archive = client.get("/c/qingdao-2022/").content.decode()
    assert "2022年" in archive and 'href="/c/qingdao-2027/"' in archive


def test_review_page_shows_every_copied_part(qingdao_full, organiser, login):
    _copy_2027()
    page = login(organiser).get("/manage/campaigns/qingdao-2027/").content.decode()
    assert 'data-testid="review-note"' in page
    for key in ("exhibitions", "surveys", "awards", "programmes"):
        assert f'data-testid="part-{key}"' in page
    assert "榜样的力量" in page and "创新贡献" in page and "银铃科普行动" in page
