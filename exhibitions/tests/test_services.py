import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import State
from activities.tests.factories import ActivityFactory
from audit.models import AuditEntry
from core.exceptions import TransitionNotAllowed
from exhibitions import services
from exhibitions.models import Exhibition, Visit, VisitState
from exhibitions.tests.factories import StopFactory, VisitFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def book(slot, size, **kwargs):
    return services.visit_book(slot=slot, group_name="青岛二中", group_kind="school", group_size=size,
                               contact_name="王老师", contact_phone="13800138000", **kwargs)


def test_booking_stores_the_contact_encrypted_and_tells_the_base(slot_a, coordinator_a):
    visit = book(slot_a, 20)
    assert visit.state == VisitState.REQUESTED
    assert "13800138000" not in visit.contact_encrypted and "13800138000" not in visit.contact_masked
    assert services.visit_contact(visit) == "王老师 13800138000"
    assert Notification.objects.filter(recipient=coordinator_a, kind="exhibitions.visit.booked").exists()
    assert AuditEntry.objects.filter(action="exhibitions.visit.booked", object_id=str(visit.pk)).exists()


def test_the_second_booking_over_capacity_is_refused(slot_a):
    """Sequential on both databases: 30 + 30 > 50, the second is refused and nothing is stored."""
    book(slot_a, 30)
    with pytest.raises(ValidationError) as exc:
        book(slot_a, 30)
    assert "20" in " ".join(exc.value.messages)
    assert Visit.objects.filter(slot=slot_a).count() == 1
    book(slot_a, 20)  # exactly full is fine
    assert services.booked_places(slot_a.pk) == 50


def test_declined_and_cancelled_bookings_free_their_places(slot_a, organiser):
    first = book(slot_a, 40)
    services.visit_decline(actor=organiser, visit=first, reason="时段已满")
    book(slot_a, 50)
    assert services.booked_places(slot_a.pk) == 50


def test_booking_refuses_past_slots_and_bad_input(slot_a, settings):
    with pytest.raises(ValidationError) as exc:
        services.visit_book(slot=slot_a, group_name=" ", group_kind="school", group_size=0, contact_name="",
                            contact_phone="12")
    assert {"group_name", "group_size", "contact_name", "contact_phone"} <= set(exc.value.message_dict)
    settings.SCIDAY_CLOCK = "2022-05-26T10:00+08:00"
    with pytest.raises(ValidationError):
        book(slot_a, 5)


def test_a_coordinator_books_only_for_their_own_unit(slot_a, coordinator_a, unit_b):
    visit = book(slot_a, 5, actor=coordinator_a, unit=coordinator_a.unit_memberships.get().unit)
    assert visit.unit_id == coordinator_a.unit_memberships.get().unit_id
    with pytest.raises(PermissionDenied):
        book(slot_a, 5, actor=coordinator_a, unit=unit_b)
    assert Visit.objects.count() == 1


def test_transition_table_is_the_only_way(slot_a, organiser):
    visit = VisitFactory(slot=slot_a)
    with pytest.raises(TransitionNotAllowed):
        services.visit_no_show(actor=organiser, visit=visit)
    with pytest.raises(TransitionNotAllowed):
        services.visit_cancel(actor=organiser, visit=visit)
    visit = services.visit_confirm(actor=organiser, visit=visit)
    assert visit.state == VisitState.CONFIRMED and visit.decided_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.visit_decline(actor=organiser, visit=visit)
    assert services.visit_cancel(actor=organiser, visit=visit, reason="天气").state == VisitState.CANCELLED
    assert set(services.VISIT_TRANSITIONS.values()) == {
        VisitState.CONFIRMED, VisitState.DECLINED, VisitState.VISITED, VisitState.NO_SHOW, VisitState.CANCELLED}


def test_the_base_managing_unit_decides_other_units_may_not(slot_a, coordinator_a, coordinator_b):
    visit = VisitFactory(slot=slot_a)
    with pytest.raises(PermissionDenied):
        services.visit_confirm(actor=coordinator_b, visit=visit)
    visit.refresh_from_db()
    assert visit.state == VisitState.REQUESTED
    assert AuditEntry.objects.filter(action="permissions.denied", actor=coordinator_b,
                                     outcome=AuditEntry.Outcome.DENIED).exists()
    assert services.visit_confirm(actor=coordinator_a, visit=visit).state == VisitState.CONFIRMED


def test_the_booking_unit_may_cancel_but_not_confirm(slot_a, unit_b, coordinator_b):
    visit = VisitFactory(slot=slot_a, unit=unit_b)
    with pytest.raises(PermissionDenied):
        services.visit_confirm(actor=coordinator_b, visit=visit)
    Visit.objects.filter(pk=visit.pk).update(state=VisitState.CONFIRMED)
    assert services.visit_cancel(actor=coordinator_b, visit=visit).state == VisitState.CANCELLED


def test_check_in_works_with_the_code_on_the_visit_date_only(slot_a, organiser, settings):
    visit = services.visit_confirm(actor=organiser, visit=VisitFactory(slot=slot_a, group_size=30))
    code = services.visit_checkin_code(visit)
    found = services.visit_by_checkin_code(code)
    assert found == visit
    assert "2022-05-25" in services.checkin_refusal(found)
    with pytest.raises(ValidationError):
        services.visit_check_in(visit=found, visitors=28)
    settings.SCIDAY_CLOCK = "2022-05-25T09:10+08:00"
    visit = services.visit_check_in(visit=found, visitors=28)
    assert visit.state == VisitState.VISITED and visit.visitors == 28
    assert services.checkin_refusal(visit)  # once only
    assert services.visit_by_checkin_code(code[:-2] + "xx") is None
    settings.SCIDAY_CLOCK = "2022-05-26T09:10+08:00"
    assert services.checkin_refusal(services.visit_by_checkin_code(code))


def test_an_unconfirmed_booking_cannot_check_in(slot_a, settings):
    visit = VisitFactory(slot=slot_a)
    settings.SCIDAY_CLOCK = "2022-05-25T09:10+08:00"
    with pytest.raises(ValidationError):
        services.visit_check_in(visit=visit, visitors=3)
    visit.refresh_from_db()
    assert visit.state == VisitState.REQUESTED and visit.visitors is None


def test_slots_need_a_manager(base_a, coordinator_b, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.slot_create(actor=coordinator_b, base=base_a, date=datetime.date(2022, 5, 26),
                             starts_at=datetime.time(9), ends_at=datetime.time(10))
    slot = services.slot_create(actor=coordinator_a, base=base_a, date=datetime.date(2022, 5, 26),
                                starts_at=datetime.time(9), ends_at=datetime.time(10))
    assert slot.capacity == base_a.capacity_per_slot
    with pytest.raises(ValidationError):
        services.slot_create(actor=coordinator_a, base=base_a, date=datetime.date(2022, 5, 1),
                             starts_at=datetime.time(11), ends_at=datetime.time(10))


def test_seed_makes_the_two_exhibitions_once(qingdao):
    services.exhibitions_seed(campaign=qingdao)
    services.exhibitions_seed(campaign=qingdao)
    titles = set(Exhibition.objects.values_list("title", flat=True))
    assert titles == {"众心向党 自立自强——党领导下的科学家主题展", "榜样的力量——最美科技工作者风采展"}


def test_a_stop_links_only_an_approved_activity(qingdao, organiser, unit_a):
    exhibition = services.exhibitions_seed(campaign=qingdao)[0]
    draft = ActivityFactory(unit=unit_a)
    values = {"host_unit": unit_a, "venue": "展厅", "starts_on": datetime.date(2022, 5, 25),
              "ends_on": datetime.date(2022, 5, 28)}
    with pytest.raises(ValidationError):
        services.exhibition_stop_create(actor=organiser, exhibition=exhibition, activity=draft, **values)
    approved = ActivityFactory(unit=unit_a, state=State.APPROVED)
    stop = services.exhibition_stop_create(actor=organiser, exhibition=exhibition, activity=approved, **values)
    assert stop.activity == approved


def test_only_the_host_or_organisers_report_a_stop(unit_a, coordinator_a, coordinator_b, qingdao):
    stop = StopFactory(host_unit=unit_a)
    with pytest.raises(PermissionDenied):
        services.exhibition_stop_report(actor=coordinator_b, stop=stop, visitors=99)
    stop.refresh_from_db()
    assert stop.visitors is None
    assert services.exhibition_stop_report(actor=coordinator_a, stop=stop, visitors=120).visitors == 120


def test_demo_data_loads_once_with_bookings_in_several_states(qingdao):
    from io import StringIO

    from core.demo import load_units_and_accounts
    from exhibitions.demo import load_demo_data
    from exhibitions.models import EducationBase, ExhibitionStop

    load_units_and_accounts()
    out = StringIO()
    load_demo_data(out)
    assert EducationBase.objects.count() == 3
    assert all("演示" in b.name and b.managing_unit_id for b in EducationBase.objects.all())
    assert Exhibition.objects.count() == 2 and ExhibitionStop.objects.count() >= 4
    assert set(Visit.objects.values_list("state", flat=True)) == set(VisitState.values)
    assert services.visit_contact(Visit.objects.first()).startswith("张老师")
    load_demo_data(out)
    assert EducationBase.objects.count() == 3
