"""The client's address believes X-Forwarded-For only as far as SCIDAY_TRUSTED_PROXIES says."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import RequestFactory

from core.middleware import RequestContextMiddleware, client_ip, current_request
from core.throttle import throttle_allow

ROOT = Path(__file__).resolve().parents[2]
NGINX = "10.0.0.2"  # REMOTE_ADDR of every request that came through the proxy


def request(forwarded: str | None = None, remote: str = NGINX):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_forged_header_is_ignored_by_default(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 0
    assert client_ip(request("198.51.100.7")) == NGINX
    assert client_ip(request("198.51.100.7, 203.0.113.5")) == NGINX


def test_without_the_setting_the_header_is_ignored(settings):
    del settings.SCIDAY_TRUSTED_PROXIES
    assert client_ip(request("198.51.100.7")) == NGINX


def test_behind_one_proxy_the_address_it_wrote_is_the_client(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 1
    assert client_ip(request("203.0.113.5")) == "203.0.113.5"


def test_behind_one_proxy_a_chain_the_client_began_yields_the_right_most_address(settings):
    """The client sent "X-Forwarded-For: forged"; nginx appended the real address."""
    settings.SCIDAY_TRUSTED_PROXIES = 1
    assert client_ip(request("198.51.100.7, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request("1.1.1.1,2.2.2.2 ,  203.0.113.5")) == "203.0.113.5"


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 2
    assert client_ip(request("198.51.100.7, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"
    # The outer proxy was bypassed: the one entry was still written by the trusted nginx.
    assert client_ip(request("203.0.113.5")) == "203.0.113.5"


@pytest.mark.parametrize("forwarded", [None, "", " , ", "unknown", "203.0.113.5:4431", "<script>"])
def test_a_missing_or_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.SCIDAY_TRUSTED_PROXIES = 1
    assert client_ip(request(forwarded)) == NGINX


def test_ipv6_addresses_are_kept_in_their_normal_form(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 1
    assert client_ip(request("2001:DB8:0:0::1")) == "2001:db8::1"


def test_no_address_at_all_is_none(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 0
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None


def test_the_audit_context_of_a_request_carries_the_same_address(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 1
    seen = []
    middleware = RequestContextMiddleware(lambda req: seen.append(current_request.get()) or "response")
    middleware(request("198.51.100.7, 203.0.113.5"))
    assert seen[0].ip == "203.0.113.5"


@pytest.mark.django_db
def test_forging_the_header_does_not_dodge_a_throttle(settings):
    settings.SCIDAY_TRUSTED_PROXIES = 1
    scope = f"test.{uuid.uuid4().hex}"
    allowed = [throttle_allow(request(f"198.51.100.{i}, 203.0.113.5"), scope=scope, limit=2, window_seconds=60)
               for i in range(4)]
    assert allowed == [True, True, False, False]
    assert throttle_allow(request("203.0.113.6"), scope=scope, limit=2, window_seconds=60)


@pytest.mark.parametrize(("environment", "expected"), [({}, "0"), ({"SCIDAY_TRUSTED_PROXIES": "1"}, "1")])
def test_the_setting_comes_from_the_environment_and_defaults_to_zero(environment, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"SCIDAY_TRUSTED_PROXIES", "DJANGO_SETTINGS_MODULE"}}
    env.update(environment, DEBUG="1", DJANGO_SETTINGS_MODULE="sciday.settings")
    code = "import django;django.setup();from django.conf import settings;print(settings.SCIDAY_TRUSTED_PROXIES)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
