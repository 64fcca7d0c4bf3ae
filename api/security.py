"""How an API caller proves who they are: a personal token (``Authorization: Bearer sd_…``) or,
in the browser, the Django session with its CSRF token.

With SCIDAY_REQUIRE_STAFF_OTP on, staff pass TOTP here too (accounts.otp): a session that has not
passed the check is refused, and a staff member's token works only while they have a confirmed
authenticator (tokens minted before the requirement included; see docs/security.md)."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from accounts.otp import has_confirmed_device, no_device_message, otp_pending, otp_required_for, pending_message
from accounts.services import api_token_authenticate


class PersonalTokenAuth(HttpBearer):
    """A personal API token made on the "My API tokens" page (accounts.ApiToken)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            return None
        if user.must_change_password:
            raise HttpError(403, _("You must change your initial password before using sciday."))
        if otp_required_for(user) and not has_confirmed_device(user):
            raise HttpError(403, no_device_message())
        # Our permission checks read request.user, as they do for the web pages.
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session, refused for staff who have not passed TOTP when it is required."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and otp_pending(user):
            raise HttpError(403, pending_message())
        return user


# The token comes first: a session check on a POST without a CSRF token fails the request at
# once (ninja does not try the next method), and a token caller has no CSRF token to send.
AUTH = [PersonalTokenAuth(), SessionAuth()]
