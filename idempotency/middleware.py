"""Idempotency keys: a request retried after a timeout or a 502 gets the first answer, never a second record.

Every state-changing request (POST, PUT, PATCH, DELETE) may carry a key: the ``Idempotency-Key``
header (API clients), or the hidden ``idempotency_key`` field that every web form carries (made when
the form is rendered: idempotency.templatetags.idempotency_builtins adds it beside the CSRF token).

- The key is scoped to the signed-in user (session or API token) or, for an anonymous client, to its
  address; the same key from someone else is a different key.
- The first request with a key inserts the key's row and runs the view in ONE transaction with it,
  and stores the answer (status, body and the headers that matter) in that row before committing.
  So a record exists exactly when its answer is kept: a server killed in the middle rolls both back,
  and the retry does the work afresh.
- A second request with the same key waits on that row (the database's unique index holds it until
  the first commits; PostgreSQL waits at most IDEMPOTENCY_LOCK_TIMEOUT, then answers 409 「正在处理」)
  and then gets the stored answer: same status, same body, header ``Idempotent-Replayed: true``.
- The same key with a different request (method, path or body) answers 422 and does nothing. A
  form's hidden key is taken together with the form's content instead: one rendered form sent again
  with other content (an htmx page keeps its form) is a new submission, itself done once.
- Only answers below 400 are kept: a refusal (4xx) or a server error (5xx) changed nothing, so the
  key is released and a retry is simply run again. A login or logout (the signed-in user changed)
  and a streamed answer are never kept either.
Keys are kept a day (IDEMPOTENCY_KEY_TTL_HOURS) and pruned by ``manage.py prune_idempotency_keys``.
"""

import hashlib
import json

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# The answer's headers a replay repeats (cookies are not: a replay sets none).
KEPT_HEADERS = ("Content-Type", "Location", "Content-Disposition", "HX-Redirect", "HX-Location", "HX-Refresh",
                "HX-Trigger", "HX-Retarget", "HX-Reswap", "HX-Push-Url")
MAX_KEY_LENGTH = 255
# Paths whose bodies are streamed to disk and must never be read whole here, nor run in one long
# transaction: the resumable transfers (a PATCH is safe to repeat by the protocol: its Upload-Offset).
EXEMPT_PREFIXES = ("/api/v1/transfer/",)


def request_key(request) -> tuple[str | None, bool]:
    """The key, and whether it came from a form's hidden field (not the header)."""
    key = request.headers.get(HEADER)
    # The API reads its own body (a form body parsed here could not be read again there): the header only.
    if key is None and request.content_type in FORM_TYPES and not request.path.startswith("/api/"):
        return request.POST.get(FIELD), True
    return key, False


def request_scope(request) -> str | None:
    """Whose key this is: the user (session or token), or an anonymous client; None when a token is invalid."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        from accounts.services import api_token_authenticate

        token_user = api_token_authenticate(auth[7:].strip())
        # An invalid token: no key, the API answers 401 as it would without one.
        return f"u:{token_user.pk}" if token_user is not None else None
    from core.middleware import client_ip

    return "a:" + hashlib.sha256((client_ip(request) or "").encode()).hexdigest()[:40]


def request_fingerprint(request) -> str:
    """A hash of what the request asks: method, path with query, and the body.

    A form's body is taken field by field (without the CSRF token, which is masked anew on every
    page, and without the key itself), and its files by name, size and content, because a browser
    writes a new multipart boundary for each send of the same form."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type in FORM_TYPES:
        for name in sorted(request.POST):
            if name in (FIELD, "csrfmiddlewaretoken"):
                continue
            for value in request.POST.getlist(name):
                digest.update(json.dumps([name, value]).encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(json.dumps([name, upload.name, upload.size]).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def problem(request, status: int, message: str):
    """A refusal in the shape the caller reads: JSON for the API, a page for a person."""
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message}, status=status)
    response = TemplateResponse(request, "idempotency/refused.html", {"message": message}, status=status)
    return response.render()


def replay(row: IdempotencyKey):
    from django.http import HttpResponse

    response = HttpResponse(bytes(row.body), status=row.status)
    for name, value in row.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def keepable(request, response, session_key_before) -> bool:
    """Whether to keep this answer for replays: a success that is no login or logout and not streamed."""
    if response.status_code >= 400 or getattr(response, "streaming", False):
        return False
    # A login or logout (the session key changed) answers with a cookie, and a replay sets none.
    session = getattr(request, "session", None)
    return session is None or session.session_key == session_key_before


class IdempotencyMiddleware:
    """See the module's docstring. Sits after the authentication middleware (it needs the user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODS or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        key, from_form = request_key(request)
        if key is None or key == "":
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
            return problem(request, 400, _("The Idempotency-Key must be 1 to 255 printable ASCII characters."))
        scope = request_scope(request)
        if scope is None:
            return self.get_response(request)
        fingerprint = request_fingerprint(request)
        if from_form:
            # A page may send one rendered form several times with different content (an htmx page
            # keeps its form while it swaps a part; the person corrects an answer and sends again):
            # each different content is its own submission, each done once.
            key = "f:" + hashlib.sha256(f"{key}\n{fingerprint}".encode()).hexdigest()
        session = getattr(request, "session", None)
        session_key_before = session.session_key if session is not None else None
        with transaction.atomic():
            try:
                with transaction.atomic():
                    self._lock_timeout(settings.IDEMPOTENCY_LOCK_TIMEOUT)
                    row = IdempotencyKey.objects.create(scope=scope, key=key, method=request.method,
                                                        path=request.get_full_path()[:2000], fingerprint=fingerprint)
                    self._lock_timeout(None)
            except IntegrityError:
                row = None
            except OperationalError:  # PostgreSQL's lock_timeout: the first request is still running
                return problem(request, 409, _("This request is still being processed; try again in a moment."))
            if row is None:
                first = IdempotencyKey.objects.filter(scope=scope, key=key).first()
                if first is None or first.status is None:
                    return problem(request, 409, _("This request is still being processed; try again in a moment."))
                if first.fingerprint != fingerprint:
                    return problem(request, 422, _("This Idempotency-Key was already used for a different request; "
                                                   "send a new key (reload the page) to do something else."))
                return replay(first)
            response = self.get_response(request)
            try:
                if keepable(request, response, session_key_before):
                    row.status = response.status_code
                    row.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                    row.body = response.content
                    row.save(update_fields=["status", "headers", "body"])
                else:
                    row.delete()
            except DatabaseError:
                # The view left the transaction broken (a database error it caught itself): undo all
                # of it, as Django would have, rather than keep a record whose answer we lost.
                transaction.set_rollback(True)
        return response

    @staticmethod
    def _lock_timeout(value: str | None) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            if value is None:
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
            else:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [value])
