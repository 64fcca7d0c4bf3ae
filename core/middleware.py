"""Request-wide middleware of sciday: the UI language and the request facts the audit log needs."""

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
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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
