"""Every write to units: create, update, deactivate, reactivate and bulk import.

Each service checks the permission itself (a view forgetting to check must not open a hole),
validates its input with Chinese-first messages, runs in one transaction and writes an audit entry.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit_record, diff_fields, snapshot

from .models import DISTRICT_UNIT_TYPES, District, Unit, UnitType

# A mainland mobile number, or a landline with an optional area code and extension:
# 13800138000, 0532-85916831, 85916831, 0532-85916831-808.
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,6})?)$")

CONTACT_FIELDS = ["contact_person", "phone", "email"]
ALL_FIELDS = ["name", "unit_type", "district", "contact_person", "phone", "email", "is_active"]
NAME_MAX_LENGTH = Unit._meta.get_field("name").max_length


def phone_is_valid(value: str) -> bool:
    return bool(PHONE_RE.match(value))


def normalise_phone(value: str) -> str:
    """Drop the spaces people type in numbers (138 0013 8000); keep the hyphens of landlines."""
    return re.sub(r"\s+", "", value or "")


def validate_phone(value: str) -> None:
    """A form validator: a Chinese mobile number or a landline such as 0532-85916831."""
    if value and not phone_is_valid(normalise_phone(value)):
        raise ValidationError(
            _("Enter a mobile number (11 digits starting with 1) or a landline such as 0532-85916831."),
            code="invalid_phone",
        )


def _clean_fields(values: dict, *, instance: Unit | None = None) -> dict:
    """Normalise ``values`` and check them; raise ValidationError keyed by field on bad input."""
    cleaned = dict(values)
    errors: dict[str, list[str]] = {}
    for key in ("name", "contact_person", "email"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if "phone" in cleaned:
        cleaned["phone"] = normalise_phone(cleaned["phone"])

    if "name" in cleaned:
        name = cleaned["name"]
        if not name:
            errors.setdefault("name", []).append(_("Enter the unit's name."))
        elif len(name) > NAME_MAX_LENGTH:
            errors.setdefault("name", []).append(
                _("The name may have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
        else:
            clash = Unit.objects.filter(name=name)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors.setdefault("name", []).append(_("A unit with this name already exists."))
    if "unit_type" in cleaned and cleaned["unit_type"] not in UnitType.values:
        errors.setdefault("unit_type", []).append(_("Choose a valid unit type."))
    if "district" in cleaned and cleaned["district"] is not None and not isinstance(cleaned["district"], District):
        errors.setdefault("district", []).append(_("Choose a valid district."))
    unit_type = cleaned.get("unit_type", instance.unit_type if instance else None)
    district = cleaned.get("district", instance.district if instance else None)
    if unit_type in DISTRICT_UNIT_TYPES and district is None:
        errors.setdefault("district", []).append(
            _("A district association or district bureau must name its district."))
    if cleaned.get("phone") and not phone_is_valid(cleaned["phone"]):
        errors.setdefault("phone", []).append(
            _("Enter a mobile number (11 digits starting with 1) or a landline such as 0532-85916831."))
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid e-mail address."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def unit_create(
    *,
    actor,
    name: str,
    unit_type: str,
    district: District | None = None,
    contact_person: str = "",
    phone: str = "",
    email: str = "",
    is_active: bool = True,
) -> Unit:
    """Create a participating unit (organisers only)."""
    require(actor, "units.manage")
    with transaction.atomic():
        cleaned = _clean_fields({
            "name": name, "unit_type": unit_type, "district": district, "contact_person": contact_person,
            "phone": phone, "email": email, "is_active": bool(is_active),
        })
        try:
            with transaction.atomic():
                unit = Unit.objects.create(**cleaned)
        except IntegrityError:  # a concurrent create took the name between our check and the insert
            raise ValidationError({"name": [_("A unit with this name already exists.")]})
        audit_record(action="organisations.unit.created", actor=actor, obj=unit,
                     changes=snapshot(unit, ALL_FIELDS))
    return unit


def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    """Change a unit: organisers any field; the unit's own coordinators only its contact details."""
    unknown = set(changes) - set(ALL_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unexpected fields {sorted(unknown)}")
    if set(changes) - set(CONTACT_FIELDS):
        require(actor, "units.manage", unit)
    else:
        require(actor, "unit.edit_contact", unit)
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        cleaned = _clean_fields(changes, instance=locked)
        before = snapshot(locked, ALL_FIELDS)
        for field, value in cleaned.items():
            setattr(locked, field, value)
        changed = diff_fields(locked, before, list(cleaned))
        if changed:
            try:
                with transaction.atomic():
                    locked.save(update_fields=[*changed, "updated_at"])
            except IntegrityError:
                raise ValidationError({"name": [_("A unit with this name already exists.")]})
            audit_record(action="organisations.unit.updated", actor=actor, obj=locked, changes=changed)
    return locked


# The permission is checked before the transaction opens, so that the audit entry of a denial
# is not rolled back with it.
def _set_active(*, actor, unit: Unit, active: bool, action: str) -> Unit:
    require(actor, "units.manage", unit)
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if locked.is_active == active:
            raise ValidationError(
                _("This unit is already active.") if active else _("This unit is already deactivated."))
        locked.is_active = active
        locked.save(update_fields=["is_active", "updated_at"])
        audit_record(action=action, actor=actor, obj=locked, changes={"is_active": [not active, active]})
    return locked


def unit_deactivate(*, actor, unit: Unit) -> Unit:
    """Take a unit out of the campaign; its records stay, and it can be reactivated."""
    return _set_active(actor=actor, unit=unit, active=False, action="organisations.unit.deactivated")


def unit_reactivate(*, actor, unit: Unit) -> Unit:
    """Bring a deactivated unit back into the campaign."""
    return _set_active(actor=actor, unit=unit, active=True, action="organisations.unit.reactivated")


class ImportRejected(Exception):
    """The import wrote nothing: ``errors`` lists every invalid row (importing.RowError)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} invalid rows")
        self.errors = errors


def unit_import(*, actor, rows, file_name: str = "") -> list[Unit]:
    """Create every unit of ``rows`` (importing.RawRow) in one go, or none if any row is invalid."""
    from . import importing, selectors

    require(actor, "units.manage")
    with transaction.atomic():
        lookups = selectors.import_lookups()
        valid, errors = importing.validate_rows(rows, **lookups)
        if errors:
            raise ImportRejected(errors)
        units = [
            Unit(name=row.name, unit_type=row.unit_type, district_id=row.district_id,
                 contact_person=row.contact_person, phone=row.phone, email=row.email)
            for row in valid
        ]
        try:
            with transaction.atomic():
                created = Unit.objects.bulk_create(units, batch_size=500)
        except IntegrityError:  # somebody created one of these names while we validated
            raise ImportRejected([importing.RowError(0, [_(
                "Another user created some of these units at the same time; nothing was imported. "
                "Please upload again.")])])
        audit_record(
            action="organisations.unit.imported", actor=actor,
            changes={"count": len(created), "file": file_name, "names": [u.name for u in created][:200]},
        )
    return created
