"""The volunteering API: the UI's permissions, masked mobiles, 409 for a move not in the table."""

from volunteering.models import RequestStatus

from .factories import ServiceRequestFactory, VolunteerFactory

BASE = "/api/v1/volunteering/"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_team_accepts_and_schedules_through_the_api(login, coord_sa, coord_sb, team_a):
    req = ServiceRequestFactory()
    other = login(coord_sb)
    assert post(other, f"{BASE}requests/{req.pk}/transitions/match", {"team_id": team_a.pk}).status_code == 403
    client = login(coord_sa)
    suggestions = client.get(f"{BASE}requests/{req.pk}/suggestions").json()
    assert suggestions[0]["team_id"] == team_a.pk
    response = post(client, f"{BASE}requests/{req.pk}/transitions/match", {"team_id": team_a.pk})
    assert response.status_code == 200 and response.json()["status"] == "matched"
    assert post(client, f"{BASE}requests/{req.pk}/transitions/confirm", {}).status_code == 403
    response = post(client, f"{BASE}requests/{req.pk}/transitions/schedule", {"scheduled_for": "2022-05-25"})
    assert response.json()["status"] == "scheduled"
    assert login(coord_sb).get(f"{BASE}requests/{req.pk}").status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.SCHEDULED


def test_a_move_not_in_the_table_is_409(login, organiser, team_a):
    req = ServiceRequestFactory(status=RequestStatus.CONFIRMED, team=team_a)
    assert post(login(organiser), f"{BASE}requests/{req.pk}/transitions/close", {"note": "x"}).status_code == 409


def test_volunteers_are_masked_and_limited_to_the_own_unit(login, coord_sa, coord_sb, society_a):
    VolunteerFactory(unit=society_a, mobile="13812341234")
    items = login(coord_sa).get(f"{BASE}volunteers/").json()["items"]
    assert items[0]["mobile_masked"] == "138****1234" and "13812341234" not in str(items)
    assert login(coord_sb).get(f"{BASE}volunteers/").json()["items"] == []


def test_public_lists_need_no_login(client, team_a):
    assert [t["name"] for t in client.get(f"{BASE}public/teams/").json()["items"]] == ["医学科普服务团"]
    assert len(client.get(f"{BASE}programmes/").json()) == 3
    assert client.get(f"{BASE}teams/").status_code == 401
