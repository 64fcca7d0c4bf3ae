"""The organisers' campaign pages: what they show, what they save, and who is turned away."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from campaigns.models import ActivityForm, Campaign, CampaignContact, RoutingRule

pytestmark = pytest.mark.django_db


def _facts(campaign, **overrides):
    data = {
        "slug": campaign.slug, "year": campaign.year, "title": campaign.title, "title_en": campaign.title_en,
        "document_number": campaign.document_number, "issuers": campaign.issuers,
        "issuers_en": campaign.issuers_en, "issue_date": campaign.issue_date or "", "theme": campaign.theme,
        "theme_en": campaign.theme_en, "edition": campaign.edition or "", "key_day": campaign.key_day,
        "window_start": campaign.window_start, "window_end": campaign.window_end,
        "summary_deadline": campaign.summary_deadline, "late_policy": campaign.late_policy,
        "service_opens_on": campaign.service_opens_on or "", "survey_opens_on": campaign.survey_opens_on or "",
        "introduction": campaign.introduction, "introduction_en": campaign.introduction_en,
    }
    data.update(overrides)
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


def _state():
    """Everything the manage pages can change, to assert that a refused request changed nothing."""
    return (
        list(Campaign.objects.order_by("pk").values()),
        list(ActivityForm.objects.order_by("pk").values()),
        list(RoutingRule.objects.order_by("pk").values()),
        list(CampaignContact.objects.order_by("pk").values()),
    )


def _pages(campaign):
    category = campaign.categories.first()
    contact = campaign.contacts.first()
    slug = campaign.slug
    return [
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[slug]),
        reverse("campaigns:edit", args=[slug]),
        reverse("campaigns:category_edit", args=[slug, category.pk]),
        reverse("campaigns:routing_edit", args=[slug]),
        reverse("campaigns:contact_add", args=[slug]),
        reverse("campaigns:contact_edit", args=[slug, contact.pk]),
        reverse("campaigns:contact_delete", args=[slug, contact.pk]),
        reverse("campaigns:publish", args=[slug]),
        reverse("campaigns:unpublish", args=[slug]),
        reverse("campaigns:copy", args=[slug]),
    ]


# --- who is turned away -------------------------------------------------------------------------

def test_coordinator_gets_403_everywhere_and_nothing_changes(qingdao, coordinator_a, login):
    client = login(coordinator_a)
    before = _state()
    for url in _pages(qingdao):
        assert client.get(url).status_code == 403, url
        assert client.post(url, _facts(qingdao, theme="被篡改", new_slug="qingdao-2099")).status_code == 403, url
    assert _state() == before
    assert AuditEntry.objects.filter(action="permissions.denied", actor=coordinator_a).count() == 2 * len(_pages(qingdao))


def test_anonymous_is_sent_to_login(qingdao, client):
    before = _state()
    for url in _pages(qingdao):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url
        response = client.post(url, {"new_slug": "qingdao-2099"})
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url
    assert _state() == before


def test_expert_without_office_is_refused(qingdao, client):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="expert-t", is_expert=True))
    assert client.get(reverse("campaigns:list")).status_code == 403


# --- what organisers see ---------------------------------------------------------------------------

def test_list_and_detail_show_the_facts(qingdao, organiser, login):
    client = login(organiser)
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 200
    assert qingdao.title in response.content.decode()

    page = client.get(reverse("campaigns:detail", args=["qingdao-2022"])).content.decode()
    for text in ["青科协字〔2022〕37号", "创新争先、自立自强", "2022-05-30", "2022-05-11", "2022-06-20", "2022-06-15",
                 "青岛市科技局", "王馨", "85911893", "kjjrencaichu@qd.shandong.cn", "短视频", "市科技局科技人才处"]:
        assert text in page, text
    assert page.count('data-testid="categories"') == 1


def test_admin_may_manage(qingdao, admin_user, login):
    assert login(admin_user).get(reverse("campaigns:detail", args=["qingdao-2022"])).status_code == 200


def test_unknown_campaign_is_404(qingdao, organiser, login):
    assert login(organiser).get(reverse("campaigns:detail", args=["nope"])).status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_constant(qingdao, organiser, login):
    from campaigns.tests.factories import CampaignFactory

    client = login(organiser)
    url = reverse("campaigns:list")
    client.get(url)
    one = _count_queries(client, url)
    CampaignFactory.create_batch(4)
    assert Campaign.objects.count() == 5
    assert _count_queries(client, url) == one


def test_detail_query_count_is_constant(qingdao, organiser, login):
    from campaigns import services

    client = login(organiser)
    url = reverse("campaigns:detail", args=["qingdao-2022"])
    client.get(url)
    one = _count_queries(client, url)
    for year in range(2023, 2027):
        services.campaign_copy_next_year(actor=organiser, campaign=Campaign.objects.get(year=year - 1),
                                         new_slug=f"qingdao-{year}")
    services.contact_create(actor=organiser, campaign=qingdao, office=qingdao.contacts.first().office,
                            person="李四", phone="1")
    assert _count_queries(client, url) == one


# --- editing ---------------------------------------------------------------------------------------

def test_edit_facts_saves_and_audits(qingdao, organiser, login):
    client = login(organiser)
    response = client.post(reverse("campaigns:edit", args=["qingdao-2022"]), _facts(qingdao, theme="新主题"))
    assert response.status_code == 302
    qingdao.refresh_from_db()
    assert qingdao.theme == "新主题"
    assert AuditEntry.objects.get(action="campaigns.campaign.updated").changes == {
        "theme": ["创新争先、自立自强", "新主题"]}


def test_edit_with_key_day_outside_window_shows_chinese_error(qingdao, organiser, login):
    client = login(organiser)
    before = _state()
    response = client.post(reverse("campaigns:edit", args=["qingdao-2022"]),
                           _facts(qingdao, key_day="2022-07-30", year=2022))
    assert response.status_code == 200
    assert "重点日必须在活动时间范围内" in response.content.decode()
    assert _state() == before


def test_edit_with_taken_slug_shows_error(qingdao, organiser, login):
    from campaigns.tests.factories import CampaignFactory

    CampaignFactory(slug="taken")
    before = _state()
    response = login(organiser).post(reverse("campaigns:edit", args=["qingdao-2022"]), _facts(qingdao, slug="taken"))
    assert response.status_code == 200
    assert "已有使用此简称的活动" in response.content.decode()
    assert _state() == before


def test_edit_slug_redirects_to_new_address(qingdao, organiser, login):
    response = login(organiser).post(reverse("campaigns:edit", args=["qingdao-2022"]),
                                     _facts(qingdao, slug="qingdao-2022-main"))
    assert response.url == reverse("campaigns:detail", args=["qingdao-2022-main"])


def test_category_page_adds_a_form(qingdao, organiser, login):
    category = qingdao.categories.get(number=2)
    forms = list(category.forms.order_by("order"))
    data = {"name": category.name, "name_en": category.name_en, "description": category.description,
            "description_en": category.description_en,
            "forms-TOTAL_FORMS": len(forms) + 1, "forms-INITIAL_FORMS": len(forms)}
    for i, f in enumerate(forms):
        data.update({f"forms-{i}-pk": f.pk, f"forms-{i}-name": f.name, f"forms-{i}-name_en": f.name_en,
                     f"forms-{i}-order": f.order})
    data.update({f"forms-{len(forms)}-name": "科普直播", f"forms-{len(forms)}-order": ""})
    client = login(organiser)
    url = reverse("campaigns:category_edit", args=["qingdao-2022", category.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(category.forms.order_by("order").values_list("name", flat=True))[-1] == "科普直播"

    data[f"forms-{len(forms)}-name"] = forms[0].name  # a duplicate name
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "活动形式名称不能重复" in response.content.decode()
    assert _state() == before


def test_routing_page_requires_every_unit_type(qingdao, organiser, offices, login):
    client = login(organiser)
    url = reverse("campaigns:routing_edit", args=["qingdao-2022"])
    data = {r.unit_type: r.office_id for r in qingdao.routing_rules.all()}
    data["institute"] = ""
    before = _state()
    response = client.post(url, data)
    assert response.status_code == 200 and _state() == before
    data["institute"] = offices["qstb-talent"].pk
    assert client.post(url, data).status_code == 302
    assert RoutingRule.objects.get(campaign=qingdao, unit_type="institute").office == offices["qstb-talent"]


def test_contact_pages(qingdao, organiser, offices, login):
    client = login(organiser)
    response = client.post(reverse("campaigns:contact_add", args=["qingdao-2022"]),
                           {"office": offices["qstb-talent"].pk, "person": "李四", "phone": "85910000", "email": ""})
    assert response.status_code == 302
    contact = CampaignContact.objects.get(person="李四")
    response = client.post(reverse("campaigns:contact_edit", args=["qingdao-2022", contact.pk]),
                           {"office": offices["qstb-talent"].pk, "person": "李四", "phone": "", "email": "bad"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.phone == "85910000"
    assert client.post(reverse("campaigns:contact_delete", args=["qingdao-2022", contact.pk])).status_code == 302
    assert not CampaignContact.objects.filter(pk=contact.pk).exists()


def test_copy_page_prefills_slug_and_creates_unpublished_copy(qingdao, organiser, login):
    client = login(organiser)
    url = reverse("campaigns:copy", args=["qingdao-2022"])
    page = client.get(url).content.decode()
    assert 'value="qingdao-2023"' in page
    response = client.post(url, {"new_slug": "qingdao-2023"})
    assert response.url == reverse("campaigns:detail", args=["qingdao-2023"])
    assert Campaign.objects.get(slug="qingdao-2023").is_published is False

    before = _state()
    response = client.post(url, {"new_slug": "qingdao-2023"})
    assert response.status_code == 200
    assert "已有简称为“qingdao-2023”的活动" in response.content.decode()
    assert _state() == before


def test_publish_pages_confirm_then_change(qingdao, organiser, login):
    client = login(organiser)
    url = reverse("campaigns:unpublish", args=["qingdao-2022"])
    assert client.get(url).status_code == 200
    qingdao.refresh_from_db()
    assert qingdao.is_published  # a GET only asks
    assert client.post(url).status_code == 302
    qingdao.refresh_from_db()
    assert not qingdao.is_published
    client.post(reverse("campaigns:publish", args=["qingdao-2022"]))
    qingdao.refresh_from_db()
    assert qingdao.is_published


def test_organiser_can_open_every_page(qingdao, organiser, login):
    client = login(organiser)
    for url in _pages(qingdao):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "{%" not in response.content.decode(), url


def test_pages_render_in_english(qingdao, organiser, login):
    client = login(organiser)
    client.cookies["sciday_language"] = "en"
    page = client.get(reverse("campaigns:detail", args=["qingdao-2022"])).content.decode()
    assert "Where summaries go" in page and "Qingdao 2022 National Science and Technology" in page


def test_the_service_and_survey_openings_are_edited_checked_and_shown_to_the_public(qingdao, organiser, login, client):
    assert qingdao.service_opens_on == datetime.date(2022, 5, 1)
    assert qingdao.survey_opens_on == datetime.date(2022, 5, 11)
    page = client.get("/").content.decode()
    assert "2022-05-01" in page.split('data-testid="service-window"')[1][:80]
    assert "2022-05-11" in page.split('data-testid="survey-window"')[1][:80]
    staff = login(organiser)
    refused = staff.post(reverse("campaigns:edit", args=["qingdao-2022"]),
                         _facts(qingdao, service_opens_on=datetime.date(2022, 6, 30)))
    assert refused.status_code == 200 and "须在活动期结束之前" in refused.content.decode()
    qingdao.refresh_from_db()
    assert qingdao.service_opens_on == datetime.date(2022, 5, 1)
    staff.post(reverse("campaigns:edit", args=["qingdao-2022"]), _facts(qingdao, service_opens_on=datetime.date(2022, 5, 3)))
    assert "2022-05-03" in client.get("/").content.decode().split('data-testid="service-window"')[1][:80]
    assert client.get("/api/v1/campaigns/qingdao-2022").json()["service_opens"] == "2022-05-03"
