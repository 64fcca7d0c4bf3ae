"""Audit records for what Django and django-axes only announce by signal: logins, logouts, lockouts."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEntry
from audit.services import audit_record
from core.middleware import client_ip

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
    audit_record(
        action="accounts.user.login_failed",
        obj=_known_user(username),
        actor_name=username,
        outcome=AuditEntry.Outcome.FAILURE,
        ip=client_ip(request) if request is not None else None,
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action="accounts.user.locked_out",
        obj=_known_user(username or ""),
        actor_name=(username or "")[:150],
        outcome=AuditEntry.Outcome.FAILURE,
        ip=ip_address,
    )
