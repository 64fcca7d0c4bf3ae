"""Behind nginx (SCIDAY_ACCEL_REDIRECT): sciday checks the permission, nginx sends the bytes."""

from urllib.parse import quote

import pytest

from accounts.tests.factories import UserFactory

from .test_views import _get, private_photo  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def accel(settings):
    settings.SCIDAY_ACCEL_REDIRECT = True
    settings.SCIDAY_ACCEL_REDIRECT_PREFIX = "/_protected/"


def test_a_permitted_file_is_handed_to_nginx_without_its_bytes(client, accel, private_photo):  # noqa: F811
    client.force_login(private_photo.owner)

    response, body = _get(client, private_photo)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected/" + quote(private_photo.file.name)
    assert body == b""  # no byte of the file came through Python
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert response["Cache-Control"].startswith("private")
    assert response["X-Content-Type-Options"] == "nosniff"
    thumb, _ = _get(client, private_photo, thumb=True)
    assert thumb["X-Accel-Redirect"] == "/_protected/" + quote(private_photo.thumbnail.name)


def test_a_stranger_gets_404_and_no_redirect(client, accel, private_photo):  # noqa: F811
    client.force_login(UserFactory(username="stranger-x"))

    response, _ = _get(client, private_photo)

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_off_by_default_the_file_is_streamed(client, private_photo):  # noqa: F811
    client.force_login(private_photo.owner)
    response, body = _get(client, private_photo)
    assert "X-Accel-Redirect" not in response and body
