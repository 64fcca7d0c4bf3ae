"""visible_or_404: another unit's object cannot be told from a missing one, and the denial is audited."""

import pytest
from django.http import Http404

from audit.models import AuditEntry
from core.shortcuts import visible_or_404


def test_an_object_the_user_may_see_is_returned(coordinator_a, unit_a):
    assert visible_or_404(coordinator_a, "unit.view", unit_a) == unit_a


def test_a_missing_object_is_404(coordinator_a):
    with pytest.raises(Http404):
        visible_or_404(coordinator_a, "unit.view", None)


def test_another_units_object_is_404_and_the_denial_is_audited(coordinator_a, unit_b):
    with pytest.raises(Http404):
        visible_or_404(coordinator_a, "unit.view", unit_b)
    denial = AuditEntry.objects.get(action="permissions.denied")
    assert denial.actor == coordinator_a and denial.outcome == AuditEntry.Outcome.DENIED
