from django import template

from accounts.permissions import can

register = template.Library()


@register.filter
def may(user, permission: str) -> bool:
    """``{% if user|may:"volunteering.manage" %}``: the permission layer's answer, for menus only."""
    return can(user, permission)
