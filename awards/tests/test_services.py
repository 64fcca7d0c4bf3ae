"""The selection's rules: working days, quota, duplicates, completeness, conflicts, scoring, notice, release."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from audit.models import AuditEntry
from awards import personal, selectors, services
from awards.models import Assignment, Nomination, Objection, Selection
from awards.tests.factories import NominationFactory, expert, valid_id
from calendars.workdays import add_working_days, is_working_day
from core.exceptions import TransitionNotAllowed

S = Nomination.Status


@pytest.mark.django_db
def test_a_notice_over_the_dragon_boat_festival_ends_on_the_right_working_day():
    assert not is_working_day(datetime.date(2022, 6, 3))  # 端午节
    assert add_working_days(datetime.date(2022, 6, 1), 5) == datetime.date(2022, 6, 8)


@pytest.mark.django_db
def test_a_notice_over_a_weekend_skips_saturday_and_sunday():
    assert add_working_days(datetime.date(2022, 5, 19), 5) == datetime.date(2022, 5, 25)
    assert add_working_days(datetime.date(2022, 5, 21), 1) == datetime.date(2022, 5, 23)


@pytest.mark.django_db
def test_adjusted_working_days_count_and_the_2023_calendar_is_loaded():
    assert is_working_day(datetime.date(2022, 5, 7))  # a Saturday of 劳动节调休
    assert add_working_days(datetime.date(2022, 4, 28), 5) == datetime.date(2022, 5, 7)
    assert not is_working_day(datetime.date(2023, 6, 22)) and is_working_day(datetime.date(2023, 6, 25))


def test_masks_show_only_the_ends():
    assert personal.mask_mobile("13812341234") == "138****1234"
    assert personal.mask_id_number("370202198001011234") == "3702**********1234"


def _data(name="李明"):
    return {"name": name, "gender": "male", "birth_date": datetime.date(1984, 1, 1)}


def test_the_quota_is_enforced_by_the_server_and_a_refusal_creates_nothing(selection, coordinator_a, unit_a):
    selection.default_quota = 1
    selection.save()
    services.nomination_create(actor=coordinator_a, selection=selection, unit=unit_a, data=_data(),
                               id_number=valid_id(1), mobile="13812341234")
    with pytest.raises(ValidationError) as error:
        services.nomination_create(actor=coordinator_a, selection=selection, unit=unit_a, data=_data("王芳"),
                                   id_number=valid_id(2))
    assert error.value.code == "quota"
    assert Nomination.objects.count() == 1


def test_a_unit_quota_overrides_the_default(selection, coordinator_a, unit_a, organiser):
    services.quota_set(actor=organiser, selection=selection, unit=unit_a, quota=3)
    assert selectors.unit_quota(selection, unit_a) == 3
    with pytest.raises(PermissionDenied):
        services.quota_set(actor=coordinator_a, selection=selection, unit=unit_a, quota=9)
    assert selectors.unit_quota(selection, unit_a) == 3


def test_the_same_person_cannot_be_nominated_twice(selection, coordinator_a, unit_a, coordinator_b, unit_b):
    services.nomination_create(actor=coordinator_a, selection=selection, unit=unit_a, data=_data(),
                               id_number=valid_id(5))
    with pytest.raises(ValidationError) as error:
        services.nomination_create(actor=coordinator_b, selection=selection, unit=unit_b, data=_data(),
                                   id_number=valid_id(5).lower())
    assert "id_number" in error.value.error_dict


def test_the_id_number_and_mobile_are_stored_encrypted(selection, coordinator_a, unit_a):
    nomination = services.nomination_create(actor=coordinator_a, selection=selection, unit=unit_a, data=_data(),
                                            id_number=valid_id(7), mobile="13912345678")
    row = Nomination.objects.filter(pk=nomination.pk).values().get()
    assert valid_id(7) not in str(row) and "13912345678" not in str(row)
    assert personal.nominee_id_number(nomination) == personal.mask_id_number(valid_id(7))


def test_an_incomplete_nomination_cannot_be_submitted_and_says_what_is_missing(selection, coordinator_a, unit_a):
    nomination = services.nomination_create(actor=coordinator_a, selection=selection, unit=unit_a, data=_data())
    with pytest.raises(ValidationError) as error:
        services.nomination_transition(actor=coordinator_a, nomination=nomination, action="submit")
    assert any("ID" in m or "身份证" in m for m in error.value.messages)
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT


def test_eligibility_rules_refuse_an_official_and_a_previous_winner(selection, coordinator_a, unit_a, qingdao):
    from awards.tests.factories import SelectionFactory
    from campaigns.tests.factories import CampaignFactory

    old = SelectionFactory(campaign=CampaignFactory(year=2021))
    NominationFactory(selection=old, status=S.WINNER, id_number=valid_id(40))
    nomination = NominationFactory(selection=selection, unit=unit_a, id_number=valid_id(40), is_senior_official=True)
    problems = selectors.eligibility_problems(nomination)
    assert len(problems) == 2
    with pytest.raises(ValidationError):
        services.nomination_transition(actor=coordinator_a, nomination=nomination, action="submit")


def test_submit_return_resubmit_pass_with_reasons(selection, coordinator_a, unit_a, organiser, coordinator_b):
    nomination = NominationFactory(selection=selection, unit=unit_a)
    services.nomination_transition(actor=coordinator_a, nomination=nomination, action="submit")
    with pytest.raises(ValidationError):
        services.nomination_transition(actor=organiser, nomination=nomination, action="return")
    with pytest.raises(PermissionDenied):
        services.nomination_transition(actor=coordinator_b, nomination=nomination, action="withdraw")
    services.nomination_transition(actor=organiser, nomination=nomination, action="return", reason="缺少获奖证书")
    nomination.refresh_from_db()
    assert nomination.status == S.RETURNED and nomination.return_reason == "缺少获奖证书"
    services.nomination_transition(actor=coordinator_a, nomination=nomination, action="submit")
    services.nomination_transition(actor=organiser, nomination=nomination, action="pass")
    with pytest.raises(TransitionNotAllowed):
        services.nomination_transition(actor=coordinator_a, nomination=nomination, action="withdraw")
    assert AuditEntry.objects.filter(action__startswith="awards.nomination.", object_id=str(nomination.pk)).count() == 4


def test_an_expert_of_the_nominees_unit_is_never_assigned(selection, organiser, unit_a, unit_b, coordinator_a):
    nomination = NominationFactory(selection=selection, unit=unit_a, status=S.ELIGIBLE)
    colleague = expert("expert-a", unit=unit_a)
    with pytest.raises(ValidationError) as error:
        services.assignments_create(actor=organiser, expert=colleague, nominations=[nomination])
    assert error.value.code == "conflict"
    coordinator_a.is_expert = True
    coordinator_a.save()
    with pytest.raises(ValidationError):
        services.assignments_create(actor=organiser, expert=coordinator_a, nominations=[nomination])
    assert not Assignment.objects.exists()
    other = expert("expert-b", unit=unit_b)
    assert len(services.assignments_create(actor=organiser, expert=other, nominations=[nomination])) == 1


def test_an_expert_can_decline_and_cannot_score_someone_elses_assignment(selection, organiser, unit_a):
    nomination = NominationFactory(selection=selection, unit=unit_a, status=S.ELIGIBLE)
    one, two = expert("e1"), expert("e2")
    a1, = services.assignments_create(actor=organiser, expert=one, nominations=[nomination])
    with pytest.raises(PermissionDenied):
        services.assignment_score(actor=two, assignment=a1, scores={}, comment="")
    services.assignment_decline(actor=one, assignment=a1, reason="曾与被推荐人合作")
    a1.refresh_from_db()
    assert a1.status == Assignment.Status.DECLINED


def _score(organiser, nomination, experts_totals):
    criteria = list(nomination.selection.criteria.all())
    for i, total in enumerate(experts_totals):
        e = expert(f"x{nomination.pk}-{i}")
        a, = services.assignments_create(actor=organiser, expert=e, nominations=[nomination])
        services.assignment_score(actor=e, assignment=a, scores={criteria[0].pk: Decimal(total) - 30,
                                                                 criteria[1].pk: Decimal(30)})


def test_the_ranking_averages_the_experts_totals_drops_extremes_and_shows_ties(selection, organiser):
    selection.drop_extremes = True
    selection.save()
    a = NominationFactory(selection=selection, status=S.ELIGIBLE, name="甲")
    b = NominationFactory(selection=selection, status=S.ELIGIBLE, name="乙")
    c = NominationFactory(selection=selection, status=S.ELIGIBLE, name="丙")
    _score(organiser, a, [90, 80, 80, 80, 31])  # 31 and 90 dropped → 80
    _score(organiser, b, [80])
    _score(organiser, c, [85, 86])
    rows = selectors.ranking(selection)
    assert [(r.nomination.name, r.score, r.rank, r.tied) for r in rows] == [
        ("丙", Decimal("85.50"), 1, False), ("甲", Decimal("80.00"), 2, True), ("乙", Decimal("80.00"), 2, True)]


def test_a_score_above_the_maximum_is_refused(selection, organiser):
    nomination = NominationFactory(selection=selection, status=S.ELIGIBLE)
    e = expert()
    a, = services.assignments_create(actor=organiser, expert=e, nominations=[nomination])
    criteria = list(selection.criteria.all())
    with pytest.raises(ValidationError):
        services.assignment_score(actor=e, assignment=a, scores={criteria[0].pk: 61, criteria[1].pk: 1})
    assert not a.scores.exists()


def test_departing_from_the_ranking_needs_an_audited_reason(selection, organiser):
    a = NominationFactory(selection=selection, status=S.ELIGIBLE)
    b = NominationFactory(selection=selection, status=S.ELIGIBLE)
    _score(organiser, a, [90])
    _score(organiser, b, [70])
    with pytest.raises(ValidationError):
        services.selection_decide(actor=organiser, selection=selection, finalist_ids=[b.pk])
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[b.pk], reason="甲已获省级表彰")
    entry = AuditEntry.objects.get(action="awards.selection.decided")
    assert entry.changes["departs"] is True and entry.changes["reason"] == "甲已获省级表彰"
    b.refresh_from_db()
    assert b.status == S.FINALIST


def _to_notice(selection, organiser, settings):
    a = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张三")
    _score(organiser, a, [90])
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk])
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2022, 6, 1), text="公示")
    selection.refresh_from_db()
    a.refresh_from_db()
    return a


def test_notice_objection_and_release(selection, organiser, settings):
    a = _to_notice(selection, organiser, settings)
    assert selection.notice_end == datetime.date(2022, 6, 8)
    objection = services.objection_file(selection=selection, nomination=a, name="王五", phone="13700001111",
                                        facts="论文署名有争议")
    assert "13700001111" not in Objection.objects.filter(pk=objection.pk).values_list(
        "phone_encrypted", flat=True).get()
    with pytest.raises(ValidationError):
        services.selection_release(actor=organiser, selection=selection, announcement="发布")
    services.objection_decide(actor=organiser, objection=objection, outcome="not_upheld", investigation="经核实无误")
    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    with pytest.raises(ValidationError):
        services.objection_file(selection=selection, nomination=a, name="赵六", phone="13700001112", facts="晚了")
    winners = services.selection_release(actor=organiser, selection=selection, announcement="发布")
    assert winners == [a]
    a.refresh_from_db()
    assert a.status == S.WINNER and a.id_photo.is_public
    assert Selection.objects.get(pk=selection.pk).stage == Selection.Stage.RELEASED


def test_an_upheld_objection_drops_the_finalist(selection, organiser, settings):
    a = _to_notice(selection, organiser, settings)
    objection = services.objection_file(selection=selection, nomination=a, name="王五", phone="13700001111",
                                        facts="学术不端")
    services.objection_decide(actor=organiser, objection=objection, outcome="upheld", investigation="属实")
    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    assert services.selection_release(actor=organiser, selection=selection, announcement="发布") == []
    a.refresh_from_db()
    assert a.status == S.DROPPED


def test_the_release_waits_for_the_end_of_the_notice(selection, organiser, settings):
    _to_notice(selection, organiser, settings)
    settings.SCIDAY_CLOCK = "2022-06-08T10:00+08:00"
    with pytest.raises(ValidationError):
        services.selection_release(actor=organiser, selection=selection, announcement="发布")


def test_anonymise_keeps_a_consenting_winners_profile_only(selection, settings):
    kept = NominationFactory(selection=selection, status=S.WINNER, consent_publish=True, name="留")
    gone = NominationFactory(selection=selection, status=S.WINNER, consent_publish=False, name="去")
    other = NominationFactory(selection=selection, status=S.ELIGIBLE, name="落选")
    selection.stage, selection.released_at = Selection.Stage.RELEASED, datetime.datetime(
        2022, 6, 10, tzinfo=datetime.UTC)
    selection.save()
    settings.SCIDAY_CLOCK = "2022-07-01T10:00+08:00"
    call_command("awards_anonymise", days=365)
    assert not Nomination.objects.filter(anonymised_at__isnull=False).exists()
    settings.SCIDAY_CLOCK = "2023-07-01T10:00+08:00"
    call_command("awards_anonymise", days=365)
    kept.refresh_from_db(), gone.refresh_from_db(), other.refresh_from_db()
    assert kept.name == "留" and kept.status == S.WINNER and not kept.id_number_encrypted and not kept.mobile_encrypted
    assert kept.id_photo_id and kept.consent_id is None
    assert gone.name != "去" and gone.status == S.DROPPED and gone.id_photo_id is None
    assert other.name != "落选" and not other.id_hash


def test_a_2027_notice_is_refused_until_the_2027_holidays_are_entered_then_accepted(selection, organiser, settings):
    from calendars.models import CalendarYear
    from calendars.services import year_paste

    assert not CalendarYear.objects.filter(year=2027).exists()  # chinesecalendar 1.11 stops at 2026
    a = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张三")
    _score(organiser, a, [90])
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk])
    settings.SCIDAY_CLOCK = "2027-06-01T10:00+08:00"
    with pytest.raises(ValidationError) as refused:
        services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2027, 6, 7), text="公示")
    assert "2027年节假日安排尚未录入" in refused.value.messages[0]
    selection.refresh_from_db()
    assert selection.stage == Selection.Stage.OPEN and selection.notice_end is None  # nothing changed

    year_paste(actor=organiser, year=2027, text="三、端午节：6月9日（周三）放假，共1天。")
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2027, 6, 7), text="公示")
    selection.refresh_from_db()
    # 7, 8, (9 端午节), 10, 11, (weekend), 14
    assert selection.stage == Selection.Stage.NOTICE and selection.notice_end == datetime.date(2027, 6, 14)
