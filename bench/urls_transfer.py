"""The benchmark URLs, and an authenticator that accepts ``Bearer $BENCH_TRANSFER_TOKEN`` as the owner "bench"."""

import hmac
import os

from bench.urls_bench import urlpatterns  # noqa: F401
from transfer.registry import register_authenticator


def _bench_owner(request):
    token = os.environ.get("BENCH_TRANSFER_TOKEN", "")
    sent = request.headers.get("Authorization", "")[7:].strip()
    return "bench" if token and hmac.compare_digest(sent, token) else None


register_authenticator(_bench_owner)
