import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from campaigns.models import Campaign
from core.exceptions import TransitionNotAllowed
from notifications.models import Notification
from summaries import selectors, services
from summaries.models import Extension, Summary, SummaryState

pytestmark = pytest.mark.django_db


def _write(user, campaign, unit, **extra):
    return services.summary_save(actor=user, campaign=campaign, unit=unit, work_done="开展了座谈会。", **extra)


def test_deadline_is_the_campaigns_day_at_235959_shanghai(qingdao, unit_a):
    deadline = selectors.deadline_for(campaign=qingdao, unit=unit_a)
    assert deadline.isoformat() == "2022-06-15T23:59:59+08:00"


def test_a_district_associations_summary_goes_to_the_association_office(at, qingdao, coordinator_a, unit_a,
                                                                          organiser, bureau):
    at("2022-06-10T10:00")
    summary = _write(coordinator_a, qingdao, unit_a)
    summary = services.summary_transition(actor=coordinator_a, summary=summary, action="submit")
    assert summary.state == SummaryState.SUBMITTED and not summary.is_late
    assert summary.office.code == "qast-org-personnel"
    assert list(selectors.inbox(user=organiser, campaign=qingdao)) == [summary]
    assert list(selectors.inbox(user=bureau, campaign=qingdao)) == []
    assert Notification.objects.filter(recipient=organiser, kind="summaries.submitted").exists()
    assert not Notification.objects.filter(recipient=bureau).exists()
    assert AuditEntry.objects.filter(action="summaries.summary.submit").exists()


def test_a_district_bureaus_summary_goes_to_the_bureau_office(at, qingdao, coordinator_b, unit_b, organiser, bureau):
    at("2022-06-10T10:00")
    summary = services.summary_transition(actor=coordinator_b, summary=_write(coordinator_b, qingdao, unit_b),
                                          action="submit")
    assert summary.office.code == "qstb-talent"
    assert list(selectors.inbox(user=bureau, campaign=qingdao)) == [summary]
    assert list(selectors.inbox(user=organiser, campaign=qingdao)) == []


def test_after_the_deadline_a_submission_is_flagged_late(at, qingdao, coordinator_a, unit_a):
    at("2022-06-16T09:00")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    assert summary.is_late


def test_one_second_before_midnight_is_on_time(at, qingdao, coordinator_a, unit_a):
    at("2022-06-15T23:59:58")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    assert not summary.is_late


def test_a_campaign_that_closes_late_submission_refuses_it(at, qingdao, coordinator_a, unit_a):
    Campaign.objects.filter(pk=qingdao.pk).update(late_policy=Campaign.LatePolicy.CLOSED)
    qingdao.refresh_from_db()
    at("2022-06-16T09:00")
    summary = _write(coordinator_a, qingdao, unit_a)
    with pytest.raises(ValidationError):
        services.summary_transition(actor=coordinator_a, summary=summary, action="submit")
    summary.refresh_from_db()
    assert summary.state == SummaryState.DRAFT and summary.submitted_at is None


def test_an_extension_lets_that_one_unit_submit_on_time(at, qingdao, coordinator_a, unit_a, coordinator_b, unit_b,
                                                        organiser):
    services.extension_grant(actor=organiser, campaign=qingdao, unit=unit_a, until=datetime.date(2022, 6, 20),
                             reason="区里防疫任务重")
    at("2022-06-16T09:00")
    a = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                    action="submit")
    b = services.summary_transition(actor=coordinator_b, summary=_write(coordinator_b, qingdao, unit_b),
                                    action="submit")
    assert not a.is_late and b.is_late
    assert AuditEntry.objects.filter(action="summaries.extension.granted").count() == 1


def test_only_the_units_office_may_extend(qingdao, unit_a, bureau):
    with pytest.raises(PermissionDenied):
        services.extension_grant(actor=bureau, campaign=qingdao, unit=unit_a, until=datetime.date(2022, 6, 20),
                                 reason="x")
    assert not Extension.objects.exists()
    assert AuditEntry.objects.filter(action="permissions.denied").exists()


def test_an_extension_needs_a_reason_and_a_later_date(qingdao, unit_a, organiser):
    with pytest.raises(ValidationError):
        services.extension_grant(actor=organiser, campaign=qingdao, unit=unit_a, until=datetime.date(2022, 6, 20),
                                 reason=" ")
    with pytest.raises(ValidationError):
        services.extension_grant(actor=organiser, campaign=qingdao, unit=unit_a, until=datetime.date(2022, 6, 1),
                                 reason="原因")


def test_withdraw_before_review_then_edit_again(at, qingdao, coordinator_a, unit_a):
    at("2022-06-10T10:00")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    with pytest.raises(ValidationError):
        _write(coordinator_a, qingdao, unit_a)
    summary = services.summary_transition(actor=coordinator_a, summary=summary, action="withdraw")
    assert summary.state == SummaryState.DRAFT
    _write(coordinator_a, qingdao, unit_a, results="新增成效")


def test_a_withdrawn_draft_is_the_units_alone_again(at, qingdao, coordinator_a, unit_a, organiser):
    from accounts.permissions import can

    at("2022-06-10T10:00")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    assert can(organiser, "summary.view", summary)
    summary = services.summary_transition(actor=coordinator_a, summary=summary, action="withdraw")
    assert summary.office_id is not None and summary.state == SummaryState.DRAFT
    assert not can(organiser, "summary.view", summary)
    assert can(coordinator_a, "summary.view", summary)


def test_no_withdraw_after_the_office_reviewed(at, qingdao, coordinator_a, unit_a, organiser):
    at("2022-06-10T10:00")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    summary = services.summary_transition(actor=organiser, summary=summary, action="accept")
    with pytest.raises(TransitionNotAllowed):
        services.summary_transition(actor=coordinator_a, summary=summary, action="withdraw")


def test_return_needs_a_reason_and_notifies_the_unit(at, qingdao, coordinator_a, unit_a, organiser):
    at("2022-06-10T10:00")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    with pytest.raises(ValidationError):
        services.summary_transition(actor=organiser, summary=summary, action="return")
    summary = services.summary_transition(actor=organiser, summary=summary, action="return", reason="请补充照片")
    assert summary.state == SummaryState.RETURNED and summary.return_reason == "请补充照片"
    assert Notification.objects.filter(recipient=coordinator_a, kind="summaries.returned").exists()
    summary = services.summary_transition(actor=coordinator_a, summary=summary, action="submit")
    assert summary.state == SummaryState.SUBMITTED


def test_the_other_office_may_not_review_and_nothing_changes(at, qingdao, coordinator_a, unit_a, bureau):
    at("2022-06-10T10:00")
    summary = services.summary_transition(actor=coordinator_a, summary=_write(coordinator_a, qingdao, unit_a),
                                          action="submit")
    with pytest.raises(PermissionDenied):
        services.summary_transition(actor=bureau, summary=summary, action="accept")
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED and summary.reviewed_at is None


def test_another_units_coordinator_may_not_write(qingdao, coordinator_b, unit_a):
    with pytest.raises(PermissionDenied):
        _write(coordinator_b, qingdao, unit_a)
    assert not Summary.objects.exists()


def test_highlights_may_only_draw_on_the_units_own_activities(qingdao, coordinator_a, unit_a, unit_b):
    from activities.tests.factories import ActivityFactory

    own, other = ActivityFactory(unit=unit_a), ActivityFactory(unit=unit_b)
    summary = _write(coordinator_a, qingdao, unit_a, highlights=[{"title": "亮点", "text": "内容",
                                                                  "activity_ids": [own.pk]}])
    assert list(summary.highlights.get().activities.all()) == [own]
    with pytest.raises(ValidationError):
        _write(coordinator_a, qingdao, unit_a, highlights=[{"title": "亮点", "text": "内容", "activity_ids": [other.pk]}])


def test_figures_come_from_the_units_counted_activities(qingdao, unit_a, activities_a):
    figures = selectors.unit_figures(campaign=qingdao, unit=unit_a)
    assert figures["total"] == 3  # the draft does not count
    assert figures["held"] == 2 and figures["cancelled"] == 1
    assert figures["participants"] == 200 and figures["online_views"] == 3000
    assert figures["checkins"] == 3 and figures["coverage"] == 1
    assert figures["recommended_up"] == 1
    assert sum(n for _, n in figures["by_mode"]) == 3


def test_star_a_highlight(at, qingdao, coordinator_a, unit_a, organiser, bureau):
    at("2022-06-10T10:00")
    summary = _write(coordinator_a, qingdao, unit_a, highlights=[{"title": "亮点", "text": "内容"}])
    highlight = summary.highlights.get()
    with pytest.raises(ValidationError):
        services.highlight_star(actor=organiser, highlight=highlight, starred=True)  # still a draft
    services.summary_transition(actor=coordinator_a, summary=summary, action="submit")
    highlight.summary.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.highlight_star(actor=bureau, highlight=highlight, starred=True)
    services.highlight_star(actor=organiser, highlight=highlight, starred=True)
    assert list(selectors.starred_highlights(campaign=qingdao)) == [highlight]
