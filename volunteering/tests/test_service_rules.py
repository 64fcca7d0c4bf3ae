"""#11 item 3: the volunteering service holds the page's rules, so the API cannot pass them by."""

from volunteering.models import RequestEvent, RequestStatus

from .factories import ServiceRequestFactory


def test_staff_confirming_for_the_requester_must_say_how_through_the_api(login, organiser, team_a):
    req = ServiceRequestFactory(status=RequestStatus.SERVED, team=team_a)
    events = RequestEvent.objects.count()
    response = login(organiser).post(f"/api/v1/volunteering/requests/{req.pk}/transitions/confirm", {"note": " "},
                                     content_type="application/json")
    assert response.status_code == 422, response.content
    req.refresh_from_db()
    assert req.status == RequestStatus.SERVED and RequestEvent.objects.count() == events
    response = login(organiser).post(f"/api/v1/volunteering/requests/{req.pk}/transitions/confirm",
                                     {"note": "电话回访确认"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == RequestStatus.CONFIRMED
