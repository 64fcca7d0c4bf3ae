import pytest
from django.core.exceptions import PermissionDenied

from accounts import permissions
from accounts.tests.factories import UserFactory
from audit.models import AuditEntry


def test_coordinators_reach_only_their_own_units(coordinator_a, unit_a, unit_b):
    assert permissions.can(coordinator_a, "unit.view", unit_a)
    assert permissions.can(coordinator_a, "unit.edit_contact", unit_a)
    assert not permissions.can(coordinator_a, "unit.view", unit_b)
    assert not permissions.can(coordinator_a, "unit.edit_contact", unit_b)
    assert not permissions.can(coordinator_a, "units.manage")
    assert not permissions.can(coordinator_a, "audit.view")
    assert not permissions.can(coordinator_a, "admin.site")


def test_office_staff_organise_but_do_not_administer_the_site(bureau, unit_a):
    assert permissions.is_organiser(bureau)
    assert permissions.can(bureau, "unit.view", unit_a)
    assert permissions.can(bureau, "units.manage")
    assert not permissions.can(bureau, "admin.site")


def test_a_deactivated_unit_is_out_of_its_coordinators_reach(coordinator_a, unit_a):
    unit_a.is_active = False
    unit_a.save()
    assert not permissions.can(coordinator_a, "unit.view", unit_a)


def test_inactive_and_anonymous_users_can_do_nothing(coordinator_a, unit_a, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "unit.view", unit_a)
    admin_user.is_active = False
    assert not permissions.can(admin_user, "admin.site")


def test_an_unknown_permission_is_an_error_not_a_grant(db):
    with pytest.raises(ValueError):
        permissions.can(UserFactory(is_superuser=True), "units.mange")


def test_a_denial_is_audited(coordinator_a, unit_b):
    with pytest.raises(PermissionDenied):
        permissions.require(coordinator_a, "unit.edit_contact", unit_b)
    entry = AuditEntry.objects.get(action="permissions.denied")
    assert entry.outcome == "denied"
    assert entry.object_id == str(unit_b.pk)
    assert entry.changes == {"permission": "unit.edit_contact"}
