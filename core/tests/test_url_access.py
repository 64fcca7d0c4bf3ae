"""Every page is either public on purpose (core.decorators.public_view) or sends anonymous
visitors to the login page: walking every URL pattern, nothing slips between the two."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Served by code with its own tests of access: Django's admin, the language switch, the API.
SKIP_PREFIXES = ("admin/", "i18n/", "api/")
DUMMY = {"int": "999999", "slug": "no-such-thing", "uuid": str(uuid.uuid4()), "str": "x", "path": "x"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _concrete(route: str) -> str:
    for converter, value in DUMMY.items():
        while f"<{converter}:" in route:
            start = route.index(f"<{converter}:")
            route = route[:start] + value + route[route.index(">", start) + 1:]
    return "/" + route.replace("^", "").replace("$", "")


ROUTES = sorted(
    (route, pattern) for route, pattern in _walk(get_resolver().url_patterns)
    if not route.startswith(SKIP_PREFIXES) and "(?P<" not in route
)


def _is_public(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    return bool(getattr(callback, "sciday_public", False) or getattr(view_class, "sciday_public", False))


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_visitors_are_sent_to_login_unless_the_page_is_public(client, qingdao, route, pattern):
    path = _concrete(route)
    response = client.get(path)
    if _is_public(pattern.callback):
        assert response.status_code < 500, path
    else:
        assert response.status_code == 302, f"{path} answered {response.status_code} to an anonymous visitor"
        assert response.url.startswith("/accounts/login/"), f"{path} redirected to {response.url}"
