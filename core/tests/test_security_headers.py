"""Security headers under the production settings (the test settings are those, DEBUG off): every
HTML page carries the Content-Security-Policy and the Permissions-Policy, walking every URL pattern
as a visitor and as an organiser."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from core.decorators import permissions_policy
from core.tests.test_url_access import ROUTES, _concrete

pytestmark = pytest.mark.django_db

EXTRA = ["/admin/", "/admin/login/", "/api/v1/docs", "/no-such-page/"]


def _policy(header: str) -> dict[str, str]:
    return {part.split(None, 1)[0]: part.split(None, 1)[1] if " " in part.strip() else ""
            for part in (p.strip() for p in header.split(";")) if part}


def _check(response, path):
    if "text/html" not in response.get("Content-Type", ""):
        return False
    assert "Content-Security-Policy" in response, f"{path} ({response.status_code}) has no Content-Security-Policy"
    policy = _policy(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'", path
    assert "unsafe-inline" not in response["Content-Security-Policy"], path
    assert "unsafe-eval" not in response["Content-Security-Policy"], path
    assert policy["script-src"] == "'self'", path
    assert policy["frame-ancestors"] in ("'none'", "'self'"), path
    assert "camera=()" in response["Permissions-Policy"], path
    return True


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_every_html_page_carries_the_csp_and_the_permissions_policy(client, qingdao, organiser, who):
    assert not settings.DEBUG
    if who == "organiser":
        client.force_login(organiser)
    html = 0
    for route, _pattern in ROUTES:
        path = _concrete(route)
        response = client.get(path, follow=True)
        html += _check(response, path)
    for path in EXTRA:
        html += _check(client.get(path, follow=True), path)
    assert html > 20  # the walk did reach pages, not only redirects to files


def test_the_survey_preview_may_be_framed_by_sciday_and_nobody_else(client, organiser):
    from surveys.tests.factories import SurveyFactory

    survey = SurveyFactory()
    client.force_login(organiser)
    frame = client.get(reverse("surveys:preview_frame", kwargs={"pk": survey.pk}))
    assert _policy(frame["Content-Security-Policy"])["frame-ancestors"] == "'self'"
    page = client.get(reverse("surveys:preview", kwargs={"pk": survey.pk}))
    assert _policy(page["Content-Security-Policy"])["frame-ancestors"] == "'none'"


def test_the_public_home_page_policy(client, qingdao):
    response = client.get(reverse("public:home"))
    policy = _policy(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "'self' data:"
    assert policy["style-src"] == "'self'"
    assert response["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")


def test_a_view_may_opt_in_to_a_feature(rf):
    from django.http import HttpResponse

    from core.middleware import PermissionsPolicyMiddleware

    view = permissions_policy(camera="(self)")(lambda request: HttpResponse("ok"))
    with override_settings(SCIDAY_PERMISSIONS_POLICY={"camera": "()", "microphone": "()"}):
        response = PermissionsPolicyMiddleware(view)(rf.get("/"))
    assert response["Permissions-Policy"] == "camera=(self), microphone=()"
