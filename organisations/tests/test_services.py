"""The unit services: who may change what, what is validated, and that every change is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from organisations import services
from organisations.models import District, Unit, UnitType


def _audits(action):
    return AuditEntry.objects.filter(action=action)


def test_organiser_creates_a_unit_and_it_is_audited(organiser):
    # given a district
    laoshan = District.objects.get(code="laoshan")
    # when an organiser creates a district association there
    unit = services.unit_create(actor=organiser, name="崂山区科协", unit_type=UnitType.DISTRICT_ASSOCIATION,
                                district=laoshan, contact_person="李老师", phone="0532-88996677",
                                email="ls@example.com")
    # then it exists, and the audit names it with its fields
    assert Unit.objects.get(name="崂山区科协").district == laoshan
    entry = _audits("organisations.unit.created").get()
    assert entry.object_id == str(unit.pk)
    assert entry.actor == organiser
    assert entry.changes["district"] == laoshan.pk


def test_create_strips_spaces_in_phone_numbers(organiser):
    unit = services.unit_create(actor=organiser, name="某学会", unit_type=UnitType.SOCIETY, phone="138 0013 8000")
    assert unit.phone == "13800138000"


@pytest.mark.parametrize("phone", ["13800138000", "0532-85916831", "85916831", "053285916831", "0532-85916831-808"])
def test_valid_phone_numbers(phone):
    assert services.phone_is_valid(phone)


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "abc", "0532-123", "+1 555 1234", "138001380001"])
def test_invalid_phone_numbers(phone):
    assert not services.phone_is_valid(phone)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": "  "}, "name"),
    ({"name": "市南区科协"}, "name"),  # taken by unit_a
    ({"unit_type": "nonsense"}, "unit_type"),
    ({"unit_type": UnitType.DISTRICT_BUREAU, "district": None}, "district"),
    ({"phone": "12345"}, "phone"),
    ({"email": "not-an-email"}, "email"),
])
def test_create_refuses_bad_input_and_writes_nothing(organiser, unit_a, kwargs, field):
    # given a valid set of fields with one bad value
    values = {"name": "新单位", "unit_type": UnitType.SOCIETY, "district": None} | kwargs
    before = Unit.objects.count()
    # when the organiser tries to create it
    with pytest.raises(ValidationError) as raised:
        services.unit_create(actor=organiser, **values)
    # then the bad field is named and nothing was written
    assert field in raised.value.error_dict
    assert Unit.objects.count() == before
    assert not _audits("organisations.unit.created").exists()


def test_coordinator_cannot_create_a_unit(coordinator_a):
    before = Unit.objects.count()
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=coordinator_a, name="偷偷建的单位", unit_type=UnitType.SOCIETY)
    assert Unit.objects.count() == before
    assert _audits("permissions.denied").filter(actor=coordinator_a).exists()


def test_organiser_updates_a_unit_and_the_audit_lists_the_changed_fields(organiser, unit_a):
    # when the organiser renames the unit and changes its phone
    services.unit_update(actor=organiser, unit=unit_a, name="市南区科学技术协会", phone="0532-85916831",
                         contact_person=unit_a.contact_person)
    # then both changed and only they are in the audit entry
    unit_a.refresh_from_db()
    assert unit_a.name == "市南区科学技术协会"
    entry = _audits("organisations.unit.updated").get()
    assert entry.changes == {"name": ["市南区科协", "市南区科学技术协会"], "phone": ["13800138000", "0532-85916831"]}


def test_update_without_changes_writes_no_audit(organiser, unit_a):
    services.unit_update(actor=organiser, unit=unit_a, name=unit_a.name)
    assert not _audits("organisations.unit.updated").exists()


def test_update_cannot_drop_the_district_of_a_district_unit(organiser, unit_a):
    with pytest.raises(ValidationError) as raised:
        services.unit_update(actor=organiser, unit=unit_a, district=None)
    assert "district" in raised.value.error_dict
    unit_a.refresh_from_db()
    assert unit_a.district is not None


def test_update_refuses_a_name_another_unit_has(organiser, unit_a, unit_b):
    with pytest.raises(ValidationError):
        services.unit_update(actor=organiser, unit=unit_a, name=unit_b.name)
    unit_a.refresh_from_db()
    assert unit_a.name == "市南区科协"


def test_coordinator_updates_the_contact_details_of_their_unit(coordinator_a, unit_a):
    services.unit_update(actor=coordinator_a, unit=unit_a, contact_person="王馨", phone="85916831",
                         email="a@example.com")
    unit_a.refresh_from_db()
    assert (unit_a.contact_person, unit_a.phone, unit_a.email) == ("王馨", "85916831", "a@example.com")
    assert _audits("organisations.unit.updated").get().actor == coordinator_a


def test_coordinator_cannot_rename_their_own_unit(coordinator_a, unit_a):
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=coordinator_a, unit=unit_a, name="改名", contact_person="王馨")
    unit_a.refresh_from_db()
    assert unit_a.name == "市南区科协"
    assert unit_a.contact_person == "张老师"
    assert not _audits("organisations.unit.updated").exists()


def test_coordinator_cannot_edit_another_units_contact(coordinator_a, unit_b):
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=coordinator_a, unit=unit_b, contact_person="冒名")
    unit_b.refresh_from_db()
    assert unit_b.contact_person == "张老师"
    assert not _audits("organisations.unit.updated").exists()


def test_deactivate_and_reactivate_are_audited(organiser, unit_a):
    services.unit_deactivate(actor=organiser, unit=unit_a)
    unit_a.refresh_from_db()
    assert not unit_a.is_active
    services.unit_reactivate(actor=organiser, unit=unit_a)
    unit_a.refresh_from_db()
    assert unit_a.is_active
    assert _audits("organisations.unit.deactivated").count() == 1
    assert _audits("organisations.unit.reactivated").count() == 1


def test_deactivating_twice_is_refused(organiser, unit_a):
    services.unit_deactivate(actor=organiser, unit=unit_a)
    with pytest.raises(ValidationError):
        services.unit_deactivate(actor=organiser, unit=unit_a)
    assert _audits("organisations.unit.deactivated").count() == 1


def test_coordinator_cannot_deactivate_their_unit(coordinator_a, unit_a):
    with pytest.raises(PermissionDenied):
        services.unit_deactivate(actor=coordinator_a, unit=unit_a)
    unit_a.refresh_from_db()
    assert unit_a.is_active
    assert not _audits("organisations.unit.deactivated").exists()
