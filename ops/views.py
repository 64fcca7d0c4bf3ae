"""Probes for nginx, systemd and the operator; metrics for Prometheus."""

import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from core.decorators import public_view

from . import checks


@never_cache
@public_view
def healthz(request):
    """The process is up and answers: no dependency is asked (nginx's and systemd's liveness probe)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@public_view
def readyz(request):
    """Every dependency reachable: 200 with each one's status, else 503 naming what failed."""
    healthy, results = checks.run_all()
    return JsonResponse({"ready": healthy, "checks": results}, status=200 if healthy else 503)


def _operator_address(request) -> bool:
    # REMOTE_ADDR, never X-Forwarded-For: the metrics are for whoever reaches the app server itself.
    # nginx refuses /metrics outright (deploy/nginx/sciday.conf), so a request proxied by nginx never
    # gets here even though nginx connects from 127.0.0.1.
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.SCIDAY_METRICS_ALLOWED)


@never_cache
@public_view
def metrics(request):
    """Prometheus' text format, to the operator's addresses only (404 to anyone else, and when off)."""
    if not settings.SCIDAY_METRICS or not _operator_address(request) or "HTTP_X_FORWARDED_FOR" in request.META:
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
