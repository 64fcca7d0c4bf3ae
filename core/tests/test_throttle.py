"""The shared per-client throttle: exact counts, also when many requests count at once."""

import threading

import pytest
from django.db import connection

from core import throttle
from core.models import ThrottleCount


@pytest.mark.django_db
def test_counts_per_client_and_scope_in_the_database():
    assert not throttle._counts_in_cache()  # the default shared cache is the database
    hits = [throttle.throttle_hit(scope="s", client="198.51.100.1", window_seconds=60) for _ in range(3)]
    assert hits == [1, 2, 3]
    assert throttle.throttle_hit(scope="s", client="198.51.100.2", window_seconds=60) == 1
    assert throttle.throttle_hit(scope="other", client="198.51.100.1", window_seconds=60) == 1
    assert ThrottleCount.objects.count() == 3


@pytest.mark.django_db
def test_a_new_window_starts_again_and_old_slots_are_purged(monkeypatch):
    now = [1_000_000]
    monkeypatch.setattr(throttle.time, "time", lambda: now[0])
    assert throttle.throttle_hit(scope="s", client="a", window_seconds=60) == 1
    assert throttle.throttle_hit(scope="s", client="a", window_seconds=60) == 2
    now[0] += 60
    monkeypatch.setattr(throttle, "PURGE_ONE_IN", 1)
    assert throttle.throttle_hit(scope="s", client="a", window_seconds=60) == 1
    assert ThrottleCount.objects.count() == 1  # the expired slot is gone


def test_with_redis_or_another_cache_the_cache_counts(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    assert throttle._counts_in_cache()
    assert [throttle.throttle_hit(scope="s", client="c", window_seconds=60) for _ in range(3)] == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_are_each_counted_once():
    threads, per_thread = 8, 20
    seen: list[int] = []
    lock = threading.Lock()

    def attack():
        try:
            for _ in range(per_thread):
                n = throttle.throttle_hit(scope="race", client="203.0.113.9", window_seconds=3600)
                with lock:
                    seen.append(n)
        finally:
            connection.close()

    pool = [threading.Thread(target=attack) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert sorted(seen) == list(range(1, threads * per_thread + 1))  # no two attempts saw the same count
