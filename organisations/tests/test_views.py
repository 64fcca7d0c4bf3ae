"""The units pages: who sees what, who may change what, and that denied requests change nothing."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from organisations.models import District, Unit, UnitType

from .factories import UnitFactory


def list_url(**params):
    from urllib.parse import urlencode

    return reverse("organisations:list") + (f"?{urlencode(params)}" if params else "")


def detail_url(unit):
    return reverse("organisations:detail", args=[unit.pk])


def edit_url(unit):
    return reverse("organisations:edit", args=[unit.pk])


def unit_names(response):
    return [u.name for u in response.context["units"]]


# --- the list ---------------------------------------------------------------------------------------
def test_organiser_sees_every_unit_in_chinese_with_the_manage_links(login, organiser, unit_a, unit_b):
    response = login(organiser).get(list_url())
    assert response.status_code == 200
    assert set(unit_names(response)) >= {"市南区科协", "市北区科技局"}
    html = response.content.decode()
    assert "新建单位" in html and "从 Excel 导入" in html
    assert "区市科协" in html  # the unit type label, translated


def test_coordinator_sees_only_their_own_units_and_no_manage_links(login, coordinator_a, unit_a, unit_b):
    response = login(coordinator_a).get(list_url())
    assert unit_names(response) == ["市南区科协"]
    assert reverse("organisations:import") not in response.content.decode()
    assert reverse("organisations:create") not in response.content.decode()


@pytest.mark.parametrize(("params", "expected"), [
    ({"unit_type": UnitType.DISTRICT_BUREAU}, ["市北区科技局"]),
    ({"q": "市南"}, ["市南区科协"]),
    ({"q": "王馨"}, ["市北区科技局"]),
    ({"active": "0"}, ["市北区科技局"]),
    ({"active": "1", "unit_type": UnitType.DISTRICT_ASSOCIATION}, ["市南区科协"]),
    ({"unit_type": "bogus"}, ["市北区科技局", "市南区科协"]),  # a bad filter value is ignored
])
def test_filters(login, organiser, unit_a, unit_b, params, expected):
    unit_b.contact_person = "王馨"
    unit_b.is_active = False
    unit_b.save()
    names = unit_names(login(organiser).get(list_url(**params)))
    assert sorted(n for n in names if n in {"市南区科协", "市北区科技局"}) == sorted(expected)
    if "unit_type" in params and params["unit_type"] != "bogus" or "q" in params:
        assert sorted(names) == sorted(expected)


def test_filter_by_district(login, organiser, unit_a, unit_b):
    shibei = District.objects.get(code="shibei")
    assert unit_names(login(organiser).get(list_url(district=shibei.pk))) == ["市北区科技局"]


def test_empty_state(login, organiser):
    response = login(organiser).get(list_url(q="没有这个单位"))
    assert response.context["units"] == [] or not list(response.context["units"])
    assert 'data-testid="empty-state"' in response.content.decode()


def test_the_list_is_paginated(login, organiser, settings):
    settings.SCIDAY_PAGE_SIZE = 5
    UnitFactory.create_batch(12)
    response = login(organiser).get(list_url(page=3))
    assert len(response.context["units"]) == 2


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_needs_a_constant_number_of_queries(login, organiser, django_assert_max_num_queries, count):
    UnitFactory.create_batch(count)
    client = login(organiser)
    client.get(list_url())  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(list_url(page=2, active="1"))
    assert response.status_code == 200


def test_anonymous_is_sent_to_log_in(client, unit_a):
    for url in (list_url(), detail_url(unit_a), edit_url(unit_a), reverse("organisations:create"),
                reverse("organisations:import"), reverse("organisations:import_template")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_user_without_a_role_cannot_list_units(login, unit_a):
    from accounts.tests.factories import UserFactory

    response = login(UserFactory()).get(list_url())
    assert response.status_code == 403


# --- detail -------------------------------------------------------------------------------------------
def test_organiser_sees_the_unit_and_its_coordinators(login, organiser, unit_a, coordinator_a):
    response = login(organiser).get(detail_url(unit_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "市南区科协" in html and coordinator_a.username in html
    assert reverse("organisations:deactivate", args=[unit_a.pk]) in html


def test_coordinator_sees_their_unit_without_the_coordinator_list(login, coordinator_a, unit_a):
    response = login(coordinator_a).get(detail_url(unit_a))
    assert response.status_code == 200
    assert response.context["coordinators"] is None
    assert reverse("organisations:deactivate", args=[unit_a.pk]) not in response.content.decode()


def test_coordinator_gets_404_for_another_units_page_and_the_denial_is_audited(login, coordinator_a, unit_b):
    response = login(coordinator_a).get(detail_url(unit_b))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="permissions.denied", actor=coordinator_a).exists()


def test_a_missing_unit_is_404_too(login, organiser):
    assert login(organiser).get(reverse("organisations:detail", args=[999999])).status_code == 404


# --- create and edit ------------------------------------------------------------------------------------
def test_organiser_creates_a_unit_through_the_form(login, organiser, qingdao):
    laoshan = District.objects.get(code="laoshan")
    response = login(organiser).post(reverse("organisations:create"), {
        "name": "崂山区科技局", "unit_type": UnitType.DISTRICT_BUREAU, "district": laoshan.pk,
        "contact_person": "刘老师", "phone": "0532-88996677", "email": "", "is_active": "on"})
    unit = Unit.objects.get(name="崂山区科技局")
    assert response.status_code == 302 and response.url == detail_url(unit)
    assert AuditEntry.objects.filter(action="organisations.unit.created", object_id=str(unit.pk)).exists()


def test_create_form_shows_chinese_errors_and_writes_nothing(login, organiser, qingdao):
    before = Unit.objects.count()
    response = login(organiser).post(reverse("organisations:create"), {
        "name": "某区科协", "unit_type": UnitType.DISTRICT_ASSOCIATION, "district": "", "phone": "123"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "必须填写所属区市" in html
    assert "0532-85916831" in html  # the phone hint
    assert Unit.objects.count() == before


def test_coordinator_cannot_reach_create_or_import(login, coordinator_a):
    client = login(coordinator_a)
    before = Unit.objects.count()
    assert client.get(reverse("organisations:create")).status_code == 403
    assert client.post(reverse("organisations:create"), {"name": "x", "unit_type": "society"}).status_code == 403
    assert client.get(reverse("organisations:import")).status_code == 403
    assert client.get(reverse("organisations:import_template")).status_code == 403
    assert Unit.objects.count() == before


def test_organiser_edits_every_field(login, organiser, unit_a):
    response = login(organiser).post(edit_url(unit_a), {
        "name": "市南区科学技术协会", "unit_type": UnitType.DISTRICT_ASSOCIATION, "district": unit_a.district_id,
        "contact_person": "王馨", "phone": "85916831", "email": "x@example.com"})
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.name == "市南区科学技术协会"
    assert unit_a.is_active is False  # the checkbox was not sent
    assert AuditEntry.objects.get(action="organisations.unit.updated").changes["name"][1] == "市南区科学技术协会"


def test_coordinator_edits_only_the_contact_fields_of_their_unit(login, coordinator_a, unit_a):
    client = login(coordinator_a)
    assert list(client.get(edit_url(unit_a)).context["form"].fields) == ["contact_person", "phone", "email"]
    response = client.post(edit_url(unit_a), {
        "contact_person": "王馨", "phone": "0532-85916831", "email": "wx@example.com",
        "name": "改名了", "is_active": ""})  # extra fields are ignored
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.contact_person == "王馨"
    assert unit_a.name == "市南区科协" and unit_a.is_active


def test_coordinator_gets_404_for_another_units_edit_page_and_nothing_changes(login, coordinator_a, unit_b):
    client = login(coordinator_a)
    assert client.get(edit_url(unit_b)).status_code == 404
    response = client.post(edit_url(unit_b), {"contact_person": "冒名", "phone": "", "email": ""})
    assert response.status_code == 404
    unit_b.refresh_from_db()
    assert unit_b.contact_person == "张老师"
    assert not AuditEntry.objects.filter(action="organisations.unit.updated").exists()


def test_bad_phone_on_edit_is_refused(login, coordinator_a, unit_a):
    response = login(coordinator_a).post(edit_url(unit_a), {"contact_person": "王馨", "phone": "12", "email": ""})
    assert response.status_code == 200
    unit_a.refresh_from_db()
    assert unit_a.contact_person == "张老师"


# --- deactivate / reactivate ------------------------------------------------------------------------------
def test_deactivation_asks_for_confirmation_then_deactivates(login, organiser, unit_a):
    client = login(organiser)
    url = reverse("organisations:deactivate", args=[unit_a.pk])
    response = client.get(url)
    assert response.status_code == 200 and "停用" in response.content.decode()
    unit_a.refresh_from_db()
    assert unit_a.is_active
    assert client.post(url).status_code == 302
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    assert client.post(reverse("organisations:reactivate", args=[unit_a.pk])).status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_coordinator_cannot_deactivate_their_own_unit(login, coordinator_a, unit_a):
    response = login(coordinator_a).post(reverse("organisations:deactivate", args=[unit_a.pk]))
    assert response.status_code == 403
    unit_a.refresh_from_db()
    assert unit_a.is_active


def test_coordinator_cannot_deactivate_another_unit(login, coordinator_a, unit_b):
    response = login(coordinator_a).post(reverse("organisations:deactivate", args=[unit_b.pk]))
    assert response.status_code == 404
    unit_b.refresh_from_db()
    assert unit_b.is_active


def test_pages_are_in_chinese_by_default_and_in_english_on_request(login, organiser, unit_a):
    client = login(organiser)
    assert "单位" in client.get(list_url()).content.decode()
    client.cookies["sciday_language"] = "en"
    html = client.get(list_url()).content.decode()
    assert "Import from Excel" in html
