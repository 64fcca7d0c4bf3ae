"""Filters of the audit log page: an entry's action and changes as a person reads them (audit.labels)."""

from django import template

from audit import labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code or "")


@register.filter
def change_rows(entry) -> list[tuple[str, str]]:
    return labels.changes_rows(entry.object_type or "", entry.changes)
