"""The request machine, matching, records and hours: only confirmed hours count; denials change nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from core.exceptions import TransitionNotAllowed
from notifications.models import Notification
from organisations.models import District
from volunteering import selectors, services
from volunteering.models import RequestStatus, ServiceHours, ServiceRecord, ServiceRequest

from .factories import ServiceRequestFactory, field_named, programme_coded

CLOCK = "2022-05-20T10:00+08:00"


def _submit(**overrides):
    data = {"requester_kind": "community", "organisation": "八大湖街道社区", "need": "科普进社区：防范电信诈骗讲座",
            "field": field_named(), "district": District.objects.get(code="shinan"), "contact_name": "李主任",
            "contact_phone": "13700001111", "consent": True, "programme": programme_coded()}
    data.update(overrides)
    return services.request_submit(**data)


def test_a_request_goes_from_submitted_to_confirmed_and_only_confirmed_hours_count(
        settings, organiser, coord_sa, team_a, team_b):
    settings.SCIDAY_CLOCK = CLOCK
    req, code = _submit()
    assert req.status == RequestStatus.SUBMITTED and len(code) == 14
    assert req.contact_encrypted and "13700001111" not in req.contact_encrypted
    assert req.receipt_digest != code and req.contact_masked == "137****1111"

    suggestions = selectors.suggest_teams(request=req)
    assert [t.name for t, _r in suggestions] == ["医学科普服务团", "计算机科普服务团"]
    assert suggestions[0][1] == "领域匹配：科普教育；服务区域包含：市南区"

    services.request_transition(actor=coord_sa, request=req, action="match", team=team_a)
    services.request_transition(actor=coord_sa, request=req, action="schedule", scheduled_for=date(2022, 5, 20))
    members = list(team_a.members.order_by("name"))
    record = services.record_create(actor=coord_sa, team=team_a, request=req, date=date(2022, 5, 20),
                                    place="八大湖街道党群服务中心", beneficiaries=45, beneficiary_kind="老年居民",
                                    attendance=[(v, Decimal("3")) for v in members])
    req.refresh_from_db()
    assert req.status == RequestStatus.SERVED and record.programme == programme_coded()
    hours = list(record.hours.order_by("volunteer__name"))
    assert services.hours_confirm(actor=coord_sa, record=record, hour_ids=[hours[0].pk, hours[1].pk]) == 2
    services.request_requester_confirm(request=req, receipt_code=code.lower())
    req.refresh_from_db()
    assert req.status == RequestStatus.CONFIRMED

    team = selectors.team_get(pk=team_a.pk)
    assert team.confirmed_hours == Decimal("6") and team.record_count == 1 and team.member_count == 3
    programme = next(p for p in selectors.programmes_with_totals() if p.code == "silver-bell")
    assert programme.confirmed_hours == Decimal("6") and programme.beneficiary_total == 45
    totals = {v.name: selectors.volunteer_total(volunteer=v) for v in members}
    assert sorted(totals.values()) == [Decimal("0"), Decimal("3"), Decimal("3")]
    assert [e.to_status for e in req.events.all()] == ["submitted", "matched", "scheduled", "served", "confirmed"]
    assert AuditEntry.objects.filter(object_id=str(req.pk), action__startswith="volunteering.request.").count() == 5
    assert Notification.objects.filter(recipient=coord_sa, kind__startswith="volunteering.request.").exists()
    assert Notification.objects.filter(recipient=organiser, kind="volunteering.request.submitted").exists()
    rows = selectors.report_rows(user=organiser, by="team")
    assert rows == [{"name": "医学科普服务团", "services": 1, "beneficiaries": 45, "volunteers": 2,
                     "hours": Decimal("6.0")}]


def test_another_units_coordinator_cannot_act_for_the_team_and_nothing_changes(coord_sb, coord_sa, team_a):
    req = ServiceRequestFactory()
    with pytest.raises(PermissionDenied):
        services.request_transition(actor=coord_sb, request=req, action="match", team=team_a)
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED and req.team is None
    services.request_transition(actor=coord_sa, request=req, action="match", team=team_a)
    with pytest.raises(PermissionDenied):
        services.request_transition(actor=coord_sb, request=req, action="schedule", scheduled_for=date(2022, 5, 20))
    with pytest.raises(PermissionDenied):
        services.record_create(actor=coord_sb, team=team_a, date=date(2022, 5, 1), place="x",
                               attendance=[(team_a.leader, 2)])
    record = ServiceRecord.objects.create(team=team_a, date=date(2022, 5, 1), place="x")
    hours = ServiceHours.objects.create(record=record, volunteer=team_a.leader, hours=2)
    with pytest.raises(PermissionDenied):
        services.hours_confirm(actor=coord_sb, record=record, hour_ids=[hours.pk])
    hours.refresh_from_db()
    req.refresh_from_db()
    assert req.status == RequestStatus.MATCHED and hours.confirmed_at is None
    assert AuditEntry.objects.filter(actor=coord_sb, outcome=AuditEntry.Outcome.DENIED).count() == 4


def test_a_move_not_in_the_table_is_refused_with_a_chinese_reason(coord_sa, team_a, organiser):
    req = ServiceRequestFactory(status=RequestStatus.MATCHED, team=team_a)
    with pytest.raises(TransitionNotAllowed) as error:
        services.request_transition(actor=organiser, request=req, action="confirm")
    assert "已对接" in error.value.message
    with pytest.raises(ValidationError):
        services.request_transition(actor=coord_sa, request=req, action="close", note="")
    services.request_transition(actor=coord_sa, request=req, action="close", note="社区取消活动")
    req.refresh_from_db()
    assert req.status == RequestStatus.CLOSED and req.close_reason == "社区取消活动"


def test_a_wrong_receipt_code_confirms_nothing(team_a):
    req = ServiceRequestFactory(status=RequestStatus.SERVED, team=team_a, receipt="ABCD-EFGH-JKMN")
    with pytest.raises(PermissionDenied):
        services.request_requester_confirm(request=req, receipt_code="ABCD-EFGH-XXXX")
    req.refresh_from_db()
    assert req.status == RequestStatus.SERVED


def test_public_submission_needs_consent_and_valid_contact(qingdao):
    with pytest.raises(ValidationError):
        _submit(consent=False)
    with pytest.raises(ValidationError) as error:
        _submit(contact_phone="abc")
    assert "contact_phone" in error.value.message_dict
    assert not ServiceRequest.objects.exists()


def test_hours_must_be_sensible_and_the_date_not_in_the_future(settings, coord_sa, team_a):
    settings.SCIDAY_CLOCK = CLOCK
    with pytest.raises(ValidationError):
        services.record_create(actor=coord_sa, team=team_a, date=date(2022, 5, 21), place="x",
                               attendance=[(team_a.leader, 2)])
    with pytest.raises(ValidationError):
        services.record_create(actor=coord_sa, team=team_a, date=date(2022, 5, 19), place="x",
                               attendance=[(team_a.leader, 30)])
    assert not ServiceRecord.objects.exists()


def test_a_team_is_formed_by_its_units_coordinator_only(coord_sa, coord_sb, society_a):
    fields, districts = [field_named()], list(District.objects.filter(code="shinan"))
    with pytest.raises(PermissionDenied):
        services.team_create(actor=coord_sb, unit=society_a, name="冒名服务团", fields=fields, districts=districts)
    team = services.team_create(actor=coord_sa, unit=society_a, name="医学服务团", fields=fields,
                                districts=districts)
    assert list(team.fields.all()) == fields
