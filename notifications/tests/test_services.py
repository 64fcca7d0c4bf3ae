"""notify(): the bell rows at once, the e-mails by a background task after the commit."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_rows_and_emails_after_commit(django_capture_on_commit_callbacks, settings):
    settings.SCIDAY_SITE_URL = "https://sciday.example.cn"
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = services.notify(recipients=[alice, bob], title="活动已通过", body="您的活动已审核通过。",
                                  url="/workbench/activities/1/", kind="activities.approved")
        assert len(mail.outbox) == 0  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert len(created) == 2
    assert Notification.objects.filter(title="活动已通过", kind="activities.approved").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    message = mail.outbox[0]
    assert message.subject == "活动已通过"
    assert "您的活动已审核通过。" in message.body
    assert "https://sciday.example.cn/workbench/activities/1/" in message.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_recipients_without_email_get_only_the_bell(django_capture_on_commit_callbacks):
    with_mail, without = UserFactory(username="with"), UserFactory(username="without", email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[with_mail, without], title="提醒")
    assert [m.to for m in mail.outbox] == [["with@example.com"]]
    assert unread_count(user=without) == 1


def test_no_email_when_asked(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipients=[user], title="仅站内", email=False)
    assert callbacks == [] and mail.outbox == []
    assert unread_count(user=user) == 1


def test_nothing_is_sent_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        services.notify(recipients=[user], title="撤销")
        raise RuntimeError("the surrounding service failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(recipient=user).exists()


def test_inactive_and_duplicate_recipients_are_skipped(django_capture_on_commit_callbacks):
    user, gone = UserFactory(), UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify(recipients=[user, user, gone], title="一次")
    assert len(created) == 1 and len(mail.outbox) == 1
    assert not Notification.objects.filter(recipient=gone).exists()


def test_email_task_sends_each_notification_once():
    from notifications.tasks import send_notification_emails

    notification = NotificationFactory()
    result = send_notification_emails.enqueue(notification_ids=[notification.pk])
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    result = send_notification_emails.enqueue(notification_ids=[notification.pk])
    assert result.return_value == 0
    assert len(mail.outbox) == 1


def test_notify_refuses_a_script_link():
    with pytest.raises(ValueError):
        services.notify(recipients=[UserFactory()], title="x", url="javascript:alert(1)")
    assert not Notification.objects.exists()


def test_mark_read_and_all_read():
    user = UserFactory()
    first, second, third = NotificationFactory.create_batch(3, recipient=user)
    services.notification_mark_read(user=user, notification=first)
    first.refresh_from_db()
    assert first.read_at is not None
    read_at = first.read_at
    services.notification_mark_read(user=user, notification=first)
    first.refresh_from_db()
    assert first.read_at == read_at  # reading again changes nothing
    assert unread_count(user=user) == 2
    assert services.notifications_mark_all_read(user=user) == 2
    assert unread_count(user=user) == 0


def test_cannot_mark_another_users_notification():
    owner, other = UserFactory(), UserFactory()
    notification = NotificationFactory(recipient=owner)
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(user=other, notification=notification)
    NotificationFactory(recipient=other)
    services.notifications_mark_all_read(user=other)
    notification.refresh_from_db()
    assert notification.read_at is None
