"""The one per-client throttle of sciday, shared by every app server.

With Redis as the shared cache, a counter there (INCR is atomic). With the database cache, one
atomic upsert into ``core.ThrottleCount`` per attempt: the database cache's incr reads and then
writes, so two app servers could both read 299 and both let a 301st attempt through.
Windows are fixed slots of ``window_seconds``.
"""

import hashlib
import random
import time

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from core.middleware import client_ip
from core.models import ThrottleCount

# One attempt in this many also deletes the expired slots.
PURGE_ONE_IN = 500


def _counts_in_cache() -> bool:
    return not isinstance(caches["default"], DatabaseCache)


def throttle_hit(*, scope: str, client: str, window_seconds: int) -> int:
    """Count one attempt of ``client`` at ``scope`` and return how many it made in the window."""
    ident = hashlib.sha256((client or "unknown").encode()).hexdigest()[:32]
    if _counts_in_cache():
        return _hit_in_cache(f"sciday:throttle:{scope}:{ident}", window_seconds)
    return _hit_in_database(f"{scope}:{ident}"[:80], window_seconds)


def _hit_in_cache(key: str, window_seconds: int) -> int:
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def _hit_in_database(key: str, window_seconds: int) -> int:
    now = int(time.time())
    slot = now // window_seconds
    table = ThrottleCount._meta.db_table
    with connection.cursor() as cursor:
        # The table name comes from the model; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {table} (\"key\", slot, n, expires) VALUES (%s, %s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (\"key\", slot) DO UPDATE SET n = {table}.n + 1 RETURNING n",
            [key, slot, (slot + 1) * window_seconds],
        )
        count = cursor.fetchone()[0]
    if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - not security: when to tidy up
        ThrottleCount.objects.filter(expires__lt=now).delete()
    return count


def throttle_allow(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt of this request's client at ``scope``; False once it made more than ``limit``."""
    return throttle_hit(scope=scope, client=client_ip(request) or "unknown", window_seconds=window_seconds) <= limit
