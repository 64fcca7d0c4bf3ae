"""Idempotent loading: create a row, or bring it in line, and touch nothing that already matches."""

from django.db import models


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Return ``(obj, outcome)`` with outcome ``created``, ``updated`` or ``unchanged``.

    Unlike update_or_create it saves nothing when every value already matches, so loading the
    same data twice leaves every row (and its ``updated_at``) as it was.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = []
    for field, value in values.items():
        current = getattr(obj, field)
        if isinstance(current, models.Model):
            current = current.pk
            value = value.pk if isinstance(value, models.Model) else value
            field_name = f"{field}_id"
        else:
            field_name = field
        if current != value:
            setattr(obj, field_name, value)
            changed.append(field)
    if not changed:
        return obj, "unchanged"
    obj.save()
    return obj, "updated"
