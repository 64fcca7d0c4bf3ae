import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities import services
from activities.models import Activity, Mode, PlanKind, State
from activities.tests.factories import at, form_named, pdf_file
from audit.models import AuditEntry
from core.exceptions import TransitionNotAllowed
from notifications.models import Notification
from organisations.models import District


def _values(**overrides):
    form = form_named()
    values = {
        "category": form.category, "form": form, "title": "社区科普讲座", "mode": Mode.OFFLINE,
        "starts_at": at(28, 9), "ends_at": at(28, 11), "district": District.objects.get(code="shinan"),
        "address": "香港中路100号", "platform": "", "link": "", "audiences": ["residents"],
        "expected_participants": 80, "joint_st_week": True, "contact_person": "张老师",
        "contact_phone": "13800138000", "show_contact_phone": False,
        "description": "<p>讲座<script>alert(1)</script></p>", "partner_units": "", "frugality_pledge": False,
    }
    return values | overrides


def test_create_sanitises_and_audits(qingdao, unit_a, coordinator_a):
    activity = services.activity_create(actor=coordinator_a, unit=unit_a, campaign=qingdao, **_values())
    assert activity.state == State.DRAFT
    assert "<script>" not in activity.description and "讲座" in activity.description
    assert AuditEntry.objects.filter(action="activities.activity.created", object_id=str(activity.pk)).exists()


def test_create_outside_window_is_a_clear_error(qingdao, unit_a, coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=coordinator_a, unit=unit_a, campaign=qingdao,
                                 **_values(starts_at=at(1, 9), ends_at=at(1, 10)))
    assert "starts_at" in error.value.message_dict
    assert "2022-05-11" in error.value.message_dict["starts_at"][0]
    assert not Activity.objects.exists()


def test_create_for_another_unit_is_denied(qingdao, unit_b, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=coordinator_a, unit=unit_b, campaign=qingdao, **_values())
    assert not Activity.objects.exists()


def test_offline_and_online_fields_are_required(qingdao, unit_a, coordinator_a):
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=coordinator_a, unit=unit_a, campaign=qingdao,
                                 **_values(mode=Mode.HYBRID, address="", district=None))
    assert {"district", "address", "platform", "link"} <= set(error.value.message_dict)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.datetimes(min_value=datetime.datetime(2022, 4, 1), max_value=datetime.datetime(2022, 7, 31)),
       hours=st.integers(min_value=-5, max_value=24 * 10))
def test_window_validation(qingdao, start, hours):
    from django.utils import timezone

    starts = timezone.make_aware(start)
    ends = starts + datetime.timedelta(hours=hours)
    values = _values(starts_at=starts, ends_at=ends)
    inside = (qingdao.window_start <= timezone.localtime(starts).date() <= qingdao.window_end
              and qingdao.window_start <= timezone.localtime(ends).date() <= qingdao.window_end and ends >= starts)
    try:
        services.validate_activity(values, campaign=qingdao)
    except ValidationError:
        assert not inside
    else:
        assert inside


def test_offline_submit_lists_what_is_missing(make_activity, coordinator_a):
    activity = make_activity(mode=Mode.OFFLINE, platform="", link="", address="某地", frugality_pledge=False,
                             district=District.objects.get(code="shinan"))
    with pytest.raises(ValidationError) as error:
        services.activity_submit(actor=coordinator_a, activity=activity)
    assert len(error.value.messages) == 4  # three plans and the pledge
    activity.refresh_from_db()
    assert activity.state == State.DRAFT
    services.activity_plan_attach(actor=coordinator_a, activity=activity, kind=PlanKind.EPIDEMIC,
                                  uploaded_file=pdf_file())
    assert len(services.missing_requirements(activity)) == 3


def test_full_lifecycle_with_audit_and_notifications(ready_offline, coordinator_a, organiser):
    a = services.activity_submit(actor=coordinator_a, activity=ready_offline)
    assert a.state == State.SUBMITTED
    assert Notification.objects.filter(recipient=organiser, kind="activities.submit").exists()
    a = services.activity_return(actor=organiser, activity=a, reason="请补充活动流程")
    assert a.state == State.RETURNED and a.return_reason == "请补充活动流程"
    assert Notification.objects.filter(recipient=coordinator_a, kind="activities.return", body="请补充活动流程").exists()
    a = services.activity_update(actor=coordinator_a, activity=a, description="<p>活动流程：……</p>")
    a = services.activity_submit(actor=coordinator_a, activity=a)
    a = services.activity_approve(actor=organiser, activity=a)
    assert a.state == State.APPROVED and a.published["title"] == a.title
    assert a.published["contact_phone"] == ""  # not opted in
    a = services.activity_report(actor=coordinator_a, activity=a, actual_participants=120,
                                 coverage=[{"outlet": "青岛日报", "title": "报道", "link": "https://example.com/a",
                                            "date": datetime.date(2022, 5, 29)}])
    assert a.state == State.HELD and a.coverage.count() == 1
    a = services.activity_recommend(actor=organiser, activity=a)
    a = services.activity_recommend_up(actor=organiser, activity=a)
    assert a.state == State.RECOMMENDED_UP
    actions = list(AuditEntry.objects.filter(object_id=str(a.pk), action__startswith="activities.activity.")
                   .values_list("action", flat=True))
    for name in ("submit", "return", "approve", "report", "recommend", "recommend_up"):
        assert f"activities.activity.{name}" in actions


def test_return_needs_a_reason(ready_offline, coordinator_a, organiser):
    a = services.activity_submit(actor=coordinator_a, activity=ready_offline)
    with pytest.raises(ValidationError):
        services.activity_return(actor=organiser, activity=a, reason="  ")
    a.refresh_from_db()
    assert a.state == State.SUBMITTED


def test_coordinator_cannot_approve_own_activity(ready_offline, coordinator_a):
    a = services.activity_submit(actor=coordinator_a, activity=ready_offline)
    with pytest.raises(PermissionDenied):
        services.activity_approve(actor=coordinator_a, activity=a)
    a.refresh_from_db()
    assert a.state == State.SUBMITTED and a.published is None


def test_other_unit_cannot_touch(ready_offline, coordinator_b):
    for call in (lambda: services.activity_submit(actor=coordinator_b, activity=ready_offline),
                 lambda: services.activity_update(actor=coordinator_b, activity=ready_offline, title="x"),
                 lambda: services.activity_plan_attach(actor=coordinator_b, activity=ready_offline,
                                                       kind=PlanKind.SECURITY, uploaded_file=pdf_file()),
                 lambda: services.activity_cancel(actor=coordinator_b, activity=ready_offline, reason="x")):
        with pytest.raises(PermissionDenied):
            call()
    ready_offline.refresh_from_db()
    assert ready_offline.state == State.DRAFT and ready_offline.title != "x"


def test_withdraw_before_review(ready_offline, coordinator_a):
    a = services.activity_submit(actor=coordinator_a, activity=ready_offline)
    a = services.activity_withdraw(actor=coordinator_a, activity=a)
    assert a.state == State.DRAFT


def test_changed_after_approval_goes_back_to_review_and_public_keeps_approved(ready_offline, coordinator_a,
                                                                               organiser):
    a = services.activity_submit(actor=coordinator_a, activity=ready_offline)
    a = services.activity_approve(actor=organiser, activity=a)
    old_title = a.title
    a = services.activity_update(actor=coordinator_a, activity=a, title="改过的标题")
    assert a.state == State.SUBMITTED
    a.refresh_from_db()
    assert a.published["title"] == old_title
    a = services.activity_approve(actor=organiser, activity=a)
    assert a.published["title"] == "改过的标题"


def test_cancel_keeps_public_page_marked(ready_offline, coordinator_a, organiser):
    a = services.activity_submit(actor=coordinator_a, activity=ready_offline)
    a = services.activity_approve(actor=organiser, activity=a)
    with pytest.raises(ValidationError):
        services.activity_cancel(actor=coordinator_a, activity=a, reason="")
    a = services.activity_cancel(actor=coordinator_a, activity=a, reason="天气原因")
    assert a.state == State.CANCELLED and a.published is not None
    with pytest.raises(TransitionNotAllowed):
        services.activity_submit(actor=coordinator_a, activity=a)


def test_approve_many(make_activity, coordinator_a, organiser):
    drafts = [make_activity() for _ in range(3)]
    for d in drafts[:2]:
        services.activity_submit(actor=coordinator_a, activity=d)
    done, failed = services.activities_approve_many(actor=organiser, activities=drafts)
    assert len(done) == 2 and len(failed) == 1
    assert Activity.objects.filter(state=State.APPROVED).count() == 2


ACTOR_ACTIONS = st.lists(st.tuples(st.sampled_from(["coordinator", "organiser"]),
                                   st.sampled_from([*services.ACTIONS, "change"])), max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ACTOR_ACTIONS)
def test_random_action_sequences_follow_the_table(ready_offline, coordinator_a, organiser, steps):
    Activity.objects.filter(pk=ready_offline.pk).update(state=State.DRAFT, published=None)
    activity = Activity.objects.get(pk=ready_offline.pk)
    actors = {"coordinator": coordinator_a, "organiser": organiser}
    reachable = {s for (s, _a) in services.TRANSITIONS} | set(services.TRANSITIONS.values())
    for who, action in steps:
        before = activity.state
        kwargs = {"reason": "原因"} if action in ("return", "cancel") else {}
        if action == "report":
            kwargs = {"actual_participants": 10}
        try:
            if action == "change":
                services.activity_update(actor=actors[who], activity=activity, title=f"改{before}")
            else:
                services.activity_transition(actor=actors[who], activity=activity, action=action, **kwargs)
        except (TransitionNotAllowed, PermissionDenied, ValidationError):
            activity.refresh_from_db()
            assert activity.state == before  # a refused move changes nothing
            continue
        activity.refresh_from_db()
        if activity.state != before:
            assert (before, action) in services.TRANSITIONS
            assert services.TRANSITIONS[(before, action)] == activity.state
        assert activity.state in reachable


def test_demo_data_covers_every_category_mode_state_district_and_unit_type(qingdao, settings, tmp_path):
    from activities.demo import load_demo_data
    from core.demo import load_units_and_accounts
    from organisations.models import level_unit_types

    load_units_and_accounts()
    load_demo_data()
    activities = Activity.objects.all()
    assert 150 <= activities.count() <= 250
    assert set(activities.values_list("state", flat=True)) == set(State.values)
    assert set(activities.values_list("mode", flat=True)) == set(Mode.values)
    assert activities.values("category").distinct().count() == qingdao.categories.count()
    assert set(activities.values_list("unit__unit_type", flat=True)) == set(level_unit_types())
    assert activities.exclude(district=None).values("district").distinct().count() == District.objects.count()
    load_demo_data()  # running it again adds nothing
    assert Activity.objects.count() == activities.count()


def test_an_online_activity_needs_the_frugality_pledge_but_no_plans(make_activity, coordinator_a):
    activity = make_activity(mode=Mode.ONLINE, frugality_pledge=False)
    [missing] = services.missing_requirements(activity)
    assert "八项规定" in missing
    with pytest.raises(ValidationError):
        services.activity_submit(actor=coordinator_a, activity=activity)
    activity.refresh_from_db()
    assert activity.state == State.DRAFT
    services.activity_update(actor=coordinator_a, activity=activity, frugality_pledge=True)
    assert services.activity_submit(actor=coordinator_a, activity=activity).state == State.SUBMITTED


def test_volunteer_service_opens_on_1_may_while_other_parts_keep_the_window(qingdao, unit_a, coordinator_a):
    """The notice: 「科技志愿服务……5月上旬起」; the activity window opens on 11 May."""
    assert qingdao.service_opens == datetime.date(2022, 5, 1) and qingdao.window_start == datetime.date(2022, 5, 11)
    service_form = form_named("银铃科普行动")
    assert service_form.category.follows_service_window
    early = services.activity_create(actor=coordinator_a, unit=unit_a, campaign=qingdao, **_values(
        category=service_form.category, form=service_form, starts_at=at(5, 9), ends_at=at(5, 11)))
    assert early.pk
    with pytest.raises(ValidationError) as refused:
        services.activity_create(actor=coordinator_a, unit=unit_a, campaign=qingdao,
                                 **_values(starts_at=at(5, 9), ends_at=at(5, 11)))
    assert "2022-05-11" in refused.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError) as too_early:
        services.activity_create(actor=coordinator_a, unit=unit_a, campaign=qingdao, **_values(
            category=service_form.category, form=service_form, starts_at=at(30, 9, month=4), ends_at=at(30, 11, month=4)))
    assert "2022-05-01" in too_early.value.message_dict["starts_at"][0]
    assert Activity.objects.count() == 1


def test_next_years_copy_keeps_the_service_window(qingdao, unit_a, coordinator_a, organiser):
    from campaigns.services import campaign_copy_next_year

    copy = campaign_copy_next_year(actor=organiser, campaign=qingdao, new_slug="qingdao-2023")
    assert copy.service_opens_on == datetime.date(2023, 5, 1) and copy.survey_opens_on == datetime.date(2023, 5, 11)
    category = copy.categories.get(follows_service_window=True)
    form = category.forms.first()
    activity = services.activity_create(actor=coordinator_a, unit=unit_a, campaign=copy, **_values(
        category=category, form=form, starts_at=at(5, 9).replace(year=2023), ends_at=at(5, 11).replace(year=2023)))
    assert activity.campaign == copy
