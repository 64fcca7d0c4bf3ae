import pytest

from accounts.services import api_token_create
from activities import services
from activities.models import Activity, State
from activities.tests.factories import form_named

pytestmark = pytest.mark.urls("activities.tests.api_urls")
BASE = "/api/act"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def _payload(**overrides):
    return {"form_id": form_named().pk, "title": "线上科普直播", "mode": "online", "starts_at": "2022-05-28T09:00:00+08:00",
            "ends_at": "2022-05-28T10:00:00+08:00", "platform": "视频号", "link": "https://live.example.com/1",
            "audiences": ["public"], "contact_person": "张老师", "contact_phone": "13800138000",
            "frugality_pledge": True} | overrides


def test_create_list_patch_and_transitions(client, coordinator_a, organiser, qingdao):
    headers = bearer(coordinator_a)
    response = client.post(f"{BASE}/activities/", _payload(), content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["state"] == "draft"
    assert client.get(f"{BASE}/activities/", **headers).json()["count"] == 1
    response = client.patch(f"{BASE}/activities/{pk}", {"title": "新标题"}, content_type="application/json", **headers)
    assert response.json()["title"] == "新标题"
    assert client.post(f"{BASE}/activities/{pk}/transitions/submit", **headers).json()["state"] == "submitted"
    org = bearer(organiser)
    response = client.post(f"{BASE}/activities/{pk}/transitions/return", {"reason": ""},
                           content_type="application/json", **org)
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = client.post(f"{BASE}/activities/{pk}/transitions/approve", **org)
    assert response.json()["state"] == "approved"
    public = client.get(f"{BASE}/public/activities/").json()
    assert public["count"] == 1 and public["items"][0]["title"] == "新标题"
    assert "contact_phone" not in public["items"][0]


def test_forbidden_transition_is_409_with_reason(client, coordinator_a, make_activity):
    activity = make_activity()
    response = client.post(f"{BASE}/activities/{activity.pk}/transitions/report", {"actual_participants": 3},
                           content_type="application/json", **bearer(coordinator_a))
    assert response.status_code == 409
    assert "草稿" in response.json()["detail"]
    activity.refresh_from_db()
    assert activity.state == State.DRAFT


def test_field_errors(client, coordinator_a, qingdao):
    headers = bearer(coordinator_a)
    response = client.post(f"{BASE}/activities/", _payload(mode="teleport"), content_type="application/json", **headers)
    assert response.status_code == 422
    response = client.post(f"{BASE}/activities/", _payload(starts_at="2022-08-01T09:00:00+08:00",
                                                           ends_at="2022-08-01T10:00:00+08:00"),
                           content_type="application/json", **headers)
    assert response.status_code == 400 and "starts_at" in response.json()["errors"]
    assert not Activity.objects.exists()


def test_other_units_activity_is_404_and_unchanged(client, coordinator_b, make_activity):
    activity = make_activity()
    headers = bearer(coordinator_b)
    assert client.get(f"{BASE}/activities/{activity.pk}", **headers).status_code == 404
    assert client.patch(f"{BASE}/activities/{activity.pk}", {"title": "x"}, content_type="application/json",
                        **headers).status_code == 404
    assert client.post(f"{BASE}/activities/{activity.pk}/transitions/cancel", {"reason": "x"},
                       content_type="application/json", **headers).status_code == 404
    assert client.get(f"{BASE}/activities/", **headers).json()["count"] == 0
    activity.refresh_from_db()
    assert activity.title != "x" and activity.state == State.DRAFT


def test_coordinator_cannot_approve_via_api(client, coordinator_a, make_activity):
    activity = make_activity()
    services.activity_submit(actor=coordinator_a, activity=activity)
    response = client.post(f"{BASE}/activities/{activity.pk}/transitions/approve", **bearer(coordinator_a))
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.state == State.SUBMITTED


def test_anonymous_needs_login_but_public_list_is_open(client, make_activity):
    assert client.get(f"{BASE}/activities/").status_code == 401
    assert client.get(f"{BASE}/public/activities/").status_code == 200


def test_api_list_constant_queries(client, organiser, unit_a, django_assert_max_num_queries):
    from activities.tests.test_views import _bulk

    headers = bearer(organiser)
    _bulk(unit_a, 10)
    with django_assert_max_num_queries(15) as small:
        client.get(f"{BASE}/activities/", **headers)
    _bulk(unit_a, 500)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{BASE}/activities/", **headers)


def test_patch_of_a_submitted_activity_is_409(client, coordinator_a, make_activity):
    activity = make_activity()
    services.activity_submit(actor=coordinator_a, activity=activity)
    response = client.patch(f"{BASE}/activities/{activity.pk}", {"title": "x"}, content_type="application/json",
                            **bearer(coordinator_a))
    assert response.status_code == 409
    activity.refresh_from_db()
    assert activity.title != "x"


def test_bad_phone_is_a_field_error(client, coordinator_a, qingdao):
    response = client.post(f"{BASE}/activities/", _payload(contact_phone="123"), content_type="application/json",
                           **bearer(coordinator_a))
    assert response.status_code == 400 and "contact_phone" in response.json()["errors"]


def test_upload_plans_by_multipart(client, coordinator_a, coordinator_b, organiser, make_activity):
    from activities.models import Mode, PlanKind
    from activities.tests.factories import pdf_file
    from organisations.models import District

    activity = make_activity(mode=Mode.OFFLINE, platform="", link="", district=District.objects.get(code="shinan"),
                             address="香港中路100号", frugality_pledge=True)
    url = f"{BASE}/activities/{activity.pk}/plans/epidemic"
    assert client.post(url, {"file": pdf_file()}, **bearer(coordinator_b)).status_code == 404
    assert client.post(url, {"file": pdf_file()}, **bearer(organiser)).status_code == 403
    assert not activity.plans.exists()
    bad = client.post(url, {"file": pdf_file("x.pdf").__class__("x.pdf", b"not a pdf")}, **bearer(coordinator_a))
    assert bad.status_code == 400 and not activity.plans.exists()
    assert client.post(f"{BASE}/activities/{activity.pk}/plans/other", {"file": pdf_file()},
                       **bearer(coordinator_a)).status_code == 404
    for kind in PlanKind.values:
        response = client.post(f"{BASE}/activities/{activity.pk}/plans/{kind}", {"file": pdf_file(f"{kind}.pdf")},
                               **bearer(coordinator_a))
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == kind and response.json()["content_type"] == "application/pdf"
    assert set(activity.plans.values_list("kind", flat=True)) == set(PlanKind.values)
    assert client.post(f"{BASE}/activities/{activity.pk}/transitions/submit",
                       **bearer(coordinator_a)).json()["state"] == "submitted"
    assert client.post(url, {"file": pdf_file()}, **bearer(coordinator_a)).status_code == 409


def test_upload_outcome_photos_by_multipart(client, coordinator_a, coordinator_b, organiser, make_activity):
    from activities.tests.factories import png_file

    activity = make_activity()
    services.activity_submit(actor=coordinator_a, activity=activity)
    services.activity_approve(actor=organiser, activity=activity)
    url = f"{BASE}/activities/{activity.pk}/photos"
    assert client.post(url, {"files": [png_file()]}, **bearer(coordinator_a)).status_code == 409  # not reported
    services.activity_report(actor=coordinator_a, activity=activity, actual_participants=10)
    assert client.post(url, {"files": [png_file()]}, **bearer(coordinator_b)).status_code == 404
    assert client.post(url, {"files": [png_file()]}, **bearer(organiser)).status_code == 403
    assert not activity.photos.exists()
    response = client.post(url, {"files": [png_file("a.png"), png_file("b.png")]}, **bearer(coordinator_a))
    assert response.status_code == 201, response.content
    assert [p["name"] for p in response.json()] == ["a.png", "b.png"]
    assert activity.photos.count() == 2
