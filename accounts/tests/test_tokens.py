"""The "My API tokens" page: make a token (secret shown once), list and revoke one's own."""

import pytest

from accounts.models import ApiToken
from accounts.services import api_token_authenticate, api_token_create
from audit.models import AuditEntry

TOKENS_URL = "/accounts/me/tokens/"


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(TOKENS_URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_creating_a_token_shows_the_secret_once(login, coordinator_a):
    client = login(coordinator_a)

    response = client.post(TOKENS_URL, {"name": "数据对接"})

    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("sd_")
    assert key in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert api_token_authenticate(key) == coordinator_a
    listing = client.get(TOKENS_URL).content.decode()
    assert "数据对接" in listing
    assert key not in listing
    assert ApiToken.objects.get().key_prefix in listing


def test_a_blank_name_is_refused(login, coordinator_a):
    response = login(coordinator_a).post(TOKENS_URL, {"name": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_ones_own_tokens(login, coordinator_a, coordinator_b):
    api_token_create(user=coordinator_b, name="别人的令牌")
    api_token_create(user=coordinator_a, name="我的令牌")

    content = login(coordinator_a).get(TOKENS_URL).content.decode()

    assert "我的令牌" in content
    assert "别人的令牌" not in content


def test_revoking_asks_first_then_revokes(login, coordinator_a):
    token, key = api_token_create(user=coordinator_a, name="旧系统")
    client = login(coordinator_a)
    url = f"/accounts/me/tokens/{token.pk}/revoke/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "core/confirm.html" in [t.name for t in confirm.templates]
    token.refresh_from_db()
    assert token.revoked_at is None

    response = client.post(url)

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(key) is None
    assert AuditEntry.objects.filter(action="accounts.api_token.revoked", actor=coordinator_a).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_can_revoke_another_users_token(login, coordinator_a, coordinator_b, method):
    token, key = api_token_create(user=coordinator_b, name="别人的令牌")

    response = getattr(login(coordinator_a), method)(f"/accounts/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_authenticate(key) == coordinator_b


# --- a new password revokes every token (issue #11 item 7) -------------------------------------

def test_changing_ones_password_revokes_every_token(client, login, coordinator_a):
    from accounts.tests.factories import PASSWORD

    _t1, key1 = api_token_create(user=coordinator_a, name="系统一")
    _t2, key2 = api_token_create(user=coordinator_a, name="系统二")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key1}").status_code == 200

    response = login(coordinator_a).post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Spring-Tide-2022", "new_password2": "Spring-Tide-2022"})

    assert response.status_code == 302
    assert api_token_authenticate(key1) is None and api_token_authenticate(key2) is None
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key1}").status_code == 401
    entry = AuditEntry.objects.get(action="accounts.api_token.revoked_all", object_id=str(coordinator_a.pk))
    assert entry.changes == {"revoked": 2, "reason": "password_changed"} and entry.actor == coordinator_a


def test_an_organisers_password_reset_revokes_every_token(login, organiser, coordinator_a):
    _token, key = api_token_create(user=coordinator_a, name="系统一")

    response = login(organiser).post(f"/accounts/manage/{coordinator_a.pk}/reset-password/")

    assert response.status_code == 200
    assert api_token_authenticate(key) is None
    entry = AuditEntry.objects.get(action="accounts.api_token.revoked_all", object_id=str(coordinator_a.pk))
    assert entry.changes == {"revoked": 1, "reason": "password_reset"} and entry.actor == organiser


def test_a_token_made_after_the_new_password_works(login, coordinator_a):
    from accounts.services import password_change

    api_token_create(user=coordinator_a, name="旧")
    password_change(user=coordinator_a, new_password="Spring-Tide-2022")
    _token, key = api_token_create(user=coordinator_a, name="新")

    assert api_token_authenticate(key) == coordinator_a
