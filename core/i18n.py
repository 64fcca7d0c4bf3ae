"""Domain data carries its Chinese name and an English one; show the one for the active language."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def localized(obj, field: str = "name") -> str:
    """``obj.<field>_en`` when the UI is in English and it is filled, else ``obj.<field>``."""
    if is_english():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")
