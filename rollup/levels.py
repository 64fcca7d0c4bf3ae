"""The level a deployment runs at (settings.SCIDAY_LEVEL): city (the default), province or nation.

One codebase and one data model at every level: the level only decides what a sender calls itself in its
upward package, how the area of a unit is labelled (a city's districts; a province's cities by region code)
and which roll-up pages are offered (a city pushes up; a province or nation receives and decides)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CITY, PROVINCE, NATION = "city", "province", "nation"
LEVELS = (CITY, PROVINCE, NATION)
LEVEL_LABELS = {CITY: _("city"), PROVINCE: _("province"), NATION: _("nation")}
# The level a package comes from, for each receiving level.
SENDER_LEVEL = {PROVINCE: CITY, NATION: PROVINCE}


def level() -> str:
    return getattr(settings, "SCIDAY_LEVEL", CITY)


def region_code() -> str:
    return getattr(settings, "SCIDAY_REGION_CODE", "")


def receives() -> bool:
    """A province (or the nation) receives the packages of the level below."""
    return level() in SENDER_LEVEL


def sends() -> bool:
    """A city (or a province) sends its package to the level above."""
    return level() != NATION


def area_label():
    """What the column that names a unit's area is called at this level."""
    return _("District") if level() == CITY else _("Region")
