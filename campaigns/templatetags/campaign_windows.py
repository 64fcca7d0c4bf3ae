"""``{% current_campaign as campaign %}``: the running (or next) published campaign, for pages that show its windows."""

from django import template

register = template.Library()


@register.simple_tag
def current_campaign():
    from campaigns.selectors import current_campaign as current

    return current()
