"""Exhibitions belong to their campaign: codes unique per campaign, created and ended in the UI; base slots
belong to a campaign while the bases persist."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from campaigns import services as campaign_services
from exhibitions import services
from exhibitions.models import Exhibition


@pytest.fixture
def year_2027(qingdao, organiser):
    return campaign_services.campaign_copy(actor=organiser, campaign=qingdao, year=2027)


def test_the_seed_comes_from_the_campaign_data_not_code(qingdao):
    from campaigns.seeding import seed_exhibitions

    assert not hasattr(services, "SEED_EXHIBITIONS")
    assert [row["code"] for row in seed_exhibitions("qingdao-2022")] == ["party-scientists", "role-models"]
    assert seed_exhibitions("qingdao-2027") == []  # a copied campaign gets its exhibitions from the copy


def test_codes_are_unique_per_campaign_only(qingdao, organiser):
    services.exhibitions_seed(campaign=qingdao)
    year_2027 = campaign_services.campaign_copy(actor=organiser, campaign=qingdao, year=2027)
    assert Exhibition.objects.filter(campaign=year_2027, code="role-models").exists()  # copied with 2027
    services.exhibition_create(actor=organiser, campaign=qingdao, code="ocean", title="海洋科技展", organiser="市科协")
    services.exhibition_create(actor=organiser, campaign=year_2027, code="ocean", title="海洋科技展", organiser="市科协")
    before = Exhibition.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.exhibition_create(actor=organiser, campaign=qingdao, code="ocean", title="又一个", organiser="市科协")
    assert "ocean" in str(refused.value)
    assert Exhibition.objects.count() == before


def test_organiser_creates_and_ends_an_exhibition_in_the_ui(client, login, organiser, qingdao, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    client = login(organiser)
    page = client.get(reverse("exhibitions:manage")).content.decode()
    assert 'data-testid="exhibition-create"' in page
    response = client.post(reverse("exhibitions:exhibition_create"), {
        "code": "ocean", "title": "蔚蓝海洋——海洋科技成就展", "title_en": "", "organiser": "青岛市科学技术协会",
        "description": "巡回展出"})
    exhibition = Exhibition.objects.get(code="ocean")
    assert response.url == reverse("exhibitions:exhibition_manage", args=[exhibition.pk])
    assert exhibition.campaign == qingdao
    duplicate = client.post(reverse("exhibitions:exhibition_create"), {
        "code": "ocean", "title": "重复", "organiser": "青岛市科学技术协会"})
    assert duplicate.status_code == 200 and "已有代码为“ocean”的展览" in duplicate.content.decode()
    assert Exhibition.objects.filter(code="ocean").count() == 1
    end = reverse("exhibitions:exhibition_end", args=[exhibition.pk])
    assert client.get(end).status_code == 200  # a confirmation first
    client.post(end)
    exhibition.refresh_from_db()
    assert exhibition.ended_on == datetime.date(2022, 5, 20)
    assert AuditEntry.objects.filter(action="exhibitions.exhibition.ended").count() == 1
    with pytest.raises(ValidationError):
        services.exhibition_stop_create(actor=organiser, exhibition=exhibition, host_name="某馆", venue="一楼",
                                        starts_on=datetime.date(2022, 5, 25), ends_on=datetime.date(2022, 5, 26))
    assert "已结束巡展" in client.get(reverse("exhibitions:list")).content.decode()


def test_coordinators_cannot_create_or_end(client, login, coordinator_a, qingdao):
    client = login(coordinator_a)
    assert client.post(reverse("exhibitions:exhibition_create"), {"code": "x", "title": "x",
                                                                   "organiser": "x"}).status_code == 403
    assert not Exhibition.objects.filter(code="x").exists()
    exhibition = services.exhibitions_seed(campaign=qingdao)[0]
    assert client.post(reverse("exhibitions:exhibition_end", args=[exhibition.pk])).status_code == 403
    exhibition.refresh_from_db()
    assert exhibition.ended_on is None


def test_public_list_shows_the_current_campaign_and_the_archive(client, qingdao, organiser, year_2027, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    services.exhibition_create(actor=organiser, campaign=year_2027, code="new-2027", title="二〇二七新展",
                               organiser="市科协")
    services.exhibitions_seed(campaign=qingdao)
    page = client.get(reverse("exhibitions:list")).content.decode()
    assert "榜样的力量" in page and "二〇二七新展" not in page
    assert client.get(reverse("exhibitions:list"), {"campaign": "qingdao-2027"}).status_code == 404  # unpublished
    campaign_services.campaign_set_published(actor=organiser, campaign=year_2027, published=True)
    assert "二〇二七新展" in client.get(reverse("exhibitions:list"), {"campaign": "qingdao-2027"}).content.decode()
    api = client.get("/api/v1/exhibitions/?campaign=qingdao-2027").json()
    assert "new-2027" in [e["code"] for e in api["items"]]


def test_base_slots_belong_to_the_campaign_of_their_year(organiser, qingdao, year_2027, settings):
    from exhibitions.tests.factories import BaseFactory

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    base = BaseFactory()
    slot_2022 = services.slot_create(actor=organiser, base=base, date=datetime.date(2022, 5, 28),
                                     starts_at=datetime.time(9), ends_at=datetime.time(11))
    slot_2027 = services.slot_create(actor=organiser, base=base, date=datetime.date(2027, 5, 28),
                                     starts_at=datetime.time(9), ends_at=datetime.time(11))
    assert (slot_2022.campaign, slot_2027.campaign) == (qingdao, year_2027)
