import pytest

from summaries.models import Summary, SummaryState

from .factories import SummaryFactory

pytestmark = pytest.mark.django_db
BODY = {"work_done": "开展座谈会", "results": "成效", "experience": "", "suggestions": "",
        "highlights": [{"title": "亮点", "text": "内容", "activity_ids": []}]}


def _url(qingdao, unit, tail=""):
    return f"/api/v1/summaries/{qingdao.slug}/{unit.pk}{tail}"


def test_a_coordinator_writes_and_submits_through_the_api(at, login, qingdao, unit_a, coordinator_a, activities_a):
    at("2022-06-10T10:00")
    client = login(coordinator_a)
    assert client.get(_url(qingdao, unit_a)).json()["state"] == "not_started"
    saved = client.put(_url(qingdao, unit_a), BODY, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["figures"]["held"] == 2
    submitted = client.post(_url(qingdao, unit_a, "/transitions/submit"), {}, content_type="application/json")
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted" and submitted.json()["office"] == "qast-org-personnel"
    again = client.post(_url(qingdao, unit_a, "/transitions/submit"), {}, content_type="application/json")
    assert again.status_code == 409


def test_the_api_flags_a_late_submission_and_an_extension_prevents_it(at, login, qingdao, unit_a, unit_b,
                                                                       coordinator_a, coordinator_b, organiser):
    extended = login(organiser).post(_url(qingdao, unit_a, "/transitions/extend"),
                                     {"until": "2022-06-20", "reason": "防疫"}, content_type="application/json")
    assert extended.status_code == 200 and extended.json()["deadline"] == "2022-06-20"
    at("2022-06-16T10:00")
    for user, unit in ((coordinator_a, unit_a), (coordinator_b, unit_b)):
        client = login(user)
        client.put(_url(qingdao, unit), BODY, content_type="application/json")
        client.post(_url(qingdao, unit, "/transitions/submit"), {}, content_type="application/json")
    assert not Summary.objects.get(unit=unit_a).is_late
    assert Summary.objects.get(unit=unit_b).is_late


def test_the_api_refuses_when_late_submission_is_closed(at, login, qingdao, unit_a, coordinator_a):
    from campaigns.models import Campaign

    Campaign.objects.filter(pk=qingdao.pk).update(late_policy=Campaign.LatePolicy.CLOSED)
    at("2022-06-16T10:00")
    client = login(coordinator_a)
    client.put(_url(qingdao, unit_a), BODY, content_type="application/json")
    response = client.post(_url(qingdao, unit_a, "/transitions/submit"), {}, content_type="application/json")
    assert response.status_code == 422
    assert Summary.objects.get(unit=unit_a).state == SummaryState.DRAFT


def test_the_api_hides_other_units_and_offices(login, qingdao, unit_a, coordinator_b, bureau):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    assert login(coordinator_b).get(_url(qingdao, unit_a)).status_code == 404
    assert login(bureau).get(_url(qingdao, unit_a)).status_code == 404
    response = login(bureau).post(_url(qingdao, unit_a, "/transitions/accept"), {}, content_type="application/json")
    assert response.status_code == 404
    assert Summary.objects.get(unit=unit_a).state == SummaryState.SUBMITTED
    assert login(bureau).get("/api/v1/offices/qast-org-personnel/board").status_code == 404


def test_the_board_through_the_api(login, qingdao, unit_a, organiser):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    data = login(organiser).get("/api/v1/offices/qast-org-personnel/board").json()
    assert data["counts"]["submitted"] == 1
    assert {"unit_id": unit_a.pk, "status": "submitted"}.items() <= next(
        u for u in data["units"] if u["unit_id"] == unit_a.pk).items()


def test_the_office_accepts_through_the_api(login, qingdao, unit_a, organiser):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    response = login(organiser).post(_url(qingdao, unit_a, "/transitions/accept"), {},
                                     content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "accepted"
