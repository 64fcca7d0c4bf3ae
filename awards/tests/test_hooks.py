"""Workbench to-dos, the demo data and the API's permissions."""

from django.urls import reverse

from awards import services
from awards.demo import load_demo_data
from awards.models import Assignment, Nomination
from awards.tests.factories import NominationFactory, expert
from awards.workbench import todos

S = Nomination.Status


def test_todos_for_each_role(selection, organiser, coordinator_a, unit_a):
    NominationFactory(selection=selection, unit=unit_a, status=S.SUBMITTED)
    NominationFactory(selection=selection, unit=unit_a, status=S.RETURNED)
    eligible = NominationFactory(selection=selection, status=S.ELIGIBLE)
    reviewer = expert()
    services.assignments_create(actor=organiser, expert=reviewer, nominations=[eligible])
    assert len(todos(organiser)) == 1
    assert len(todos(coordinator_a)) == 1
    assert todos(reviewer)[0]["url"] == reverse("awards:reviews")


def test_the_demo_data_loads_once(qingdao, organiser, unit_a, unit_b):
    from accounts.tests.factories import UserFactory

    UserFactory(username="expert", is_expert=True)
    load_demo_data()
    load_demo_data()
    assert Nomination.objects.filter(name__endswith="（演示）").count() == 5
    assert Assignment.objects.filter(expert__username="expert").count() == 2


def test_the_api_masks_and_limits_by_permission(selection, login, coordinator_a, coordinator_b, unit_a, organiser):
    mine = NominationFactory(selection=selection, unit=unit_a, mobile="13811112222")
    body = login(coordinator_a).get("/api/v1/awards/nominations/").json()
    assert [n["id"] for n in body["items"]] == [mine.pk] and body["items"][0]["mobile_masked"] == "138****2222"
    assert login(coordinator_b).get(f"/api/v1/awards/nominations/{mine.pk}").status_code == 404
    reviewer = expert()
    mine.status = S.ELIGIBLE
    mine.save()
    assignment, = services.assignments_create(actor=organiser, expert=reviewer, nominations=[mine])
    criteria = list(selection.criteria.all())
    client = login(reviewer)
    url = f"/api/v1/awards/assignments/{assignment.pk}/scores"
    response = client.post(url, {"scores": {str(criteria[0].pk): 50, str(criteria[1].pk): 99}},
                           content_type="application/json")
    assert response.status_code == 422
    response = client.post(url, {"scores": {str(criteria[0].pk): 50, str(criteria[1].pk): 30}},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["total"] == "80.00"
    assert login(coordinator_a).post(url, {"scores": {}}, content_type="application/json").status_code == 404
    assert client.get("/api/v1/awards/public/no-such/notice").status_code == 404
