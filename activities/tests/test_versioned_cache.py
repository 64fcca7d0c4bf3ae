"""core.versioned_cache, which the public pages and the review queue are cached with."""

import pytest
from django.core.cache import cache

from core import versioned_cache

pytestmark = pytest.mark.django_db

A, B = "test:a:version", "test:b:version"


def test_an_entry_is_built_once_then_again_after_a_bump_of_any_of_its_versions():
    built = []

    def build():
        built.append(1)
        return f"value {len(built)}"

    def get():
        return versioned_cache.get_or_build("test:entry", [A, B], build, timeout=60)

    assert get() == "value 1"
    assert get() == "value 1"
    versioned_cache.bump(B)
    assert get() == "value 2"
    versioned_cache.bump(A)
    assert get() == "value 3"
    assert get() == "value 3"
    assert len(built) == 3


def test_a_version_key_that_was_lost_starts_a_new_version():
    assert versioned_cache.get_or_build("test:entry", [A], lambda: "old", timeout=60) == "old"
    cache.delete(A)  # evicted, or a cache that was emptied
    assert versioned_cache.get_or_build("test:entry", [A], lambda: "new", timeout=60) == "new"


def test_a_bump_happens_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    first = versioned_cache.version(A)
    with django_capture_on_commit_callbacks(execute=True):
        versioned_cache.bump(A)
        during = versioned_cache.version(A)
    assert first != during != versioned_cache.version(A)


def test_none_is_a_value_like_any_other():
    calls = []
    assert versioned_cache.get_or_build("test:none", [A], lambda: calls.append(1), timeout=60) is None
    assert versioned_cache.get_or_build("test:none", [A], lambda: calls.append(1), timeout=60) is None
    assert calls == [1]
