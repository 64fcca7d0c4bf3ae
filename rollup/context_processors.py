from . import levels


def level(request):
    """The deployment's level and what a unit's area is called at it (templates label columns with it)."""
    return {"sciday_level": levels.level(), "sciday_level_label": levels.LEVEL_LABELS[levels.level()],
            "area_label": levels.area_label()}
