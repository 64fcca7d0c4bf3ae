"""TOTP for staff: with SCIDAY_REQUIRE_STAFF_OTP on, organisers must pass a code after the password."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import otp_enrolment_code_issue


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp delays the next try after a wrong code (good in production, slow in a test).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_organisers_are_sent_to_enrol_then_verify(settings, client, organiser, password):
    settings.SCIDAY_REQUIRE_STAFF_OTP = True
    client.post("/accounts/login/", {"username": "organiser-t", "password": password})
    response = client.get("/workbench/")
    assert response.status_code == 302 and response.url == "/accounts/otp/verify/"
    # No device yet: the verify page sends the user to enrol one, which needs an enrolment code.
    response = client.get("/accounts/otp/verify/")
    assert response.url == "/accounts/otp/setup/"
    _record, code = otp_enrolment_code_issue(actor=None, user=organiser)
    client.post("/accounts/otp/setup/", {"enrolment_code": code})
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=organiser)
    assert not device.confirmed
    response = client.post("/accounts/otp/setup/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert response.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    response = client.post("/accounts/otp/setup/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/workbench/").status_code == 200


def test_a_wrong_code_keeps_the_door_shut_and_is_audited(settings, client, organiser, password):
    from audit.models import AuditEntry

    settings.SCIDAY_REQUIRE_STAFF_OTP = True
    device = TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "organiser-t", "password": password})
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post("/accounts/otp/verify/", {"token": wrong})
    assert client.get("/workbench/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user.totp_failed", outcome="failure").exists()
    client.post("/accounts/otp/verify/", {"token": _code(device)})
    assert client.get("/workbench/").status_code == 200


def test_coordinators_are_not_asked_for_a_code(settings, client, coordinator_a, password):
    settings.SCIDAY_REQUIRE_STAFF_OTP = True
    client.post("/accounts/login/", {"username": "coord-a", "password": password})
    assert client.get("/workbench/").status_code == 200
