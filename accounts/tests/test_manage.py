"""Organisers manage accounts: grants and denials, one-time passwords, deactivation ends sessions."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory, coordinator_of
from audit.models import AuditEntry
from organisations.models import OfficeMembership, UnitMembership
from organisations.tests.factories import UnitFactory

LIST_URL = "/accounts/manage/"
CREATE_URL = "/accounts/manage/new/"


def manage_urls(pk):
    return [
        f"/accounts/manage/{pk}/",
        f"/accounts/manage/{pk}/deactivate/",
        f"/accounts/manage/{pk}/reactivate/",
        f"/accounts/manage/{pk}/reset-password/",
    ]


def snapshot(user):
    user.refresh_from_db()
    return (user.is_active, user.password, user.full_name, user.must_change_password,
            sorted(user.unit_memberships.values_list("unit_id", flat=True)),
            sorted(user.office_memberships.values_list("office_id", flat=True)))


# --- denials ----------------------------------------------------------------------------------

def test_a_coordinator_gets_403_on_every_manage_page_and_nothing_changes(login, coordinator_a, coordinator_b):
    client = login(coordinator_a)
    before = snapshot(coordinator_b)
    users_before = User.objects.count()

    for url in [LIST_URL, CREATE_URL, *manage_urls(coordinator_b.pk)]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"username": "x-new", "full_name": "X", "is_expert": "on"}).status_code == 403, url

    assert snapshot(coordinator_b) == before
    assert User.objects.count() == users_before
    assert AuditEntry.objects.filter(action="permissions.denied", actor=coordinator_a).count() == 12


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_office_staff_cannot_touch_an_administrators_account(login, organiser, admin_user):
    client = login(organiser)
    before = snapshot(admin_user)

    for url in manage_urls(admin_user.pk):
        assert client.post(url, {"full_name": "改名"}).status_code == 403, url

    assert snapshot(admin_user) == before
    assert "编辑" not in client.get(f"{LIST_URL}?role=admin").content.decode()


def test_an_administrator_can_edit_an_administrator(login, admin_user):
    other = UserFactory(username="admin-2", is_superuser=True)

    response = login(admin_user).post(f"/accounts/manage/{other.pk}/", {"full_name": "新名字"})

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.full_name == "新名字"


def test_an_organiser_cannot_deactivate_themselves(login, organiser):
    client = login(organiser)

    response = client.post(f"/accounts/manage/{organiser.pk}/deactivate/", follow=True)

    organiser.refresh_from_db()
    assert organiser.is_active
    assert "不能停用自己的账号" in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.user.deactivated").exists()


def test_an_organiser_cannot_take_away_their_own_last_office(login, organiser):
    offices = list(organiser.office_memberships.values_list("office_id", flat=True))
    client = login(organiser)

    # Keeping only the expert role would end their organiser rights.
    response = client.post(f"/accounts/manage/{organiser.pk}/", {"full_name": "自己", "is_expert": "on"})

    assert response.status_code == 200
    assert "不能移除自己所在的最后一个部门" in response.content.decode()
    assert list(organiser.office_memberships.values_list("office_id", flat=True)) == offices
    assert not AuditEntry.objects.filter(action="accounts.user.permissions_changed").exists()


# --- list -------------------------------------------------------------------------------------

def test_the_list_filters_by_role_status_search_and_unit(login, organiser, coordinator_a, coordinator_b, unit_a):
    expert = UserFactory(username="expert-1", full_name="评审专家甲", is_expert=True)
    gone = UserFactory(username="gone-1", is_active=False)
    client = login(organiser)

    def usernames(query):
        return [u.username for u in client.get(f"{LIST_URL}?{query}").context["page_obj"]]

    assert usernames("role=coordinator") == ["coord-a", "coord-b"]
    assert usernames("role=office_staff") == ["organiser-t"]
    assert usernames("role=expert") == [expert.username]
    assert usernames("active=0") == [gone.username]
    assert usernames("q=专家甲") == [expert.username]
    assert usernames("q=COORD-B") == ["coord-b"]
    assert usernames(f"unit={unit_a.pk}") == ["coord-a"]


def test_the_list_runs_a_constant_number_of_queries(login, organiser, qingdao, django_assert_max_num_queries):
    client = login(organiser)
    counts = []
    for extra in (3, 20):
        for _n in range(extra):
            user = coordinator_of(UnitFactory())
            OfficeMembership.objects.create(user=user, office=organiser.office_memberships.first().office)
        with django_assert_max_num_queries(25) as captured:
            assert client.get(LIST_URL).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


# --- create -----------------------------------------------------------------------------------

def test_creating_a_coordinator_shows_a_one_time_password(login, organiser, unit_a, unit_b):
    client = login(organiser)

    response = client.post(CREATE_URL, {"username": "li-lei", "full_name": "李雷", "email": "li@example.com",
                                        "phone": "13800000000", "units": [unit_a.pk, unit_b.pk]})

    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert "首次登录" in response.content.decode()
    user = User.objects.get(username="li-lei")
    assert user.must_change_password
    assert user.check_password(password)
    assert set(user.unit_memberships.values_list("unit_id", flat=True)) == {unit_a.pk, unit_b.pk}
    assert AuditEntry.objects.filter(action="accounts.user.created", actor=organiser, object_id=str(user.pk)).exists()


def test_creating_office_staff_and_an_expert(login, organiser, offices):
    client = login(organiser)

    client.post(CREATE_URL, {"username": "staff-2", "full_name": "王五", "offices": [offices["qstb-talent"].pk]})
    client.post(CREATE_URL, {"username": "expert-2", "full_name": "赵六", "is_expert": "on"})

    assert OfficeMembership.objects.filter(user__username="staff-2", office=offices["qstb-talent"]).exists()
    assert User.objects.get(username="expert-2").is_expert


def test_an_account_needs_a_role_and_a_free_username(login, organiser, coordinator_a):
    client = login(organiser)

    no_role = client.post(CREATE_URL, {"username": "nobody", "full_name": "无角色"})
    taken = client.post(CREATE_URL, {"username": "COORD-A", "full_name": "重名", "is_expert": "on"})

    assert no_role.status_code == 200 and no_role.context["form"].non_field_errors()
    assert taken.status_code == 200 and "username" in taken.context["form"].errors
    assert not User.objects.filter(username__in=["nobody", "COORD-A"]).exists()


def test_the_initial_password_must_be_changed_at_first_login(login, organiser, unit_a):
    password = login(organiser).post(CREATE_URL, {"username": "han-mei", "full_name": "韩梅梅",
                                                  "units": [unit_a.pk]}).context["password"]
    newcomer = Client()

    response = newcomer.post("/accounts/login/", {"username": "han-mei", "password": password})

    assert response.status_code == 302
    assert response.url == "/accounts/password/"
    for url in ("/workbench/", "/accounts/me/", "/accounts/me/tokens/"):
        page = newcomer.get(url)
        assert page.status_code == 302 and page.url == "/accounts/password/", url
    assert newcomer.get("/api/v1/me").status_code == 403

    changed = newcomer.post("/accounts/password/", {"old_password": password, "new_password1": "Fresh-Start-2022",
                                                    "new_password2": "Fresh-Start-2022"})

    assert changed.status_code == 302
    assert newcomer.get("/accounts/me/").status_code == 200
    assert not User.objects.get(username="han-mei").must_change_password


# --- edit -------------------------------------------------------------------------------------

def test_editing_changes_details_and_roles(login, organiser, coordinator_a, unit_b, offices):
    client = login(organiser)

    response = client.post(f"/accounts/manage/{coordinator_a.pk}/", {
        "username": "ignored", "full_name": "新名字", "email": "new@example.com", "phone": "",
        "units": [unit_b.pk], "offices": [offices["qstb-talent"].pk], "is_expert": "on"})

    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.username == "coord-a"
    assert coordinator_a.full_name == "新名字"
    assert coordinator_a.is_expert
    assert list(UnitMembership.objects.filter(user=coordinator_a).values_list("unit_id", flat=True)) == [unit_b.pk]
    assert AuditEntry.objects.filter(action="accounts.user.permissions_changed", object_id=str(coordinator_a.pk)).exists()


def test_the_edit_page_shows_the_current_roles(login, organiser, coordinator_a, unit_a):
    response = login(organiser).get(f"/accounts/manage/{coordinator_a.pk}/")

    assert response.status_code == 200
    assert response.context["form"].initial["units"] == [unit_a.pk]


# --- deactivate, reactivate, reset ------------------------------------------------------------

def test_deactivation_asks_first(login, organiser, coordinator_a):
    response = login(organiser).get(f"/accounts/manage/{coordinator_a.pk}/deactivate/")

    assert response.status_code == 200
    assert "core/confirm.html" in [t.name for t in response.templates]
    coordinator_a.refresh_from_db()
    assert coordinator_a.is_active


def test_deactivation_ends_an_existing_session(organiser, coordinator_a):
    client_a, client_b = Client(), Client()
    assert client_a.post("/accounts/login/", {"username": "coord-a", "password": PASSWORD}).status_code == 302
    assert client_a.get("/accounts/me/").status_code == 200
    client_b.force_login(organiser)

    response = client_b.post(f"/accounts/manage/{coordinator_a.pk}/deactivate/")

    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert not coordinator_a.is_active
    after = client_a.get("/accounts/me/")
    assert after.status_code == 302 and after.url.startswith("/accounts/login/")
    assert client_a.post("/accounts/login/", {"username": "coord-a", "password": PASSWORD}).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.user.deactivated", actor=organiser).count() == 1


def test_reactivation(login, organiser, coordinator_a):
    coordinator_a.is_active = False
    coordinator_a.save(update_fields=["is_active"])

    response = login(organiser).post(f"/accounts/manage/{coordinator_a.pk}/reactivate/")

    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.is_active
    assert AuditEntry.objects.filter(action="accounts.user.reactivated", actor=organiser).count() == 1


def test_a_password_reset_shows_a_new_one_time_password(login, organiser, coordinator_a):
    client = login(organiser)
    assert client.get(f"/accounts/manage/{coordinator_a.pk}/reset-password/").status_code == 200
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(PASSWORD)

    response = client.post(f"/accounts/manage/{coordinator_a.pk}/reset-password/")

    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(password)
    assert not coordinator_a.check_password(PASSWORD)
    assert coordinator_a.must_change_password


@pytest.mark.parametrize("path", ["", "deactivate/", "reactivate/", "reset-password/"])
def test_an_unknown_account_is_404(login, organiser, path):
    assert login(organiser).get(f"/accounts/manage/999999/{path}").status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_in_both_languages(login, organiser, coordinator_a, language):
    from django.conf import settings

    client = login(organiser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [LIST_URL, f"{LIST_URL}?role=coordinator&active=1&q=coord", CREATE_URL, "/accounts/me/tokens/",
             *manage_urls(coordinator_a.pk)]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language

    english = client.get(LIST_URL).content.decode()
    assert ("New account" in english) == (language == "en")
    assert ("新建账号" in english) == (language == "zh-hans")
