"""Logging in for a personal token, and who the caller is."""

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from accounts import permissions
from accounts.services import api_token_create

from .schemas import ErrorOut, MeOut, TokenIn, TokenOut

router = Router(tags=["accounts"])


@router.post("/auth/token", response={201: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut}, auth=None,
             summary="Get a personal API token with a username and password")
def token_obtain(request, payload: TokenIn):
    """Five wrong passwords in a row lock the account for 30 minutes, as on the login page:
    ``authenticate()`` runs django-axes, and its middleware answers 429 while locked."""
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, _("Wrong username or password."))
    if user.must_change_password:
        raise HttpError(403, _("You must change your initial password before using sciday."))
    # No session is made here, so axes does not see a login: forget the failures ourselves.
    axes_reset(username=user.get_username())
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
