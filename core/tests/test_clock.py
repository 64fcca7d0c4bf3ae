import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import clock


def test_frozen_clock_returns_the_configured_instant(settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    assert clock.is_frozen()
    assert clock.now().isoformat() == "2022-05-20T10:00:00+08:00"
    assert clock.today() == datetime.date(2022, 5, 20)


def test_today_is_in_shanghai_even_when_the_instant_is_utc(settings):
    settings.SCIDAY_CLOCK = "2022-05-29T17:30+00:00"  # 01:30 on 30 May in Qingdao
    assert clock.today() == datetime.date(2022, 5, 30)


def test_unfrozen_clock_follows_real_time(settings):
    settings.SCIDAY_CLOCK = ""
    assert not clock.is_frozen()
    assert clock.now().year >= 2024


def test_a_malformed_clock_is_refused(settings):
    settings.SCIDAY_CLOCK = "next tuesday"
    with pytest.raises(ImproperlyConfigured):
        clock.now()
