"""Who must pass a TOTP check, and checking a code: one rule for the pages, the session API and
the token endpoint (SCIDAY_REQUIRE_STAFF_OTP; see docs/security.md)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions


def otp_required_for(user) -> bool:
    """With SCIDAY_REQUIRE_STAFF_OTP on, organisers (office staff and administrators) need TOTP."""
    return bool(settings.SCIDAY_REQUIRE_STAFF_OTP and user is not None and user.is_authenticated
                and permissions.is_organiser(user))


def otp_pending(user) -> bool:
    """A logged-in (session) user who must pass TOTP and has not yet in this session."""
    return otp_required_for(user) and not (hasattr(user, "is_verified") and user.is_verified())


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_code(user, code: str):
    """The confirmed device of ``user`` that accepts ``code``, or None (django-otp throttles tries)."""
    code = (code or "").strip()
    if not code.isdigit():
        return None
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def pending_message() -> str:
    return _("Two-step verification is required: pass the TOTP check on the website first "
             "(or send an API token made after it).")


def no_device_message() -> str:
    return _("Two-step verification is required for organisers, and this account has no authenticator "
             "yet: enrol one on the website with the enrolment code an organiser gives you.")
