"""#11 item 3: the exhibitions service holds the booking, check-in and slot forms' rules (the API's schemas
repeat some of them, but the service is the one that must hold)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from exhibitions import services
from exhibitions.models import BaseSlot, Visit, VisitState
from exhibitions.services import MAX_GROUP_SIZE

pytestmark = pytest.mark.django_db


def _book(slot, **overrides):
    values = {"group_name": "青岛二中", "group_kind": "school", "group_size": 30, "contact_name": "王老师",
              "contact_phone": "13800138000"} | overrides
    return services.visit_book(slot=slot, **values)


@pytest.mark.parametrize("overrides", [{"group_size": MAX_GROUP_SIZE + 1}, {"group_kind": "army"}])
def test_a_booking_the_form_would_refuse_is_refused_by_the_service(slot_a, overrides):
    with pytest.raises(ValidationError) as error:
        _book(slot_a, **overrides)
    assert set(error.value.message_dict) == set(overrides)
    assert not Visit.objects.exists()


def test_a_slot_needs_room_for_one_visitor(base_a, organiser, clock):
    with pytest.raises(ValidationError) as error:
        services.slot_create(actor=organiser, base=base_a, date=datetime.date(2022, 6, 1),
                             starts_at=datetime.time(9), ends_at=datetime.time(10), capacity=-5)
    assert "capacity" in error.value.message_dict
    assert not BaseSlot.objects.filter(starts_at=datetime.time(9), date=datetime.date(2022, 6, 1)).exists()


def test_a_check_in_of_more_visitors_than_a_group_holds_is_refused(slot_a, organiser, settings):
    visit = services.visit_confirm(actor=organiser, visit=_book(slot_a))
    settings.SCIDAY_CLOCK = "2022-05-25T09:10+08:00"
    with pytest.raises(ValidationError) as error:
        services.visit_check_in(visit=visit, visitors=MAX_GROUP_SIZE + 1)
    assert "visitors" in error.value.message_dict
    visit.refresh_from_db()
    assert visit.visitors is None and visit.state == VisitState.CONFIRMED


def test_a_stop_report_cannot_count_negative_visitors(organiser):
    from exhibitions.tests.factories import StopFactory

    stop = StopFactory()
    with pytest.raises(ValidationError):
        services.exhibition_stop_report(actor=organiser, stop=stop, visitors=-3)
    stop.refresh_from_db()
    assert stop.visitors is None
