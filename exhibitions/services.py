"""Every write to exhibitions and education bases: tours, photos, bases, slots, bookings and check-in.

Who decides a base's bookings (design): the organisers (office staff) for every base, and a coordinator
of the base's managing unit for that base (``base.manage`` / ``visit.decide`` in accounts.permissions).
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.permissions import require, unit_ids
from activities.models import PUBLIC_STATES
from audit.services import audit_record
from core import clock
from core.crypto import encrypt_text, mask_contact
from core.exceptions import next_state
from notifications.services import notify
from organisations.services import validate_phone
from uploads.models import AssetUse
from uploads.services import assets_store_many

from .models import (
    HOLDING_STATES,
    BaseSlot,
    EducationBase,
    Exhibition,
    ExhibitionPhoto,
    ExhibitionStop,
    GroupKind,
    Visit,
    VisitState,
)

MAX_GROUP_SIZE = 1000  # visitors in one booked group (the booking and check-in forms offer as many)

CONTACT_PURPOSE = "exhibitions.visit-contact"

# The lifecycle of a booked visit: (state, action) -> next state. Nothing else is possible.
VISIT_TRANSITIONS: dict[tuple[str, str], str] = {
    (VisitState.REQUESTED, "confirm"): VisitState.CONFIRMED,
    (VisitState.REQUESTED, "decline"): VisitState.DECLINED,
    (VisitState.CONFIRMED, "check_in"): VisitState.VISITED,
    (VisitState.CONFIRMED, "no_show"): VisitState.NO_SHOW,
    (VisitState.CONFIRMED, "cancel"): VisitState.CANCELLED,
}
# Which permission each action needs; check-in needs the booking's signed code instead.
VISIT_ACTION_PERMISSIONS = {"confirm": "visit.decide", "decline": "visit.decide", "no_show": "visit.decide",
                            "cancel": "visit.cancel"}


def visit_action_labels() -> dict[str, str]:
    return {"confirm": _("Confirm the visit"), "decline": _("Decline the visit"), "check_in": _("Check the group in"),
            "no_show": _("Mark as not come"), "cancel": _("Cancel the visit")}


def _organisers():
    return get_user_model().objects.filter(office_memberships__isnull=False, is_active=True).distinct()


def _coordinators(unit_id):
    if unit_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(unit_memberships__unit_id=unit_id, is_active=True)


def _base_managers(base: EducationBase):
    """Who is told about a base's bookings: its managing unit's coordinators, else the organisers."""
    if base.managing_unit_id:
        return _coordinators(base.managing_unit_id)
    return _organisers()


# --- exhibitions ---------------------------------------------------------------------------------------------

@transaction.atomic
def exhibitions_seed(*, campaign, rows=None) -> list[Exhibition]:
    """The exhibitions a seeded campaign's notice names (its seed module's ``EXHIBITIONS``, see
    campaigns.seeding), idempotent: existing records keep their changes. Codes are unique per campaign."""
    if rows is None:
        from campaigns.seeding import seed_exhibitions

        rows = seed_exhibitions(campaign.slug)
    found = []
    for row in rows:
        exhibition, created = Exhibition.objects.get_or_create(
            campaign=campaign, code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
        if created:
            audit_record(action="exhibitions.exhibition.seeded", obj=exhibition)
        found.append(exhibition)
    return found


def exhibitions_copy(*, actor, source, target, years: int = 1) -> list[Exhibition]:
    """The exhibitions of ``source`` (not their tours) for the campaign ``target``, same codes; the tours are
    next year's to plan. Ended exhibitions are not copied."""
    with transaction.atomic():
        copies = [Exhibition(campaign=target, code=e.code, title=e.title, title_en=e.title_en, organiser=e.organiser,
                             description=e.description, order=e.order)
                  for e in Exhibition.objects.filter(campaign=source, ended_on__isnull=True).order_by("order", "id")
                  if not Exhibition.objects.filter(campaign=target, code=e.code).exists()]
        Exhibition.objects.bulk_create(copies)
        for exhibition in copies:
            audit_record(action="exhibitions.exhibition.copied", actor=actor, obj=exhibition,
                         changes={"from": source.slug, "code": exhibition.code})
    return copies


def _check_code(*, campaign, code: str, exclude_pk=None) -> None:
    taken = Exhibition.objects.filter(campaign=campaign, code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"code": _("This campaign already has an exhibition with the code “%(code)s”.")
                               % {"code": code}})


def exhibition_create(*, actor, campaign, code: str, title: str, organiser: str, title_en: str = "",
                      description: str = "", order: int | None = None) -> Exhibition:
    """A new touring exhibition of ``campaign`` (organisers); its code is unique within the campaign."""
    require(actor, "exhibitions.manage")
    code = (code or "").strip()
    with transaction.atomic():
        _check_code(campaign=campaign, code=code)
        if order is None:
            order = (Exhibition.objects.filter(campaign=campaign).order_by("-order").values_list("order", flat=True)
                     .first() or 0) + 1
        exhibition = Exhibition(campaign=campaign, code=code, title=(title or "").strip(), title_en=title_en or "",
                                organiser=(organiser or "").strip(), description=description or "", order=order)
        exhibition.full_clean(validate_constraints=False)
        exhibition.save()
        audit_record(action="exhibitions.exhibition.created", actor=actor, obj=exhibition,
                     changes={"campaign": campaign.slug, "code": code, "title": exhibition.title})
    return exhibition


def exhibition_end(*, actor, exhibition: Exhibition, reopen: bool = False) -> Exhibition:
    """End an exhibition's tour (no new stops; it leaves the public list of touring exhibitions), or reopen it."""
    require(actor, "exhibitions.manage")
    with transaction.atomic():
        exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
        new = None if reopen else clock.today()
        if (exhibition.ended_on is None) == (new is None):
            return exhibition
        before = exhibition.ended_on
        exhibition.ended_on = new
        exhibition.save(update_fields=["ended_on", "updated_at"])
        audit_record(action="exhibitions.exhibition.reopened" if reopen else "exhibitions.exhibition.ended",
                     actor=actor, obj=exhibition, changes={"ended_on": [_value(before), _value(new)]})
    return exhibition


EXHIBITION_FIELDS = ["code", "title", "title_en", "organiser", "description"]
STOP_FIELDS = ["host_unit", "host_name", "venue", "district", "starts_on", "ends_on", "activity"]


def _value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def exhibition_update(*, actor, exhibition: Exhibition, **values) -> Exhibition:
    require(actor, "exhibitions.manage")
    with transaction.atomic():
        exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
        changes = {}
        for field, value in values.items():
            if field in EXHIBITION_FIELDS and getattr(exhibition, field) != value:
                changes[field] = [getattr(exhibition, field), value]
                setattr(exhibition, field, value)
        if "code" in changes:
            _check_code(campaign=exhibition.campaign, code=exhibition.code, exclude_pk=exhibition.pk)
        if changes:
            exhibition.full_clean(exclude=["campaign"], validate_constraints=False)
            exhibition.save(update_fields=[*changes, "updated_at"])
            audit_record(action="exhibitions.exhibition.updated", actor=actor, obj=exhibition, changes=changes)
        return exhibition


def _validate_stop(values: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not values.get("host_unit") and not (values.get("host_name") or "").strip():
        errors.setdefault("host_name", []).append(_("Name the host: a unit, or another host's name."))
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(_("The stop cannot end before it starts."))
    activity = values.get("activity")
    if activity is not None and activity.state not in PUBLIC_STATES:
        errors.setdefault("activity", []).append(
            _("Only an approved activity can be linked: it is what puts the stop on the public calendar."))
    if errors:
        raise ValidationError(errors)


def exhibition_stop_create(*, actor, exhibition: Exhibition, **values) -> ExhibitionStop:
    """Add a stop to an exhibition's tour (organisers)."""
    require(actor, "exhibitions.manage")
    if exhibition.ended_on is not None:
        raise ValidationError(_("This exhibition's tour has ended; reopen it to add a stop."))
    with transaction.atomic():
        values = {k: v for k, v in values.items() if k in STOP_FIELDS}
        _validate_stop(values)
        stop = ExhibitionStop.objects.create(exhibition=exhibition, **values)
        audit_record(action="exhibitions.stop.created", actor=actor, obj=stop,
                     changes={k: _value(v) for k, v in values.items()})
        return stop


def exhibition_stop_update(*, actor, stop: ExhibitionStop, **values) -> ExhibitionStop:
    require(actor, "exhibitions.manage")
    with transaction.atomic():
        stop = ExhibitionStop.objects.select_for_update().get(pk=stop.pk)
        values = {k: v for k, v in values.items() if k in STOP_FIELDS}
        _validate_stop({f: getattr(stop, f) for f in STOP_FIELDS} | values)
        changes = {}
        for field, value in values.items():
            if _value(getattr(stop, field)) != _value(value):
                changes[field] = [_value(getattr(stop, field)), _value(value)]
                setattr(stop, field, value)
        if changes:
            stop.save(update_fields=[*changes, "updated_at"])
            audit_record(action="exhibitions.stop.updated", actor=actor, obj=stop, changes=changes)
        return stop


def exhibition_stop_report(*, actor, stop: ExhibitionStop, visitors: int | None, photos=()) -> ExhibitionStop:
    """The host (or an organiser) records a stop's visitor count and adds photos."""
    require(actor, "exhibition_stop.report", stop)
    if visitors is not None and visitors < 0:
        raise ValidationError({"visitors": [_("The number of visitors cannot be negative.")]})
    with transaction.atomic():
        stop = ExhibitionStop.objects.select_for_update(of=("self",)).select_related("host_unit").get(pk=stop.pk)
        changes = {}
        if visitors is not None and visitors != stop.visitors:
            changes["visitors"] = [stop.visitors, visitors]
            stop.visitors = visitors
            stop.save(update_fields=["visitors", "updated_at"])
        if photos:
            assets = assets_store_many(files=list(photos), use=AssetUse.IMAGE, owner=actor, unit=stop.host_unit,
                                       is_public=True)
            ExhibitionPhoto.objects.bulk_create(ExhibitionPhoto(stop=stop, asset=a) for a in assets)
            changes["photos"] = [a.pk for a in assets]
        if changes:
            audit_record(action="exhibitions.stop.reported", actor=actor, obj=stop, changes=changes)
    return stop


# --- education bases and slots -------------------------------------------------------------------------------

BASE_FIELDS = ["name", "name_en", "district", "address", "exhibits", "opening_hours", "capacity_per_slot",
               "contact_person", "contact_phone", "managing_unit", "is_active"]


def base_create(*, actor, **values) -> EducationBase:
    require(actor, "exhibitions.manage")
    with transaction.atomic():
        values = {k: v for k, v in values.items() if k in BASE_FIELDS}
        base = EducationBase(**values)
        base.full_clean()
        base.save()
        audit_record(action="exhibitions.base.created", actor=actor, obj=base,
                     changes={k: _value(v) for k, v in values.items()})
        return base


def base_update(*, actor, base: EducationBase, **values) -> EducationBase:
    require(actor, "exhibitions.manage")
    with transaction.atomic():
        base = EducationBase.objects.select_for_update().get(pk=base.pk)
        changes = {}
        for field, value in values.items():
            if field in BASE_FIELDS and _value(getattr(base, field)) != _value(value):
                changes[field] = [_value(getattr(base, field)), _value(value)]
                setattr(base, field, value)
        if changes:
            base.full_clean()
            base.save(update_fields=[*changes, "updated_at"])
            audit_record(action="exhibitions.base.updated", actor=actor, obj=base, changes=changes)
        return base


def slot_create(*, actor, base: EducationBase, date: datetime.date, starts_at: datetime.time,
                ends_at: datetime.time, capacity: int | None = None) -> BaseSlot:
    """Open a visiting slot at a base (its managers); the capacity defaults to the base's per-slot capacity."""
    require(actor, "base.manage", base)
    errors = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value.tzinfo is not None:  # a slot's times are on the local clock: an offset is ambiguous
            errors[name] = [_("Give the time on the local clock, without a time zone (for example 09:30).")]
    if errors:
        raise ValidationError(errors)
    if ends_at <= starts_at:
        errors["ends_at"] = [_("A slot must end after it starts.")]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("A slot takes at least one visitor.")]
    if date < clock.today():
        errors["date"] = [_("A slot cannot be in the past.")]
    if BaseSlot.objects.filter(base=base, date=date, starts_at=starts_at).exists():
        errors["starts_at"] = [_("This base already has a slot starting at that time on that day.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        from campaigns.selectors import campaign_for_day

        slot = BaseSlot.objects.create(base=base, date=date, starts_at=starts_at, ends_at=ends_at,
                                       capacity=capacity or base.capacity_per_slot, campaign=campaign_for_day(date))
        audit_record(action="exhibitions.slot.created", actor=actor, obj=slot,
                     changes={"base": base.pk, "date": date, "starts_at": starts_at, "capacity": slot.capacity})
    return slot


# --- booking -------------------------------------------------------------------------------------------------

def booked_places(slot_id: int) -> int:
    """The places a slot's requested and confirmed bookings hold."""
    total = Visit.objects.filter(slot_id=slot_id, state__in=HOLDING_STATES).aggregate(n=Sum("group_size"))["n"]
    return total or 0


def _reference() -> str:
    return f"V{clock.today():%y%m%d}{secrets.token_hex(3).upper()}"


def visit_book(*, slot: BaseSlot, group_name: str, group_kind: str, group_size: int, contact_name: str,
               contact_phone: str, note: str = "", actor=None, unit=None) -> Visit:
    """Book a visit for a group in ``slot``: by the public (no actor) or by a coordinator for their unit.

    Capacity holds even when bookings race: the slot row is locked (SELECT … FOR UPDATE) and the places
    already held are summed again inside the same transaction before the booking is inserted.
    """
    if actor is not None or unit is not None:
        require(actor, "bases.book")
        if unit is None or unit.pk not in unit_ids(actor):
            raise PermissionDenied("bases.book")
    errors: dict[str, list[str]] = {}
    group_name, contact_name = (group_name or "").strip(), (contact_name or "").strip()
    if not group_name:
        errors["group_name"] = [_("Name the school, unit or group.")]
    if not contact_name:
        errors["contact_name"] = [_("Name a contact person.")]
    if group_size is None or group_size < 1:
        errors["group_size"] = [_("A group has at least one visitor.")]
    elif group_size > MAX_GROUP_SIZE:  # the booking form's rule, for the API too
        errors["group_size"] = [_("A group has at most %(max)d visitors; book several slots for more.")
                                % {"max": MAX_GROUP_SIZE}]
    if group_kind not in GroupKind.values:
        errors["group_kind"] = [_("Choose the kind of group.")]
    contact_phone = (contact_phone or "").strip()
    try:
        validate_phone(contact_phone)
    except ValidationError as exc:
        errors["contact_phone"] = exc.messages
    if not contact_phone:
        errors["contact_phone"] = [_("Give a phone number for the base to call.")]
    if errors:
        raise ValidationError(errors)
    contact = f"{contact_name} {contact_phone}"
    with transaction.atomic():
        slot = BaseSlot.objects.select_for_update(of=("self",)).select_related("base").get(pk=slot.pk)
        if not slot.base.is_active:
            raise ValidationError(_("This base does not take bookings at present."), code="closed")
        if slot.date < clock.today():
            raise ValidationError(_("This slot is in the past."), code="past")
        free = slot.capacity - booked_places(slot.pk)
        if group_size > free:
            raise ValidationError(
                _("Not enough places left in this slot: %(free)d left, your group has %(size)d.")
                % {"free": max(free, 0), "size": group_size}, code="full")
        visit = Visit.objects.create(
            base=slot.base, slot=slot, reference=_reference(), group_name=group_name, group_kind=group_kind,
            group_size=group_size, unit=unit, booked_by=actor, note=(note or "").strip(),
            contact_encrypted=encrypt_text(contact, purpose=CONTACT_PURPOSE),
            contact_masked=f"{contact_name[:1]}** {mask_contact(contact_phone)}",
        )
        audit_record(action="exhibitions.visit.booked", actor=actor, obj=visit,
                     actor_name="" if actor else _("public booking"),
                     changes={"slot": slot.pk, "group_size": group_size, "group_kind": group_kind})
        notify(recipients=_base_managers(slot.base), kind="exhibitions.visit.booked", url=visit.get_absolute_url(),
               title=_("New visit booking: %(group)s, %(size)d people") % {"group": group_name, "size": group_size},
               body=_("%(base)s, %(slot)s") % {"base": slot.base.name, "slot": slot})
    return visit


def visit_contact(visit: Visit) -> str:
    """The booking's contact in clear, for the people who decide it."""
    from core.crypto import decrypt_text

    return decrypt_text(visit.contact_encrypted, purpose=CONTACT_PURPOSE)


def _transition(*, actor, visit: Visit, action: str, apply=None, changes: dict | None = None) -> Visit:
    if action in VISIT_ACTION_PERMISSIONS:
        require(actor, VISIT_ACTION_PERMISSIONS[action], visit)
    with transaction.atomic():
        visit = Visit.objects.select_for_update(of=("self",)).select_related("base", "slot").get(pk=visit.pk)
        before = visit.state
        target = next_state(VISIT_TRANSITIONS, state=before, action=action, labels=dict(VisitState.choices),
                            action_labels=visit_action_labels())
        update_fields = {"state", "updated_at"}
        if apply is not None:
            update_fields |= set(apply(visit) or [])
        visit.state = target
        visit.save(update_fields=sorted(update_fields))
        audit_record(action=f"exhibitions.visit.{action}", actor=actor, obj=visit,
                     actor_name="" if actor else _("group check-in"),
                     changes={"state": [before, target], **(changes or {})})
        recipients = list(_coordinators(visit.unit_id))
        if action in ("check_in", "cancel") or not recipients:
            recipients += list(_base_managers(visit.base))
        notify(recipients=recipients, kind=f"exhibitions.visit.{action}", url=visit.get_absolute_url(),
               title=_("%(base)s: %(group)s — %(state)s")
               % {"base": visit.base.name, "group": visit.group_name, "state": visit.get_state_display()},
               body=str(visit.slot))
    return visit


def visit_confirm(*, actor, visit: Visit) -> Visit:
    def apply(v):
        v.decided_at = clock.now()
        return ["decided_at"]
    return _transition(actor=actor, visit=visit, action="confirm", apply=apply)


def visit_decline(*, actor, visit: Visit, reason: str = "") -> Visit:
    reason = (reason or "").strip()

    def apply(v):
        v.decided_at, v.decline_reason = clock.now(), reason
        return ["decided_at", "decline_reason"]
    return _transition(actor=actor, visit=visit, action="decline", apply=apply, changes={"reason": reason})


def visit_no_show(*, actor, visit: Visit) -> Visit:
    return _transition(actor=actor, visit=visit, action="no_show")


def visit_cancel(*, actor, visit: Visit, reason: str = "") -> Visit:
    reason = (reason or "").strip()

    def apply(v):
        v.decline_reason = reason
        return ["decline_reason"]
    return _transition(actor=actor, visit=visit, action="cancel", apply=apply, changes={"reason": reason})


VISIT_SERVICES = {"confirm": visit_confirm, "decline": visit_decline, "no_show": visit_no_show,
                  "cancel": visit_cancel}


# --- QR check-in: a signed code per booking, valid on the visit's date only -------------------------------------

CHECKIN_SALT = "exhibitions.visit.checkin"
STATUS_SALT = "exhibitions.visit.status"


def visit_checkin_code(visit: Visit) -> str:
    return signing.dumps({"v": visit.pk, "d": visit.slot.date.isoformat()}, salt=CHECKIN_SALT, compress=True)


def visit_status_code(visit: Visit) -> str:
    """The code of the booking's status page that a public booker keeps (it shows the QR once confirmed)."""
    return signing.dumps({"v": visit.pk}, salt=STATUS_SALT, compress=True)


def visit_by_status_code(code: str) -> Visit | None:
    try:
        data = signing.loads(code, salt=STATUS_SALT)
    except signing.BadSignature:
        return None
    return Visit.objects.select_related("base", "slot").filter(pk=data.get("v")).first()


def visit_by_checkin_code(code: str) -> Visit | None:
    """The booking of a genuine check-in code (None if forged); the date is checked by checkin_refusal."""
    try:
        data = signing.loads(code, salt=CHECKIN_SALT)
    except signing.BadSignature:
        return None
    visit = Visit.objects.select_related("base", "slot").filter(pk=data.get("v")).first()
    if visit is None or data.get("d") != visit.slot.date.isoformat():
        return None
    return visit


def checkin_refusal(visit: Visit) -> str:
    """Why the group cannot check in now ('' when it can)."""
    if visit.state == VisitState.VISITED:
        return _("This group has already checked in.")
    if visit.state != VisitState.CONFIRMED:
        return _("Only a confirmed visit can check in.")
    if clock.today() != visit.slot.date:
        return _("This code is valid on %(date)s only.") % {"date": visit.slot.date.isoformat()}
    return ""


def visit_check_in(*, visit: Visit, visitors: int, actor=None) -> Visit:
    """The group checks in with its code on the day and the number of visitors who came is recorded."""
    refusal = checkin_refusal(visit)
    if refusal:
        raise ValidationError(refusal, code="refused")
    if visitors is None or visitors < 1:
        raise ValidationError({"visitors": [_("At least one visitor must be present.")]})
    if visitors > MAX_GROUP_SIZE:
        raise ValidationError({"visitors": [_("A group has at most %(max)d visitors; book several slots for more.")
                                            % {"max": MAX_GROUP_SIZE}]})

    def apply(v):
        if clock.today() != v.slot.date:  # checked again under the lock
            raise ValidationError(checkin_refusal(v), code="refused")
        v.visitors, v.checked_in_at = visitors, clock.now()
        return ["visitors", "checked_in_at"]
    return _transition(actor=actor, visit=visit, action="check_in", apply=apply, changes={"visitors": visitors})
