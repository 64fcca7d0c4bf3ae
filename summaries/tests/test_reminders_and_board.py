import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from notifications.models import Notification
from summaries import selectors, services
from summaries.models import Reminder, ReminderSent, SummaryState
from summaries.tasks import send_summary_reminders_task

from .factories import SummaryFactory

pytestmark = pytest.mark.django_db


def test_the_reminder_job_run_three_times_on_one_day_sends_each_reminder_once(
        at, qingdao, coordinator_a, coordinator_b, django_capture_on_commit_callbacks):
    at("2022-06-08T09:00")  # 7 days before 2022-06-15
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send(campaign=qingdao)
        call_command("send_summary_reminders", "--campaign", qingdao.slug)
        send_summary_reminders_task.enqueue()
    assert first >= 2
    assert ReminderSent.objects.filter(reminder=Reminder.DAYS_7).count() == first
    for user in (coordinator_a, coordinator_b):
        assert Notification.objects.filter(recipient=user, kind="summaries.reminder").count() == 1
    assert len([m for m in mail.outbox if coordinator_a.email in m.to]) == 1


def test_reminders_skip_units_that_submitted_and_follow_extensions(at, qingdao, unit_a, unit_b, coordinator_a,
                                                                   coordinator_b, bureau):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    services.extension_grant(actor=bureau, campaign=qingdao, unit=unit_b, until=datetime.date(2022, 6, 18),
                             reason="延期")
    at("2022-06-14T09:00")  # one day before the campaign's deadline
    services.reminders_send(campaign=qingdao)
    assert not Notification.objects.filter(recipient=coordinator_a, kind="summaries.reminder").exists()
    assert not Notification.objects.filter(recipient=coordinator_b, kind="summaries.reminder").exists()
    at("2022-06-17T09:00")  # one day before unit_b's extended deadline
    services.reminders_send(campaign=qingdao)
    assert ReminderSent.objects.filter(unit=unit_b, reminder=Reminder.DAYS_1).exists()


def test_the_day_after_the_missing_are_reminded(at, qingdao, unit_a, coordinator_a):
    at("2022-06-16T09:00")
    services.reminders_send(campaign=qingdao)
    assert ReminderSent.objects.filter(unit=unit_a, reminder=Reminder.OVERDUE).exists()


def test_no_reminder_on_other_days(at, qingdao, coordinator_a):
    at("2022-06-10T09:00")
    assert services.reminders_send(campaign=qingdao) == 0


def test_the_board_shows_every_routed_unit_with_its_status(at, qingdao, offices, unit_a, organiser):
    from organisations.models import UnitType
    from organisations.tests.factories import UnitFactory

    other = UnitFactory(unit_type=UnitType.SOCIETY)  # societies go to the association office as well
    late = UnitFactory(unit_type=UnitType.UNIVERSITY)
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    SummaryFactory(unit=late, state=SummaryState.ACCEPTED, is_late=True)
    office = offices["qast-org-personnel"]
    at("2022-06-10T09:00")
    counts = selectors.board_counts(campaign=qingdao, office=office)
    assert counts[SummaryState.SUBMITTED] == 1 and counts[SummaryState.ACCEPTED] == 1
    assert counts["late"] == 1
    assert other in selectors.board(campaign=qingdao, office=office, status="not_started")
    at("2022-06-16T09:00")
    overdue = list(selectors.board(campaign=qingdao, office=office, status="late"))
    assert other in overdue and late in overdue and unit_a not in overdue
    bureau_units = selectors.board(campaign=qingdao, office=offices["qstb-talent"])
    assert unit_a not in bureau_units
