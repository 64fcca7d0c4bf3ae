"""A request id on every request and one JSON log line per request (ops.logging.JsonFormatter)."""

import logging
import re
import time
import uuid

logger = logging.getLogger("sciday.request")

# What nginx sends ($request_id: 32 hex digits) or a client's own, if it is short and plain.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Takes X-Request-ID from nginx (or makes one), answers with it, and logs the request.

    The log line holds the request id, method, path (no query string: it may carry personal data),
    status, duration and the user's id number: never a name, username or address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
