from django import template

from core.i18n import localized as _localized

register = template.Library()


@register.filter
def localized(obj, field="name"):
    """``{{ unit.district|localized }}``: the English name in English, the Chinese one otherwise."""
    if obj is None:
        return ""
    return _localized(obj, field)


@register.filter
def mask_phone(value: str) -> str:
    """138****1234: keep the first three and last four digits of a phone number."""
    value = (value or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


@register.filter
def safe_link(value) -> str:
    """``{{ c.link|safe_link }}``: the link if it is http(s), else "" (a stored ``javascript:`` or ``data:``
    link, even one saved before links were checked, never reaches an ``href``). Every user-supplied link in
    a template goes through this filter."""
    from core.links import safe_link as _safe_link

    return _safe_link(value)
