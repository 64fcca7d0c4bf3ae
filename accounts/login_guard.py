"""The per-address limit on failed logins, across usernames (password spraying), beside
django-axes' lock of one username from one address. See docs/security.md (等保 2.0 login failures).

Every failed login is already an audit entry with the client's address
(``accounts.user.login_failed``); when an address reaches ``SCIDAY_ADDRESS_FAILURE_LIMIT`` of them
within ``SCIDAY_ADDRESS_FAILURE_WINDOW_MINUTES``, an ``accounts.login.address_blocked`` entry is
written and every login from that address (web, admin, token endpoint: they all go through
``authenticate()``) is refused for ``SCIDAY_ADDRESS_LOCKOUT_MINUTES``, correct password or not.
The audit log is the one shared store every app server sees; these timers run on real time (the
audit log's), like sessions and axes, not on core.clock.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core.middleware import client_ip

BLOCKED = "accounts.login.address_blocked"
FAILED = "accounts.user.login_failed"


def address_blocked(ip: str | None) -> bool:
    if not ip:
        return False
    since = timezone.now() - timedelta(minutes=settings.SCIDAY_ADDRESS_LOCKOUT_MINUTES)
    return AuditEntry.objects.filter(action=BLOCKED, ip=ip, created_at__gte=since).exists()


def address_failure_recorded(ip: str | None) -> bool:
    """Called after each failed login's audit entry: block the address once it reaches the limit.
    Returns whether the address is (now) blocked."""
    if not ip:
        return False
    if address_blocked(ip):
        return True
    since = timezone.now() - timedelta(minutes=settings.SCIDAY_ADDRESS_FAILURE_WINDOW_MINUTES)
    failures = AuditEntry.objects.filter(action=FAILED, ip=ip, created_at__gte=since).count()
    if failures < settings.SCIDAY_ADDRESS_FAILURE_LIMIT:
        return False
    audit_record(action=BLOCKED, outcome=AuditEntry.Outcome.FAILURE, ip=ip,
                 changes={"failures": failures, "window_minutes": settings.SCIDAY_ADDRESS_FAILURE_WINDOW_MINUTES,
                          "blocked_minutes": settings.SCIDAY_ADDRESS_LOCKOUT_MINUTES})
    return True


class AddressThrottleBackend:
    """First of AUTHENTICATION_BACKENDS: a blocked address is refused before any password is
    checked (PermissionDenied stops ``authenticate()``; LoginThrottleMiddleware answers 429)."""

    def authenticate(self, request, **credentials):
        if request is not None and address_blocked(client_ip(request)):
            request.sciday_address_blocked = True
            raise PermissionDenied("address blocked")
        return None
    # No get_user(): this backend never logs anybody in (and force_login skips it).


def blocked_message() -> str:
    return _("Too many failed logins from your network address: logins from it are refused for %(minutes)d "
             "minutes. Try again later, or ask an organiser to help.") % {
        "minutes": settings.SCIDAY_ADDRESS_LOCKOUT_MINUTES}


class LoginThrottleMiddleware:
    """Turns a login refused for its address into a 429 with the Chinese message (JSON on /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "sciday_address_blocked", False):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": blocked_message(), "code": "address_blocked"}, status=429)
            from .forms import LoginForm

            return render(request, "accounts/login.html",
                          {"form": LoginForm(request), "locked_message": blocked_message()}, status=429)
        return response
