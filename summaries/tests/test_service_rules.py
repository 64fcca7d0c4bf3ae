"""#11 item 3: the summaries service holds the page's rules, so the API cannot pass them by."""

import pytest

from summaries.models import Highlight, Summary
from summaries.services import MAX_HIGHLIGHTS

pytestmark = pytest.mark.django_db


def test_more_highlights_than_the_page_offers_are_refused_through_the_api(at, login, qingdao, unit_a, coordinator_a):
    at("2022-06-10T10:00")
    body = {"work_done": "开展座谈会", "highlights": [{"title": f"亮点{i}", "text": "内容", "activity_ids": []}
                                                      for i in range(MAX_HIGHLIGHTS + 1)]}
    response = login(coordinator_a).put(f"/api/v1/summaries/{qingdao.slug}/{unit_a.pk}", body,
                                        content_type="application/json")
    assert response.status_code == 422, response.content
    assert "highlights" in response.json()["errors"]
    assert not Summary.objects.exists() and not Highlight.objects.exists()
