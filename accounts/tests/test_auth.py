"""The login, password and session rules of the 等保 2.0 bar, through the real web paths."""

import time

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.factories import PASSWORD
from audit.models import AuditEntry

LOGIN_URL = "/accounts/login/"
CHANGE_URL = "/accounts/password/"


# --- password policy --------------------------------------------------------------------------

@pytest.mark.parametrize(("new_password", "chinese"), [
    ("Ab1!xyz", "至少需要 8 个字符"),  # fewer than 8 characters
    ("qwzxmnbvlkpo", "3 类字符"),  # one kind of character only
    ("Password1!", "太常见"),  # on Django's list of common passwords
    ("Xcoord-a-2022", "不能包含用户名"),  # contains the username
])
def test_the_password_policy_refuses_weak_passwords_in_chinese(login, coordinator_a, new_password, chinese):
    client = login(coordinator_a)

    response = client.post(CHANGE_URL, {"old_password": PASSWORD, "new_password1": new_password,
                                        "new_password2": new_password})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert chinese in errors
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(PASSWORD)


def test_a_good_password_is_accepted(login, coordinator_a):
    client = login(coordinator_a)

    response = client.post(CHANGE_URL, {"old_password": PASSWORD, "new_password1": "Spring-Tide-2022",
                                        "new_password2": "Spring-Tide-2022"})

    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password("Spring-Tide-2022")
    assert coordinator_a.password_changed_at is not None
    assert AuditEntry.objects.filter(action="accounts.user.password_changed", actor=coordinator_a).count() == 1


def test_the_policy_is_configured_as_the_standard_asks():
    assert settings.SCIDAY_PASSWORD_MIN_LENGTH == 8
    assert settings.SCIDAY_PASSWORD_MIN_CLASSES == 3


# --- lockout ----------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account_for_30_minutes(client, coordinator_a):
    for _attempt in range(5):
        client.post(LOGIN_URL, {"username": "coord-a", "password": "Wrong-Password-1"})

    assert AuditEntry.objects.filter(action="accounts.user.login_failed", object_id=str(coordinator_a.pk)).count() == 5
    assert AuditEntry.objects.filter(action="accounts.user.locked_out", object_id=str(coordinator_a.pk)).exists()

    response = client.post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 429
    content = response.content.decode()
    assert "锁定 30 分钟" in content
    assert "_auth_user_id" not in client.session
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60


def test_the_lock_holds_for_another_browser_at_the_same_address(client, coordinator_a):
    for _attempt in range(5):
        client.post(LOGIN_URL, {"username": "coord-a", "password": "Wrong-Password-1"})

    response = Client().post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 429


def test_the_lock_binds_username_and_address_so_an_attacker_locks_only_themselves_out(client, coordinator_a):
    # An attacker hammers coord-a from one address...
    for _attempt in range(6):
        client.post(LOGIN_URL, {"username": "coord-a", "password": "Wrong-Password-1"}, REMOTE_ADDR="203.0.113.9")
    assert client.post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD},
                       REMOTE_ADDR="203.0.113.9").status_code == 429

    # ...and the owner, at the office, still logs in.
    response = Client(REMOTE_ADDR="10.9.8.7").post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 302
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_failures_do_not_lock(client, coordinator_a):
    for _attempt in range(4):
        client.post(LOGIN_URL, {"username": "coord-a", "password": "Wrong-Password-1"})

    response = client.post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user.logged_in", actor=coordinator_a).count() == 1


def test_the_admin_login_locks_too(client, admin_user):
    for _attempt in range(5):
        client.post("/admin/login/", {"username": "admin-t", "password": "Wrong-Password-1"})

    response = client.post("/admin/login/", {"username": "admin-t", "password": PASSWORD})

    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.user.locked_out", object_id=str(admin_user.pk)).exists()


def test_a_wrong_password_says_so_in_chinese(client, coordinator_a):
    response = client.post(LOGIN_URL, {"username": "coord-a", "password": "Wrong-Password-1"})

    assert response.status_code == 200
    assert "区分大小写" in response.content.decode()


# --- sessions ---------------------------------------------------------------------------------

def test_the_session_id_changes_at_login(client, coordinator_a):
    session = client.session
    session["before-login"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key

    response = client.post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not session.exists(before)


def test_an_idle_session_expires_after_30_minutes(login, coordinator_a, monkeypatch):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = login(coordinator_a)
    real = time.time()

    # The login saved the session: within the next minute it is not written again (no database write
    # per request or per poll)...
    monkeypatch.setattr(time, "time", lambda: real + 30)
    assert settings.SESSION_COOKIE_NAME not in client.get("/accounts/me/").cookies

    # ...and a request a minute later renews the 30 minutes: the timeout counts from the last request.
    monkeypatch.setattr(time, "time", lambda: real + 61)
    response = client.get("/accounts/me/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    monkeypatch.setattr(time, "time", lambda: real + 90)
    assert settings.SESSION_COOKIE_NAME not in client.get("/accounts/me/").cookies


def test_an_expired_session_is_anonymous(login, coordinator_a):
    client = login(coordinator_a)
    session = client.session
    session.set_expiry(-1)
    session.save()

    response = client.get("/accounts/me/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_logging_out_ends_the_session(client, coordinator_a):
    client.post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    client.post("/accounts/logout/")

    assert client.get("/accounts/me/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user.logged_out", actor=coordinator_a).count() == 1


# --- who may go where -------------------------------------------------------------------------

def test_office_staff_get_403_at_the_admin_and_an_administrator_200(login, bureau, admin_user):
    assert login(bureau).get("/admin/").status_code == 403
    assert login(admin_user).get("/admin/").status_code == 200


def test_anonymous_access_to_the_workbench_redirects_to_login(client, db):
    response = client.get("/workbench/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_deactivated_account_cannot_log_in(client, coordinator_a):
    coordinator_a.is_active = False
    coordinator_a.save(update_fields=["is_active"])

    response = client.post(LOGIN_URL, {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
