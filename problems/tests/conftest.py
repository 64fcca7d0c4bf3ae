import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    cache.clear()
    yield
    cache.clear()
