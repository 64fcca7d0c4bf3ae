"""Logging in for a personal token, and who the caller is."""

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from accounts import permissions
from accounts.otp import has_confirmed_device, no_device_message, otp_required_for, verify_code
from accounts.services import api_token_create
from audit.models import AuditEntry
from audit.services import audit_record
from core.middleware import client_ip

from .schemas import ErrorOut, MeOut, TokenIn, TokenOut

router = Router(tags=["accounts"])


@router.post("/auth/token", response={201: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut}, auth=None,
             url_name="token_obtain", summary="Get a personal API token with a username and password")
def token_obtain(request, payload: TokenIn):
    """Failed logins are limited as on the login page (``authenticate()`` runs django-axes and the
    per-address limit; 429 while locked). When the site requires two-step verification, an
    organiser must also send ``otp_code``, the current code of their authenticator app: a
    password alone answers 403, a wrong code 401."""
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, _("Wrong username or password."))
    if user.must_change_password:
        raise HttpError(403, _("You must change your initial password before using sciday."))
    if otp_required_for(user):
        if not has_confirmed_device(user):
            raise HttpError(403, no_device_message())
        if not payload.otp_code.strip():
            raise HttpError(403, _("Organisers must also send otp_code, the 6-digit code of their authenticator app."))
        if verify_code(user, payload.otp_code) is None:
            audit_record(action="accounts.user.totp_failed", actor=user, obj=user, outcome=AuditEntry.Outcome.FAILURE)
            raise HttpError(401, _("That code is not right. Check the time on your phone and try again."))
    # No session is made here, so axes does not see a login: forget the failures ourselves.
    # Only this username from this address (as the login page does): another address's lock stays.
    axes_reset(ip=getattr(request, "axes_ip_address", None) or client_ip(request), username=user.get_username())
    token, key = api_token_create(user=user, name=payload.name)
    return Status(201, {"token": key, "name": token.name, "prefix": token.key_prefix, "created_at": token.created_at})


@router.get("/me", response=MeOut, summary="Who you are")
def me(request):
    user = request.auth
    roles = [
        role
        for role, has in (
            ("admin", permissions.is_admin(user)),
            ("office_staff", permissions.is_office_staff(user)),
            ("coordinator", permissions.is_coordinator(user)),
            ("expert", permissions.is_expert(user)),
        )
        if has
    ]
    return {
        "username": user.get_username(),
        "full_name": user.full_name,
        "roles": roles,
        "units": sorted(permissions.unit_ids(user)),
        "offices": list(user.office_memberships.order_by("office_id").values_list("office__code", flat=True)),
    }
