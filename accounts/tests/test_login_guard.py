"""Password spraying: failures from one address across usernames are limited (web, admin, API),
and the owner of an account that gets locked is told."""

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import AuditEntry
from notifications.models import Notification

LOGIN_URL = "/accounts/login/"
ATTACKER = "198.51.100.7"


@pytest.fixture
def spray_settings(settings):
    settings.SCIDAY_ADDRESS_FAILURE_LIMIT = 20
    settings.SCIDAY_ADDRESS_FAILURE_WINDOW_MINUTES = 10
    settings.SCIDAY_ADDRESS_LOCKOUT_MINUTES = 30
    return settings


def _spray(client, count, *, path=LOGIN_URL, prefix="victim"):
    for i in range(count):
        client.post(path, {"username": f"{prefix}{i % 10}", "password": "Wrong-Password-1"})


def test_twenty_failures_over_many_usernames_block_the_address(db, spray_settings):
    for i in range(10):
        UserFactory(username=f"victim{i}")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _spray(attacker, 20)  # two tries per username: no account is locked by axes

    # Even a correct password is refused from that address now, with the Chinese message.
    response = attacker.post(LOGIN_URL, {"username": "victim3", "password": PASSWORD})

    assert response.status_code == 429
    assert "30 分钟" in response.content.decode() and "网络地址" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    blocked = AuditEntry.objects.get(action="accounts.login.address_blocked")
    assert blocked.ip == ATTACKER and blocked.changes["failures"] == 20
    # The same person from another address is not affected.
    assert Client(REMOTE_ADDR="10.1.2.3").post(LOGIN_URL, {"username": "victim3",
                                                           "password": PASSWORD}).status_code == 302


def test_nineteen_failures_do_not_block(db, spray_settings):
    UserFactory(username="victim3")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _spray(attacker, 19)

    assert attacker.post(LOGIN_URL, {"username": "victim3", "password": PASSWORD}).status_code == 302
    assert not AuditEntry.objects.filter(action="accounts.login.address_blocked").exists()


def test_the_block_ends_after_its_time(db, spray_settings, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    UserFactory(username="victim3")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _spray(attacker, 20)
    assert attacker.post(LOGIN_URL, {"username": "victim3", "password": PASSWORD}).status_code == 429

    # 31 minutes later (these timers run on real time, like the audit log's).
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert attacker.post(LOGIN_URL, {"username": "victim3", "password": PASSWORD}).status_code == 302


def test_the_token_endpoint_and_the_admin_login_count_and_are_refused(db, spray_settings):
    admin = UserFactory(username="admin-s", is_superuser=True, is_staff=True)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for i in range(10):
        attacker.post("/api/v1/auth/token", {"username": f"victim{i}", "password": "x", "name": "t"},
                      content_type="application/json")
    _spray(attacker, 10, path="/admin/login/")

    api = attacker.post("/api/v1/auth/token", {"username": "admin-s", "password": PASSWORD, "name": "t"},
                        content_type="application/json")
    assert api.status_code == 429
    assert "网络地址" in api.json()["detail"]
    admin_login = attacker.post("/admin/login/", {"username": "admin-s", "password": PASSWORD})
    assert admin_login.status_code == 429
    assert not admin.api_tokens.exists()


def test_the_owner_is_told_once_when_their_account_is_locked(client, coordinator_a):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _attempt in range(8):
        attacker.post(LOGIN_URL, {"username": "coord-a", "password": "Wrong-Password-1"})

    notices = Notification.objects.filter(recipient=coordinator_a, kind="accounts.login_locked")
    assert notices.count() == 1
    assert ATTACKER in notices.get().body and "锁定 30 分钟" in notices.get().body
    assert AuditEntry.objects.filter(action="accounts.user.locked_out", object_id=str(coordinator_a.pk),
                                     ip=ATTACKER).exists()
    # The owner sees it under the bell.
    client.force_login(coordinator_a)
    assert "登录失败" in client.get("/notifications/").content.decode()


def test_the_owners_token_login_does_not_unlock_the_attackers_address(db, coordinator_a):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _attempt in range(5):
        attacker.post("/api/v1/auth/token", {"username": "coord-a", "password": "x", "name": "t"},
                      content_type="application/json")

    owner = Client(REMOTE_ADDR="10.1.2.3").post("/api/v1/auth/token", {"username": "coord-a", "password": PASSWORD,
                                                                       "name": "t"}, content_type="application/json")
    assert owner.status_code == 201

    again = attacker.post("/api/v1/auth/token", {"username": "coord-a", "password": PASSWORD, "name": "t"},
                          content_type="application/json")
    assert again.status_code == 429
