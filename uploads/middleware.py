"""Refuse an over-size request from its Content-Length, before a byte of the body is received.

Django reads a request body only when a view asks for ``request.POST`` / ``request.FILES``; this middleware
stands first, so a 2 GB upload is answered 413 at once (JSON under /api/, a Chinese page elsewhere) and the
connection is closed rather than the body read. nginx's ``client_max_body_size`` does the same in front of
it (docs/deployment.md); this is the check that holds without nginx too. On the resumable-transfer
paths (/api/v1/transfer/) the cap is one chunk, SCIDAY_TRANSFER_MAX_CHUNK_BYTES, whatever the other.
"""

from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import API_PREFIX
from transfer import conf as transfer_conf

from . import conf


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = conf.max_request_bytes()
        if request.path.startswith(transfer_conf.PREFIX):
            # Resumable transfers: one PATCH carries at most a chunk (the view streams it to disk).
            limit = transfer_conf.max_chunk_bytes()
        if length > limit:
            return self._refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, limit: int):
        with translation.override(translation.get_language_from_request(request) or "zh-hans"):
            message = _("The upload is too large: a request may carry at most %(limit)s.") % {
                "limit": filesizeformat(limit)}
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"detail": message}, status=413)
        else:
            response = HttpResponse(f'<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>413</title>'
                                    f"<p>{message}</p></html>", status=413, content_type="text/html; charset=utf-8")
        response["Connection"] = "close"  # the body stays unread: the connection cannot be reused
        return response
