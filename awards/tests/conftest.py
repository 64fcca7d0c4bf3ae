import pytest
from django.core.cache import cache

from awards.tests.factories import SelectionFactory


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def selection(qingdao, settings):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    return SelectionFactory(campaign=qingdao)
