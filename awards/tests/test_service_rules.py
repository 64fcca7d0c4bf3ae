"""#11 item 3: the awards service holds the scoring page's rules (one decimal place, finite numbers)."""

import pytest

from awards import services
from awards.models import Assignment, Nomination, Score
from awards.tests.factories import NominationFactory, expert


@pytest.mark.parametrize("value", ["12.25", "NaN", "Infinity"])
def test_a_score_the_page_would_refuse_is_refused_through_the_api(selection, login, unit_a, organiser, value):
    nomination = NominationFactory(selection=selection, unit=unit_a, status=Nomination.Status.ELIGIBLE)
    reviewer = expert()
    assignment, = services.assignments_create(actor=organiser, expert=reviewer, nominations=[nomination])
    first, second = selection.criteria.all()[:2]
    response = login(reviewer).post(f"/api/v1/awards/assignments/{assignment.pk}/scores",
                                    {"scores": {str(first.pk): value, str(second.pk): 30}},
                                    content_type="application/json")
    assert response.status_code == 422, response.content
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED and not Score.objects.exists()
