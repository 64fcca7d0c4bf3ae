"""A path under /api/ that no route matches answers in JSON; the site keeps its 404 page."""

import pytest


@pytest.mark.django_db
def test_the_api_answers_json_for_an_unknown_path(client):
    for path in ("/api/v1/units/abc", "/api/v1/no-such-thing/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not Found"}


@pytest.mark.django_db
def test_the_site_keeps_its_own_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
