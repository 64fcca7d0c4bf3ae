"""The one per-client throttle of sciday, in the shared Django cache (several app servers share it)."""

import hashlib

from django.core.cache import cache

from core.middleware import client_ip


def throttle_hit(*, scope: str, client: str, window_seconds: int) -> int:
    """Count one attempt of ``client`` at ``scope`` and return how many it made in the window."""
    ident = hashlib.sha256((client or "unknown").encode()).hexdigest()[:32]
    key = f"sciday:throttle:{scope}:{ident}"
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def throttle_allow(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of this request's client at ``scope``; False once it made more than ``limit``."""
    return throttle_hit(scope=scope, client=client_ip(request) or "unknown", window_seconds=window_seconds) <= limit
