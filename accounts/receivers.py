"""Audit records for what Django and django-axes only announce by signal: logins, logouts, lockouts."""

from datetime import timedelta

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core.middleware import client_ip
from notifications.models import Notification
from notifications.services import notify

from .login_guard import address_failure_recorded
from .services import session_forget, session_record_login


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    session_record_login(user=user, session_key=session.session_key if session is not None else None)
    audit_record(action="accounts.user.logged_in", actor=user, obj=user, ip=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    session_forget(session_key=session.session_key if session is not None else None)
    if user is not None:
        audit_record(action="accounts.user.logged_out", actor=user, obj=user, ip=client_ip(request))


def _known_user(username: str):
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    ip = client_ip(request) if request is not None else None
    audit_record(
        action="accounts.user.login_failed",
        obj=_known_user(username),
        actor_name=username,
        outcome=AuditEntry.Outcome.FAILURE,
        ip=ip,
    )
    if request is not None and not getattr(request, "sciday_address_blocked", False):
        address_failure_recorded(ip)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    user = _known_user(username or "")
    audit_record(
        action="accounts.user.locked_out",
        obj=user,
        actor_name=(username or "")[:150],
        outcome=AuditEntry.Outcome.FAILURE,
        ip=ip_address,
    )
    if user is not None:
        notify_owner_of_lockout(user=user, ip=ip_address)


LOCKOUT_NOTICE = "accounts.login_locked"


def notify_owner_of_lockout(*, user, ip):
    """Tell the owner (bell and e-mail) that their account saw repeated failed logins: at most once
    per lockout period, since axes announces a lockout on every refused try."""
    minutes = int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if Notification.objects.filter(recipient=user, kind=LOCKOUT_NOTICE, created_at__gte=since).exists():
        return
    # Stored as text: written in the site's language, whatever the failing request asked for.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Repeated failed logins to your account")
        body = _("%(count)d wrong passwords in a row were tried for your account %(username)s from the address "
                 "%(ip)s; logging in to it from there is locked for %(minutes)d minutes. If this was not you, "
                 "change your password and tell the organisers.") % {
            "count": settings.AXES_FAILURE_LIMIT, "username": user.get_username(), "ip": ip or "?",
            "minutes": minutes}
    notify(recipients=[user], title=title, body=body, url=reverse("accounts:password_change"), kind=LOCKOUT_NOTICE)
