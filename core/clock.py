"""sciday's one clock. Every date rule asks ``now()`` or ``today()`` here, never timezone.now().

Setting ``SCIDAY_CLOCK`` (an ISO date-time such as ``2022-05-20T10:00+08:00``) freezes the clock at
that instant, so that a demonstration can show the 2022 campaign as live and tests can move time.
Security timings (sessions, lockouts) and audit timestamps use the real time on purpose (labelled 「真实时间」
where shown); records' auto stamps use this clock through ``core.fields.ClockDateTimeField``.
"""

from datetime import date, datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@lru_cache(maxsize=8)
def _parse(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ImproperlyConfigured(f"SCIDAY_CLOCK is not an ISO date-time: {value!r}")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def is_frozen() -> bool:
    return bool(getattr(settings, "SCIDAY_CLOCK", ""))


def now() -> datetime:
    """The current instant (aware), or the frozen instant of SCIDAY_CLOCK."""
    frozen = getattr(settings, "SCIDAY_CLOCK", "")
    if frozen:
        return _parse(frozen)
    return timezone.now()


def today() -> date:
    """Today's date in Asia/Shanghai by sciday's clock."""
    return timezone.localtime(now()).date()
