"""How an API caller proves who they are: a personal token (``Authorization: Bearer sd_…``) or,
in the browser, the Django session with its CSRF token."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from accounts.services import api_token_authenticate


class PersonalTokenAuth(HttpBearer):
    """A personal API token made on the "My API tokens" page (accounts.ApiToken)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            return None
        if user.must_change_password:
            raise HttpError(403, _("You must change your initial password before using sciday."))
        # Our permission checks read request.user, as they do for the web pages.
        request.user = user
        return user


# The token comes first: a session check on a POST without a CSRF token fails the request at
# once (ninja does not try the next method), and a token caller has no CSRF token to send.
AUTH = [PersonalTokenAuth(), django_auth]
