import datetime

import pytest


@pytest.fixture(autouse=True)
def clock(settings):
    """Run every exhibitions test on 2022-05-20 (slots are on 2022-05-25)."""
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    settings.SCIDAY_VISIT_BOOK_LIMIT = 1000


@pytest.fixture
def base_a(unit_a):
    """A base managed by unit A (市南区科协)."""
    from exhibitions.tests.factories import BaseFactory

    return BaseFactory(managing_unit=unit_a, capacity_per_slot=50)


@pytest.fixture
def slot_a(base_a):
    from exhibitions.tests.factories import SlotFactory

    return SlotFactory(base=base_a, capacity=50, date=datetime.date(2022, 5, 25), starts_at=datetime.time(9),
                       ends_at=datetime.time(10, 30))
