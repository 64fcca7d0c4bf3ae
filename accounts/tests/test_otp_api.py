"""TOTP for staff covers the API too (issue #11 item 1): the session API, the token endpoint, old
tokens, and enrolling a first authenticator (never on a password alone)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OTPEnrolmentCode
from accounts.services import api_token_create, otp_enrolment_code_issue
from accounts.tests.factories import PASSWORD
from activities.models import State
from activities.tests.factories import ActivityFactory
from audit.models import AuditEntry

NOMINATIONS = "/api/v1/awards/nominations/"
TOKEN = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def _otp_required(settings):
    settings.SCIDAY_REQUIRE_STAFF_OTP = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's delay after a wrong code (slow in a test)


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _wrong(device) -> str:
    return "123456" if _code(device) != "123456" else "654321"


def _password_login(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _verified_login(user) -> Client:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = _password_login(user)
    assert client.post("/accounts/otp/verify/", {"token": _code(device)}).status_code == 302
    return client


@pytest.fixture
def submitted(unit_a):
    return ActivityFactory(unit=unit_a, state=State.SUBMITTED)


# --- the session API ---------------------------------------------------------------------------

def test_a_staff_session_without_totp_gets_403_json_from_the_api(organiser, submitted):
    client = _password_login(organiser)

    read = client.get(NOMINATIONS)
    write = client.post(f"/api/v1/activities/{submitted.pk}/transitions/return", {"reason": "请补充方案"},
                        content_type="application/json")

    for response in (read, write):
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
        assert "两步验证" in response.json()["detail"]
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_a_bogus_token_header_does_not_slip_past_to_the_session(organiser, submitted):
    client = _password_login(organiser)

    response = client.get(NOMINATIONS, HTTP_AUTHORIZATION="Bearer sd_not-a-token")

    assert response.status_code == 403
    assert "两步验证" in response.json()["detail"]


def test_a_verified_staff_session_uses_the_api(organiser, submitted):
    client = _verified_login(organiser)

    assert client.get(NOMINATIONS).status_code == 200
    response = client.post(f"/api/v1/activities/{submitted.pk}/transitions/return", {"reason": "请补充方案"},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED


def test_coordinators_need_no_totp_for_the_api(coordinator_a):
    client = _password_login(coordinator_a)

    assert client.get("/api/v1/me").status_code == 200


# --- the token endpoint -----------------------------------------------------------------------

def _token_request(client, user, **extra):
    return client.post(TOKEN, {"username": user.username, "password": PASSWORD, "name": "对接", **extra},
                       content_type="application/json")


def test_the_token_endpoint_refuses_staff_a_password_alone(client, organiser):
    device = TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)

    alone = _token_request(client, organiser)
    assert alone.status_code == 403 and "otp_code" in alone.json()["detail"]
    wrong = _token_request(client, organiser, otp_code=_wrong(device))
    assert wrong.status_code == 401 and "验证码不正确" in wrong.json()["detail"]
    assert AuditEntry.objects.filter(action="accounts.user.totp_failed", actor=organiser).exists()
    assert not organiser.api_tokens.exists()

    right = _token_request(client, organiser, otp_code=_code(device))
    assert right.status_code == 201
    key = right.json()["token"]
    assert client.get(NOMINATIONS, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_staff_without_a_device_get_no_token(client, organiser):
    response = _token_request(client, organiser, otp_code="123456")

    assert response.status_code == 403
    assert "登记码" in response.json()["detail"]
    assert not organiser.api_tokens.exists()


def test_coordinators_get_a_token_with_a_password(client, coordinator_a):
    assert _token_request(client, coordinator_a).status_code == 201


def test_tokens_from_before_the_requirement_work_only_while_the_owner_has_a_device(client, organiser):
    _token, key = api_token_create(user=organiser, name="旧系统")  # minted when OTP was not required
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    refused = client.get(NOMINATIONS, **headers)
    assert refused.status_code == 403 and "登记码" in refused.json()["detail"]

    TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)
    assert client.get(NOMINATIONS, **headers).status_code == 200


# --- enrolling a first authenticator ----------------------------------------------------------

def test_a_password_alone_cannot_enrol_an_authenticator(organiser):
    client = _password_login(organiser)

    page = client.get("/accounts/otp/setup/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "登记码" in html and "<svg" not in html  # asked for the code; no QR code, no secret
    assert not TOTPDevice.objects.filter(user=organiser).exists()
    wrong = client.post("/accounts/otp/setup/", {"enrolment_code": "AAAA-BBBB-CCCC"})
    assert "登记码不正确" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="accounts.user.otp_enrolment_code_failed", actor=organiser).exists()
    assert client.get(NOMINATIONS).status_code == 403


def test_a_password_alone_cannot_add_a_second_authenticator_either(organiser):
    TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)
    client = _password_login(organiser)

    html = client.get("/accounts/otp/setup/").content.decode()

    assert "登记码" in html and "<svg" not in html


def test_an_organiser_issues_a_code_once_and_the_person_enrols_with_it(organiser, bureau):
    issuer = _verified_login(bureau)
    edit = issuer.get(f"/accounts/manage/{organiser.pk}/").content.decode()
    assert "签发两步验证登记码" in edit
    confirm = issuer.get(f"/accounts/manage/{organiser.pk}/otp-code/")
    assert confirm.status_code == 200 and not OTPEnrolmentCode.objects.exists()

    shown = issuer.post(f"/accounts/manage/{organiser.pk}/otp-code/")

    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    code = shown.context["code"]
    assert code in shown.content.decode()
    record = OTPEnrolmentCode.objects.get(user=organiser)
    assert record.code_hash != code and code not in record.code_hash and record.issued_by == bureau
    assert AuditEntry.objects.filter(action="accounts.user.otp_enrolment_code_issued", actor=bureau,
                                     object_id=str(organiser.pk)).exists()

    # The person enters it, scans the QR code, confirms a first code: verified.
    client = _password_login(organiser)
    assert client.post("/accounts/otp/setup/", {"enrolment_code": code.lower()}).status_code == 302
    qr = client.get("/accounts/otp/setup/")
    assert "<svg" in qr.content.decode()
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    assert client.post("/accounts/otp/setup/", {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    record.refresh_from_db()
    assert record.used_at is not None
    assert client.get(NOMINATIONS).status_code == 200
    # Used once: it does not open the door again.
    other = _password_login(organiser)
    assert "登记码不正确" in other.post("/accounts/otp/setup/", {"enrolment_code": code}).content.decode()


def test_a_code_replaces_a_lost_phone(organiser, bureau):
    lost = TOTPDevice.objects.create(user=organiser, name="lost phone", confirmed=True)
    _record, code = otp_enrolment_code_issue(actor=bureau, user=organiser)
    client = _password_login(organiser)
    assert "手机丢失？使用登记码重新绑定" in client.get("/accounts/otp/verify/").content.decode()
    client.post("/accounts/otp/setup/", {"enrolment_code": code})
    client.get("/accounts/otp/setup/")
    new = TOTPDevice.objects.get(user=organiser, confirmed=False)

    client.post("/accounts/otp/setup/", {"token": _code(new)})

    assert list(TOTPDevice.objects.filter(user=organiser)) == [TOTPDevice.objects.get(pk=new.pk)]
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()


def test_nobody_issues_a_code_for_themselves(organiser):
    client = _verified_login(organiser)

    response = client.post(f"/accounts/manage/{organiser.pk}/otp-code/", follow=True)

    assert "不能为自己签发登记码" in response.content.decode()
    assert not OTPEnrolmentCode.objects.exists()


def test_an_expired_code_is_refused(organiser, bureau, settings):
    from datetime import timedelta

    from django.utils import timezone

    record, code = otp_enrolment_code_issue(actor=bureau, user=organiser)
    OTPEnrolmentCode.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = _password_login(organiser)

    assert "登记码不正确" in client.post("/accounts/otp/setup/", {"enrolment_code": code}).content.decode()


def test_coordinators_cannot_issue_codes(coordinator_a, organiser):
    client = Client()
    client.force_login(coordinator_a)

    assert client.post(f"/accounts/manage/{organiser.pk}/otp-code/").status_code == 403
    assert not OTPEnrolmentCode.objects.exists()


def test_the_server_administrator_issues_the_first_code(admin_user, capsys):
    call_command("otp_enrolment_code", "admin-t")

    code = capsys.readouterr().out.split()[0]
    assert OTPEnrolmentCode.objects.get(user=admin_user).code_hash == OTPEnrolmentCode.hash_code(code)
    assert AuditEntry.objects.filter(action="accounts.user.otp_enrolment_code_issued",
                                     object_id=str(admin_user.pk), actor_name="manage.py").exists()
