import pytest

from accounts.services import api_token_create
from exhibitions import services
from exhibitions.models import Visit, VisitState
from exhibitions.tests.factories import BaseFactory, VisitFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_public_endpoints_need_no_login(client, qingdao, slot_a):
    services.exhibitions_seed(campaign=qingdao)
    assert client.get(f"{API}/exhibitions/").json()["count"] == 2
    bases = client.get(f"{API}/bases/", {"district": "shinan"}).json()
    assert bases["count"] == 1 and "managing_unit" not in bases["items"][0]
    slots = client.get(f"{API}/bases/{slot_a.base_id}/slots/").json()
    assert slots[0]["free"] == 50
    assert client.get(f"{API}/visits/").status_code == 401
    assert client.get(f"{API}/bases/managed/").status_code == 401


def test_book_and_decide_through_the_api(client, slot_a, coordinator_a, coordinator_b):
    payload = {"slot_id": slot_a.pk, "group_name": "市北区科技局", "group_size": 30, "contact_name": "赵",
               "contact_phone": "13900001111"}
    response = client.post(f"{API}/visits/", payload, content_type="application/json", **bearer(coordinator_b))
    assert response.status_code == 201, response.content
    visit_id = response.json()["id"]
    assert "13900001111" not in response.content.decode()
    again = client.post(f"{API}/visits/", payload, content_type="application/json", **bearer(coordinator_b))
    assert again.status_code == 400 and Visit.objects.count() == 1
    # the booking unit may not confirm; the managing unit may
    denied = client.post(f"{API}/visits/{visit_id}/transitions/confirm", **bearer(coordinator_b))
    assert denied.status_code == 403
    assert Visit.objects.get().state == VisitState.REQUESTED
    response = client.post(f"{API}/visits/{visit_id}/transitions/confirm", **bearer(coordinator_a))
    assert response.json()["state"] == "confirmed"
    response = client.post(f"{API}/visits/{visit_id}/transitions/decline", **bearer(coordinator_a))
    assert response.status_code == 409
    figures = client.get(f"{API}/bases/managed/", **bearer(coordinator_a)).json()
    assert figures["items"][0]["confirmed"] == 1


def test_other_units_see_nothing(client, slot_a, coordinator_b, qingdao):
    visit = VisitFactory(slot=slot_a)
    other = BaseFactory()
    headers = bearer(coordinator_b)
    assert client.get(f"{API}/visits/{visit.pk}", **headers).status_code == 404
    assert client.get(f"{API}/visits/", **headers).json()["count"] == 0
    assert client.get(f"{API}/bases/managed/", **headers).json()["count"] == 0
    response = client.post(f"{API}/bases/{other.pk}/slots/", {"date": "2022-05-26", "starts_at": "09:00",
                                                             "ends_at": "10:00"}, content_type="application/json",
                           **headers)
    assert response.status_code == 404


def test_organiser_opens_a_slot(client, organiser, base_a):
    response = client.post(f"{API}/bases/{base_a.pk}/slots/", {"date": "2022-05-26", "starts_at": "09:00",
                                                              "ends_at": "10:00", "capacity": 20},
                           content_type="application/json", **bearer(organiser))
    assert response.status_code == 201 and response.json()["free"] == 20


@pytest.mark.parametrize("starts_at", ["09:00:00Z", "09:00+08:00"])
def test_a_slot_time_with_an_offset_is_refused_not_a_500(client, base_a, coordinator_a, starts_at):
    from exhibitions.models import BaseSlot

    client.raise_request_exception = False
    response = client.post(f"{API}/bases/{base_a.pk}/slots/", {"date": "2022-05-26", "starts_at": starts_at,
                                                              "ends_at": "10:00"}, content_type="application/json",
                           **bearer(coordinator_a))
    assert response.status_code == 400
    assert "starts_at" in response.json()["errors"]
    assert not BaseSlot.objects.filter(base=base_a).exists()


def test_slot_times_are_local_times_in_the_schema_and_the_answer(client, base_a, coordinator_a):
    import re

    from api.urls import api

    components = api.get_openapi_schema()["components"]["schemas"]
    for name in ("SlotIn", "SlotOut"):
        assert components[name]["properties"]["ends_at"].get("format") != "time"  # RFC 3339 needs an offset
    pattern = components["SlotOut"]["properties"]["starts_at"]["pattern"]
    response = client.post(f"{API}/bases/{base_a.pk}/slots/", {"date": "2022-05-26", "starts_at": "09:30",
                                                              "ends_at": "10:00"}, content_type="application/json",
                           **bearer(coordinator_a))
    assert response.status_code == 201
    assert re.match(pattern, response.json()["starts_at"])
