"""The one audit service: every login, change, transition, export and permission change calls it."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from core.middleware import current_request

from .models import AuditEntry


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def audit_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    changes: dict | None = None,
    outcome: str = AuditEntry.Outcome.SUCCESS,
    actor_name: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Write one audit entry. ``action`` is dotted: ``organisations.unit.created``."""
    meta = current_request.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor_name or (actor.get_username() if actor is not None else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=_jsonable(changes or {}),
        ip=ip or (meta.ip if meta else None),
        user_agent=meta.user_agent if meta else "",
        outcome=outcome,
    )


def diff_fields(instance: models.Model, before: dict, fields: list[str]) -> dict:
    """``{field: [old, new]}`` for the fields of ``instance`` that differ from ``before``."""
    changed = {}
    for field in fields:
        new = getattr(instance, field)
        if isinstance(new, models.Model):
            new = new.pk
        old = before.get(field)
        if old != new:
            changed[field] = [old, new]
    return changed


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    values = {}
    for field in fields:
        value = getattr(instance, field)
        values[field] = value.pk if isinstance(value, models.Model) else value
    return values
