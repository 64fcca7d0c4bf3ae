"""The ledger's API: the UI's permissions, 409 with the reason for a move not in the table, 422 for bad input."""

import pytest

from audit.models import AuditEntry
from problems.models import Problem, Status
from problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.urls("problems.tests.api_urls")
BASE = "/test-api/problems/"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_organiser_takes_a_problem_from_raised_to_resolved_and_the_submitter_closes_it(
        login, organiser, coordinator_a, unit_a, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    client = login(organiser)
    response = post(client, BASE, {"category": "talent_policy", "description": "不了解人才项目申报", "source": "symposium"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert post(client, f"{BASE}{pk}/transitions/accept", {}).status_code == 200
    response = post(client, f"{BASE}{pk}/transitions/assign", {"unit_id": unit_a.pk, "due_date": "2022-06-10"})
    assert response.status_code == 200 and response.json()["status"] == "assigned"

    client = login(coordinator_a)
    assert [p["id"] for p in client.get(BASE).json()["items"]] == [pk]
    assert post(client, f"{BASE}{pk}/transitions/progress", {"note": "已举办宣讲会"}).status_code == 200
    response = post(client, f"{BASE}{pk}/transitions/resolve", {"resolution": "发放政策汇编", "public_summary": "政策知晓度低"})
    assert response.status_code == 200
    assert [e["to_status"] for e in response.json()["history"]] == [
        "raised", "accepted", "assigned", "in_progress", "resolved"]

    client = login(organiser)
    assert post(client, f"{BASE}{pk}/transitions/confirm", {"note": "电话回访，满意"}).json()["status"] == "closed"
    assert AuditEntry.objects.filter(object_id=str(pk), action__startswith="problems.problem.").count() == 6


def test_another_unit_gets_404_and_nothing_changes(login, coordinator_b, unit_a):
    problem = ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_a)
    client = login(coordinator_b)
    assert client.get(BASE).json()["items"] == []
    assert client.get(f"{BASE}{problem.pk}").status_code == 404
    response = post(client, f"{BASE}{problem.pk}/transitions/progress", {"note": "我来办"})
    assert response.status_code == 404
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED and not problem.events.exists()


def test_a_coordinator_may_not_accept_or_create(login, coordinator_a, unit_a):
    problem = ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_a)
    client = login(coordinator_a)
    assert post(client, f"{BASE}{problem.pk}/transitions/assign", {"unit_id": unit_a.pk}).status_code == 403
    assert post(client, BASE, {"category": "other", "description": "x"}).status_code == 403
    assert Problem.objects.count() == 1


def test_a_move_not_in_the_table_is_409_with_the_reason(login, organiser):
    problem = ProblemFactory(status=Status.RAISED)
    client = login(organiser)
    response = post(client, f"{BASE}{problem.pk}/transitions/resolve", {"resolution": "x", "public_summary": "y"})
    assert response.status_code == 409
    assert "已登记" in response.json()["detail"]
    assert post(client, f"{BASE}{problem.pk}/transitions/teleport", {}).status_code == 409
    problem.refresh_from_db()
    assert problem.status == Status.RAISED


def test_invalid_input_is_422(login, organiser):
    problem = ProblemFactory(status=Status.RAISED)
    client = login(organiser)
    assert post(client, BASE, {"category": "nonsense", "description": "x"}).status_code == 422
    assert post(client, BASE, {"category": "other"}).status_code == 422
    response = post(client, f"{BASE}{problem.pk}/transitions/decline", {"note": ""})
    assert response.status_code == 422 and "note" in response.json()["errors"]
    problem.refresh_from_db()
    assert problem.status == Status.RAISED


def test_anonymous_callers_are_refused(client, qingdao):
    assert client.get(BASE).status_code == 401
