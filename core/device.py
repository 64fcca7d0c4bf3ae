"""The browser's device id: a random id in a signed, long-lived, HTTP-only cookie.

The survey uses it for one response per device, the activity check-in for one person per device and
activity. Each use stores only a keyed hash of the id with its own context, so uses cannot be linked.
"""

import hashlib
import hmac
import secrets
from functools import wraps

from django.conf import settings

DEVICE_COOKIE = "sciday_device"
DEVICE_SALT = "surveys.device"  # kept from the survey, where it started, so existing cookies stay valid
DEVICE_MAX_AGE = 3 * 365 * 24 * 3600


def device_id(request) -> str:
    """The device id from the signed long-lived cookie, or a new one (set on the response by ``with_device``)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    if not value:
        value = getattr(request, "_new_device_id", None) or secrets.token_urlsafe(18)
        request._new_device_id = value
    return value


def is_new_device(request, device: str) -> bool:
    """Whether ``device`` was made for this request (no cookie came): such a device has no draft and no answer."""
    return getattr(request, "_new_device_id", None) == device


def set_device_cookie(request, response):
    new = getattr(request, "_new_device_id", None)
    if new:
        response.set_signed_cookie(DEVICE_COOKIE, new, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE, httponly=True,
                                   samesite="Lax", secure=request.is_secure())
    return response


def with_device(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        device_id(request)
        return set_device_cookie(request, view(request, *args, **kwargs))

    return wrapped


def device_hash(*parts) -> str:
    """A keyed hash of a device id in a context, e.g. ``device_hash("checkin", activity.pk, device)``."""
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
