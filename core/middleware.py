"""Request-wide middleware of sciday: the UI language and the request facts the audit log needs."""

import ipaddress
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None
    user_agent: str


# A context variable is per request (per thread or task), so nothing leaks between requests and
# nothing lives beyond one: several stateless app servers stay stateless.
current_request: ContextVar[RequestMeta | None] = ContextVar("sciday_current_request", default=None)


def client_ip(request) -> str | None:
    """The address of the client, for the audit log and every per-client throttle.

    X-Forwarded-For is believed only as far as ``SCIDAY_TRUSTED_PROXIES`` says: that many proxies
    (nginx: 1) stand in front of the app, each appending the address it was connected from. The
    client is then the right-most address that no trusted proxy wrote, ``hops`` places from the
    right; whatever the client wrote itself stands further left and is ignored, so it cannot forge
    its address to dodge a throttle. With 0 (the default, nothing in front) the header is ignored
    and REMOTE_ADDR is the client. A header that is missing, or a value that is no IP address,
    falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(getattr(settings, "SCIDAY_TRUSTED_PROXIES", 0) or 0)
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if not chain:
        return remote
    # Fewer entries than trusted proxies: the left-most one was still written by a trusted proxy.
    candidate = chain[-min(hops, len(chain))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(
            RequestMeta(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class LanguageMiddleware:
    """Chinese first: the language is the one the user chose (cookie), else zh-hans.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language, because sciday's
    users work in Chinese whatever their browser says; English is one click away on every page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """The idle timeout without a database write on every request.

    A session lives ``SESSION_COOKIE_AGE`` (30 minutes) from its last save. Saving it on every request
    (``SESSION_SAVE_EVERY_REQUEST``) made every page view, and every 2-second htmx poll of an export's
    progress, an UPDATE of the session row. Here a session that was not changed anyway is saved again
    only when its last renewal is older than ``SCIDAY_SESSION_RENEW_SECONDS`` (60): the timeout then
    counts from the last request within that minute, and polling writes once a minute, not every time.
    It must sit after SessionMiddleware so that its mark is seen when the session middleware saves.
    The renewal time is real time (a security timing), never sciday's campaign clock."""

    KEY = "_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or session.modified or response.status_code >= 500:
            return response
        now = int(time.time())
        try:
            renewed = int(session.get(self.KEY, 0))
        except (TypeError, ValueError):
            renewed = 0
        if now - renewed >= settings.SCIDAY_SESSION_RENEW_SECONDS:
            session[self.KEY] = now
        return response


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.SCIDAY_PERMISSIONS_POLICY) to every response.

    A view that needs a feature (say the camera) opts in with core.decorators.permissions_policy,
    which leaves ``_sciday_permissions_policy`` on its response; every other page keeps them off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            policy = {**getattr(settings, "SCIDAY_PERMISSIONS_POLICY", {}),
                      **getattr(response, "_sciday_permissions_policy", {})}
            if policy:
                response["Permissions-Policy"] = ", ".join(f"{name}={value}" for name, value in policy.items())
        return response
