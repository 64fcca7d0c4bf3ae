"""Telling people that something happened: the bell (in-app) and, beside it, an e-mail."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock

from .models import Notification


def notify(*, recipients: Iterable, title: str, body: str = "", url: str = "", kind: str = "",
           email: bool = True) -> list[Notification]:
    """Tell each of ``recipients`` (users) something: one bell notification each, and an e-mail.

    Call it from a service, inside its transaction, after the change it reports; for example
    ``notify(recipients=unit_coordinators, title=_("Your activity was approved"),
    url=activity.get_absolute_url(), kind="activities.approved")``.

    - ``title`` is the one line shown by the bell and used as the e-mail subject; ``body`` the
      message; ``url`` a site-relative link ("/workbench/…") to what it is about; ``kind`` a dotted
      name of the event, for filtering.
    - Write ``title`` and ``body`` in the recipient's language (Chinese; translate with gettext
      when the request is in Chinese), because they are stored as text, not translated later.
    - Inactive users and duplicates are skipped. The rows are created at once (bulk); e-mails are
      sent by a background task queued only when the surrounding transaction commits, so a change
      that is rolled back sends nothing. Users without an e-mail address only get the bell.
      ``email=False`` sends no e-mail at all.

    Returns the created notifications.
    """
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValueError(f"A notification link must be a site path or a web address, not {url!r}")
    seen, users = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []
    created = Notification.objects.bulk_create(
        Notification(recipient=user, title=title[:200], body=body, url=url[:300], kind=kind[:60])
        for user in users
    )
    if email and any(user.email for user in users):
        # SQLite and PostgreSQL both return the new ids from a bulk insert.
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(notification_ids=ids)


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of ``user``'s own notifications read; reading it again changes nothing."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied("notifications.mark_read")
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of ``user`` read; returns how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())
