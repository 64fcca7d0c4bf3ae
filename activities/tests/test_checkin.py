"""QR check-in: one person per phone (device cookie and number); the host's 补签, audited and counted apart."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities import selectors, services
from activities.models import CheckIn
from audit.models import AuditEntry


@pytest.fixture
def open_checkin(settings, ready_offline, coordinator_a, organiser):
    services.activity_submit(actor=coordinator_a, activity=ready_offline)
    activity = services.activity_approve(actor=organiser, activity=ready_offline)
    settings.SCIDAY_CLOCK = "2022-05-28T08:30+08:00"
    return activity


def test_one_device_checks_in_one_person(open_checkin):
    first, created = services.checkin_create(activity=open_checkin, name="王小明", phone="13811110001",
                                             device_id="phone-1")
    assert created
    again, created = services.checkin_create(activity=open_checkin, name="王小明", phone="13811110001",
                                             device_id="phone-1")
    assert again == first and not created
    with pytest.raises(ValidationError) as error:
        services.checkin_create(activity=open_checkin, name="李四", phone="13811110002", device_id="phone-1")
    assert error.value.code == "device" and "王小明" in error.value.messages[0]
    assert CheckIn.objects.count() == 1
    _, created = services.checkin_create(activity=open_checkin, name="李四", phone="13811110002", device_id="phone-2")
    assert created and CheckIn.objects.count() == 2


def test_the_same_number_from_another_device_counts_once(open_checkin):
    services.checkin_create(activity=open_checkin, name="王小明", phone="13811110001", device_id="phone-1")
    _, created = services.checkin_create(activity=open_checkin, name="王小明", phone="13811110001",
                                         device_id="phone-2")
    assert not created and CheckIn.objects.count() == 1


def test_the_host_adds_people_without_a_phone_audited_and_counted_apart(open_checkin, coordinator_a):
    services.checkin_create(activity=open_checkin, name="王小明", phone="13811110001", device_id="phone-1")
    services.checkin_add_manual(actor=coordinator_a, activity=open_checkin, name="赵五")
    services.checkin_add_manual(actor=coordinator_a, activity=open_checkin, name="钱六")
    assert selectors.checkin_counts(open_checkin) == {"qr": 1, "manual": 2, "total": 3}
    manual = CheckIn.objects.filter(is_manual=True)
    assert {c.name for c in manual} == {"赵五", "钱六"} and all(c.added_by == coordinator_a for c in manual)
    assert AuditEntry.objects.filter(action="activities.checkin.added", actor=coordinator_a).count() == 2
    with pytest.raises(ValidationError):
        services.checkin_add_manual(actor=coordinator_a, activity=open_checkin, name="王小明", phone="13811110001")
    with pytest.raises(ValidationError):
        services.checkin_add_manual(actor=coordinator_a, activity=open_checkin, name="  ")
    assert CheckIn.objects.count() == 3


def test_another_unit_cannot_add_to_the_list(open_checkin, coordinator_b):
    with pytest.raises(PermissionDenied):
        services.checkin_add_manual(actor=coordinator_b, activity=open_checkin, name="赵五")
    assert not CheckIn.objects.exists()


def test_the_check_in_page_keeps_a_device_cookie_and_asks_for_the_name(client, open_checkin):
    url = reverse("activities:checkin", args=[services.checkin_code(open_checkin)])
    page = client.get(url)
    assert "sciday_device" in page.cookies
    assert "姓名" in page.content.decode()
    assert "checkin-done" in client.post(url, {"name": "王小明", "phone": "13811110001"}).content.decode()
    second = client.post(url, {"name": "李四", "phone": "13811110002"}).content.decode()
    assert "checkin-device-used" in second and "checkin-done" not in second
    assert CheckIn.objects.count() == 1


def test_the_host_adds_a_participant_on_the_check_in_list(login, open_checkin, coordinator_a):
    client = login(coordinator_a)
    url = reverse("activities:checkin_manage", args=[open_checkin.pk])
    response = client.post(url, {"operation": "add", "m-name": "赵五", "m-phone": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "赵五" in page and 'data-testid="checkin-manual"' in page
    assert CheckIn.objects.get().is_manual


def test_a_new_phone_is_checked_in_with_one_insert(open_checkin):
    """The usual check-in (a new number from a new device) is one INSERT: the unique constraints decide, the
    lookups run only when one of them refuses."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _, created = services.checkin_create(activity=open_checkin, name="王小明", phone="13811110001",
                                             device_id="phone-1")
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert created and len(statements) == 1 and statements[0].upper().startswith("INSERT")
