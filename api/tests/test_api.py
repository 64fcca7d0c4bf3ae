"""The REST API at /api/v1/: the campaign's facts, units by permission, tokens and lockout."""

import json

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import account_deactivate, api_token_create, api_token_revoke
from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import AuditEntry
from organisations.models import Unit
from organisations.tests.factories import UnitFactory

CAMPAIGN_URL = "/api/v1/campaigns/qingdao-2022"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def token_of():
    def _token_of(user, name="integration"):
        return api_token_create(user=user, name=name)[1]

    return _token_of


# --- campaigns --------------------------------------------------------------------------------

def test_campaign_is_public_and_carries_the_notices_facts(client, qingdao):
    response = client.get(CAMPAIGN_URL)

    assert response.status_code == 200
    data = response.json()
    assert data["key_day"] == "2022-05-30"
    assert data["summary_deadline"] == "2022-06-15"
    assert data["theme"] == "创新争先、自立自强"
    assert [c["number"] for c in data["categories"]] == [1, 2, 3, 4, 5, 6]
    assert all(c["forms"] for c in data["categories"])
    routing = {rule["unit_type"]: rule["office"] for rule in data["routing_rules"]}
    assert routing["district_bureau"]["code"] == "qstb-talent"
    assert routing["district_bureau"]["name"] == "市科技局科技人才处"
    others = {unit_type: office for unit_type, office in routing.items() if unit_type != "district_bureau"}
    assert len(others) == 5
    assert {office["code"] for office in others.values()} == {"qast-org-personnel"}
    assert {office["name"] for office in others.values()} == {"市科协组织人事部"}
    assert {o["code"] for o in data["offices"]} == {"qstb-talent", "qast-org-personnel"}
    assert {c["office"]: c["person"] for c in data["contacts"]} == {"qast-org-personnel": "王馨",
                                                                    "qstb-talent": "王文娟"}


def test_campaign_list_is_public(client, qingdao):
    response = client.get("/api/v1/campaigns/")

    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == ["qingdao-2022"]


def test_unknown_campaign_is_a_json_404(client, qingdao):
    response = client.get("/api/v1/campaigns/nowhere-1999")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_campaign_detail_runs_a_constant_number_of_queries(client, qingdao, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(CAMPAIGN_URL).status_code == 200


# --- schema and docs --------------------------------------------------------------------------

def test_openapi_schema_is_valid_json_of_version_3(login, coordinator_a):
    response = login(coordinator_a).get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/units/" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]


def test_docs_page_works_without_a_cdn(login, coordinator_a):
    client = login(coordinator_a)
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert asset["Content-Type"].startswith("text/javascript")


def test_docs_and_schema_are_for_logged_in_users_by_default(client, coordinator_a):
    from accounts.services import api_token_create

    page = client.get("/api/v1/docs")
    assert page.status_code == 302 and page.url.startswith("/accounts/login/")
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 401 and schema.json()["detail"] == "请登录，或提供有效的 API 令牌。"
    # A token holder (schemathesis in CI, an integrator) may read the schema without a session.
    key = api_token_create(user=coordinator_a, name="ci")[1]
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer sd_wrong").status_code == 401


def test_docs_are_public_when_the_setting_says_so(client, db, settings):
    settings.SCIDAY_PUBLIC_API_DOCS = True

    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_docs_assets_serve_only_the_known_files(client, db):
    assert client.get("/api/v1/docs/assets/..%2F..%2F__init__.py").status_code == 404
    assert client.get("/api/v1/docs/assets/redoc.standalone.js.map").status_code == 404


# --- units ------------------------------------------------------------------------------------

def test_units_need_authentication(client, unit_a):
    response = client.get("/api/v1/units/")

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_coordinator_sees_only_their_unit(login, coordinator_a, unit_a, unit_b):
    client = login(coordinator_a)

    response = client.get("/api/v1/units/")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert [u["name"] for u in data["items"]] == ["市南区科协"]
    assert client.get(f"/api/v1/units/{unit_a.pk}").status_code == 200
    other = client.get(f"/api/v1/units/{unit_b.pk}")
    assert other.status_code == 404
    assert "市北区" not in other.content.decode()


def test_an_organiser_sees_every_unit_and_can_filter(login, organiser, unit_a, unit_b):
    client = login(organiser)

    assert client.get("/api/v1/units/").json()["count"] == 2
    assert [u["name"] for u in client.get("/api/v1/units/?unit_type=district_bureau").json()["items"]] == [
        "市北区科技局"]
    assert [u["name"] for u in client.get("/api/v1/units/?district=shinan").json()["items"]] == ["市南区科协"]
    assert client.get("/api/v1/units/?q=科技局").json()["count"] == 1
    Unit.objects.filter(pk=unit_b.pk).update(is_active=False)
    assert client.get("/api/v1/units/?active=false").json()["items"][0]["id"] == unit_b.pk
    assert client.get(f"/api/v1/units/{unit_b.pk}").status_code == 200


def test_a_bad_filter_is_a_422_with_field_errors(login, organiser):
    response = login(organiser).get("/api/v1/units/?unit_type=nonsense")

    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)
    assert response.json()["errors"][0]["loc"][-1] == "unit_type"


def test_a_user_without_units_or_offices_is_forbidden(login, db):
    response = login(UserFactory()).get("/api/v1/units/")

    assert response.status_code == 403
    assert response.json()["detail"]


def test_units_list_runs_a_constant_number_of_queries(login, organiser, qingdao, django_assert_max_num_queries):
    client = login(organiser)
    counts = []
    for extra in (10, 90):
        UnitFactory.create_batch(extra)
        # The session is saved on every request (idle timeout): that is part of the constant.
        with django_assert_max_num_queries(15) as captured:
            response = client.get("/api/v1/units/?page_size=100")
        counts.append(len(captured))

    assert response.json()["count"] == 100
    assert len(response.json()["items"]) == 100
    assert counts[0] == counts[1]


# --- tokens -----------------------------------------------------------------------------------

def test_a_token_authenticates_and_a_revoked_one_does_not(client, coordinator_a, token_of):
    key = token_of(coordinator_a)

    response = client.get("/api/v1/me", **bearer(key))

    assert response.status_code == 200
    assert response.json()["username"] == "coord-a"
    assert response.json()["roles"] == ["coordinator"]
    assert client.get("/api/v1/units/", **bearer(key)).json()["count"] == 1
    token = ApiToken.objects.get(user=coordinator_a)
    assert token.last_used_at is not None

    api_token_revoke(user=coordinator_a, token=token)

    assert client.get("/api/v1/me", **bearer(key)).status_code == 401


def test_a_deactivated_users_token_is_refused(client, coordinator_a, organiser, token_of):
    key = token_of(coordinator_a)
    # Deactivation also revokes the tokens; the user's state alone must suffice, so un-revoke it.
    account_deactivate(actor=organiser, user=coordinator_a)
    ApiToken.objects.filter(user=coordinator_a).update(revoked_at=None)

    assert client.get("/api/v1/me", **bearer(key)).status_code == 401


def test_a_wrong_token_is_refused(client, db):
    assert client.get("/api/v1/me", **bearer("sd_not-a-token")).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Basic eDp5").status_code == 401


def test_a_token_of_a_user_who_must_change_password_is_refused(client, coordinator_a, token_of):
    key = token_of(coordinator_a)
    coordinator_a.must_change_password = True
    coordinator_a.save(update_fields=["must_change_password"])

    assert client.get("/api/v1/me", **bearer(key)).status_code == 403


# --- logging in for a token -------------------------------------------------------------------

def post_token(client, username, password, name="数据对接"):
    return client.post("/api/v1/auth/token", {"username": username, "password": password, "name": name},
                       content_type="application/json")


def test_logging_in_returns_a_working_token(client, coordinator_a):
    response = post_token(client, "coord-a", PASSWORD)

    assert response.status_code == 201
    key = response.json()["token"]
    assert key.startswith("sd_")
    assert response.json()["name"] == "数据对接"
    assert client.get("/api/v1/me", **bearer(key)).json()["username"] == "coord-a"
    assert AuditEntry.objects.filter(action="accounts.api_token.created", actor=coordinator_a).count() == 1


def test_wrong_password_gets_401_and_no_token(client, coordinator_a):
    response = post_token(client, "coord-a", "wrong-Password-1")

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_a_missing_field_is_a_422(client, coordinator_a):
    response = client.post("/api/v1/auth/token", {"username": "coord-a"}, content_type="application/json")

    assert response.status_code == 422
    assert {tuple(e["loc"])[-1] for e in response.json()["errors"]} == {"password", "name"}


def test_a_user_who_must_change_password_gets_no_token(client, coordinator_a):
    coordinator_a.must_change_password = True
    coordinator_a.save(update_fields=["must_change_password"])

    response = post_token(client, "coord-a", PASSWORD)

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_five_wrong_passwords_lock_the_account_on_the_api_path(client, coordinator_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    for _attempt in range(5):
        post_token(client, "coord-a", "wrong-Password-1")

    response = post_token(client, "coord-a", PASSWORD)

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "30" in response.json()["detail"]
    assert "锁定" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.user.login_failed", object_id=str(coordinator_a.pk)).count() >= 5
    assert AuditEntry.objects.filter(action="accounts.user.locked_out", object_id=str(coordinator_a.pk)).exists()


def test_a_success_clears_earlier_failures(client, coordinator_a):
    for _attempt in range(4):
        post_token(client, "coord-a", "wrong-Password-1")
    assert post_token(client, "coord-a", PASSWORD).status_code == 201

    for _attempt in range(4):
        post_token(client, "coord-a", "wrong-Password-1")

    assert post_token(client, "coord-a", PASSWORD).status_code == 201


def test_me_needs_authentication(client, db):
    assert client.get("/api/v1/me").status_code == 401


def test_me_lists_an_organisers_roles(login, organiser):
    data = login(organiser).get("/api/v1/me").json()

    assert data["roles"] == ["office_staff"]
    assert data["offices"] == ["qast-org-personnel"]


def test_last_used_is_not_rewritten_on_every_request(client, coordinator_a, token_of):
    key = token_of(coordinator_a)
    client.get("/api/v1/me", **bearer(key))
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/me", **bearer(key))

    assert ApiToken.objects.get().last_used_at == first
    assert first <= timezone.now()
