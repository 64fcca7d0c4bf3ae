"""Entries of the shared cache that a write invalidates at once, through version keys.

A version key holds a number that every write to the data behind it changes (``bump``): at once, and
again after the commit, so that nothing read before the commit stays cached under the new version.
An entry remembers the versions it was built under; ``get_or_build`` reads the entry together with
the current versions in one round trip (one query with the database cache, one MGET with Redis) and
builds it again when any of them has moved. The cache is the shared Django cache (Redis or the
database): nothing here lives in one process, so every app server sees a bump at once.
"""

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

# Version keys shared by several apps.
ACTIVITIES = "activities:public:version"  # published activities (activities.services.public_version_bump)
CAMPAIGNS = "campaigns:public:version"  # a campaign's configuration (every edit service of campaigns.services)

T = TypeVar("T")


def version(key: str) -> int:
    """The current value of the version key ``key`` (created on first use)."""
    return cache.get(key) or _create(key)


def _create(key: str) -> int:
    value = time.time_ns()
    return value if cache.add(key, value, None) else (cache.get(key) or value)


def bump(key: str) -> None:
    """Invalidate every entry built under ``key``: now, and again once the current transaction commits."""
    def _bump():
        cache.set(key, time.time_ns(), None)

    _bump()
    transaction.on_commit(_bump)


def get_or_build(key: str, versions: Sequence[str], build: Callable[[], T], *, timeout: int) -> T:
    """The value cached under ``key`` if it was built under the current ``versions``; else ``build()``,
    cached for at most ``timeout`` seconds (a lifetime on top of the versions: nothing stale survives long)."""
    found = cache.get_many([*versions, key])
    current = tuple(found.get(name) or _create(name) for name in versions)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
        return entry[1]
    value = build()
    cache.set(key, (current, value), timeout)
    return value
