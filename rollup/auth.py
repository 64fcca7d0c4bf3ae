"""An upward link's token (``Authorization: Bearer up_…``): who is sending, for the roll-up API and for the
transfer app's resumable uploads. Only the token's SHA-256 is stored."""

import hashlib
import secrets

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

TOKEN_PREFIX = "up_"


def token_new() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for_token(token: str):
    """The link of ``token`` (revoked ones included: the caller says why it is refused), or None."""
    from .models import UpwardLink

    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return UpwardLink.objects.select_related("unit", "campaign").filter(token_hash=token_hash(token)).first()


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def active_link(request):
    link = link_for_token(_bearer(request))
    return link if link is not None and link.is_active else None


def transfer_owner(request) -> str | None:
    """The owner key of the transfer app's uploads made with an upward link's token."""
    link = active_link(request)
    return f"rollup-link:{link.pk}" if link is not None else None


class UpwardLinkAuth(HttpBearer):
    """The sender's upward-link token; an unknown one is 401, a revoked one 401 with its reason (audited)."""

    def authenticate(self, request, token):
        link = link_for_token(token)
        if link is None:
            if token.startswith(TOKEN_PREFIX):
                _refusal_audit(request, "token_unknown")
                raise HttpError(401, _("The upward link token is unknown. Ask the province for a new one."))
            return None
        if not link.is_active:
            _refusal_audit(request, "token_revoked", link=link)
            raise HttpError(401, _("This upward link was revoked by the province. Ask the province for a new one."))
        return link


def _refusal_audit(request, code: str, link=None) -> None:
    from audit.models import AuditEntry
    from audit.services import audit_record

    audit_record(action="rollup.package.refused", obj=link, outcome=AuditEntry.Outcome.DENIED,
                 changes={"code": code, "path": request.path}, actor_name=_("upward link"))
