"""Background work of the notifications app, run by ``manage.py db_worker`` (django-tasks)."""

import logging

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def _email_body(notification) -> str:
    parts = [notification.body.strip()] if notification.body.strip() else []
    if notification.url:
        link = notification.url
        if link.startswith("/"):
            link = settings.SCIDAY_SITE_URL.rstrip("/") + link
        parts.append(link)
    return "\n\n".join(parts) or notification.title


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """E-mail the notifications ``notification_ids`` to their recipients; returns how many were sent.

    Each is sent once: ``emailed_at`` is set as it goes, so a task run twice sends nothing twice.
    Recipients without an e-mail address, or no longer active, are skipped.
    """
    from .models import Notification

    sent = 0
    pending = (Notification.objects.select_related("recipient")
               .filter(pk__in=notification_ids, emailed_at__isnull=True).order_by("pk"))
    with mail.get_connection() as connection:
        for notification in pending:
            recipient = notification.recipient
            if not recipient.email or not recipient.is_active:
                continue
            message = mail.EmailMessage(
                subject=notification.title, body=_email_body(notification),
                from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient.email], connection=connection,
            )
            try:
                message.send()
            except Exception:
                # One bad address must not stop the others; the bell still has the message.
                logger.exception("sending notification %s to %s failed", notification.pk, recipient.pk)
                continue
            with transaction.atomic():
                Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
