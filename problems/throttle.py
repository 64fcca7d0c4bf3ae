"""A small per-client throttle in the shared Django cache (several app servers share it)."""

import hashlib

from django.core.cache import cache

from core.middleware import client_ip


def throttle_allow(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of this client at ``scope``; False once it made more than ``limit`` in the window."""
    ident = hashlib.sha256((client_ip(request) or "unknown").encode()).hexdigest()[:32]
    key = f"sciday:throttle:{scope}:{ident}"
    if cache.add(key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return True
    return count <= limit
