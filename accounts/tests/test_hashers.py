"""Passwords are hashed with argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), and hashes made with
Django's heavier default parameters are upgraded at the owner's next login (issue #18 item 2)."""

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from accounts.tests.factories import PASSWORD
from sciday import settings as production

NEW_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def test_production_hashes_with_owasp_minimum_argon2id(settings, coordinator_a):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS

    coordinator_a.set_password("Spring-Tide-2022")

    assert coordinator_a.password.startswith(NEW_PREFIX)
    assert coordinator_a.check_password("Spring-Tide-2022")


def test_an_old_hash_is_upgraded_at_the_next_login(settings, client, coordinator_a):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    old = make_password(PASSWORD, hasher=Argon2PasswordHasher())  # Django's default: m=100 MiB, p=8
    assert old.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    type(coordinator_a).objects.filter(pk=coordinator_a.pk).update(password=old)

    response = client.post("/accounts/login/", {"username": "coord-a", "password": PASSWORD})

    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.password.startswith(NEW_PREFIX)
    assert coordinator_a.check_password(PASSWORD)


def test_a_wrong_password_does_not_rehash(settings, client, coordinator_a):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    old = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    type(coordinator_a).objects.filter(pk=coordinator_a.pk).update(password=old)

    client.post("/accounts/login/", {"username": "coord-a", "password": "Wrong-Password-1"})

    coordinator_a.refresh_from_db()
    assert coordinator_a.password == old
