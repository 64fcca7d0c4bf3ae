"""Every write of volunteer service: volunteers (one by one and by import), teams, requests and their
one transition table, service records and the confirmation of hours."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.permissions import can, require
from audit.services import audit_record
from campaigns.selectors import current_campaign_pk
from core import clock
from core.crypto import encrypt_text, mask_contact
from core.exceptions import TransitionNotAllowed, next_state

from . import importing
from .models import (
    ExpertiseField,
    RequestEvent,
    RequestStatus,
    ServiceHours,
    ServiceRecord,
    ServiceRequest,
    ServiceTeam,
    Volunteer,
)

S = RequestStatus
# (state, action) -> next state: the one table that moves a request for service.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, "match"): S.MATCHED,  # a team accepts it (or an organiser assigns a team)
    (S.MATCHED, "schedule"): S.SCHEDULED,
    (S.SCHEDULED, "schedule"): S.SCHEDULED,  # a new date
    (S.SCHEDULED, "serve"): S.SERVED,  # a service record for the request was entered
    (S.SERVED, "confirm"): S.CONFIRMED,  # the requester confirms (receipt code) or staff on their behalf
    (S.SUBMITTED, "close"): S.CLOSED,
    (S.MATCHED, "close"): S.CLOSED,
    (S.SCHEDULED, "close"): S.CLOSED,
    (S.SERVED, "close"): S.CLOSED,
}
ACTION_LABELS = {
    "submit": pgettext_lazy("service request action", "File"),
    "match": pgettext_lazy("service request action", "Accept for a team"),
    "schedule": pgettext_lazy("service request action", "Schedule"),
    "serve": pgettext_lazy("service request action", "Record the service"),
    "confirm": pgettext_lazy("service request action", "Confirm the service"),
    "close": pgettext_lazy("service request action", "Close the request"),
}
AUDIT_EVENTS = {"match": "matched", "schedule": "scheduled", "serve": "served", "confirm": "confirmed",
                "close": "closed"}
# Actions staff take from the request's page (serve happens by recording the service).
STAFF_ACTIONS = ("match", "schedule", "close", "confirm")


# --- small helpers ---------------------------------------------------------------------------

def mobile_digest(mobile: str) -> str:
    """A keyed hash of a normalised mobile number: finds duplicates without decrypting."""
    return salted_hmac("sciday.volunteering.mobile", mobile, algorithm="sha256").hexdigest()


def receipt_code_new() -> str:
    from problems.services import receipt_code_new as new_code

    return new_code()


def receipt_digest(code: str) -> str:
    from problems.services import receipt_normalise

    return salted_hmac("sciday.volunteering.receipt", receipt_normalise(code), algorithm="sha256").hexdigest()


def receipt_matches(request: ServiceRequest, code: str) -> bool:
    return bool(request.receipt_digest) and constant_time_compare(request.receipt_digest, receipt_digest(code))


def _organisers():
    return get_user_model().objects.filter(office_memberships__isnull=False, is_active=True).distinct()


def _coordinators(unit_id):
    return get_user_model().objects.filter(unit_memberships__unit_id=unit_id, is_active=True)


def _notify(*, recipients, title: str, body: str = "", url: str = "", kind: str) -> None:
    from notifications.services import notify

    notify(recipients=recipients, title=title, body=body, url=url, kind=kind)


# --- volunteers ------------------------------------------------------------------------------

def _volunteer_fields(mobile: str) -> dict:
    return {"mobile_encrypted": encrypt_text(mobile), "mobile_digest": mobile_digest(mobile),
            "mobile_masked": mask_contact(mobile)}


@transaction.atomic
def volunteer_create(*, actor, unit, name: str, mobile: str, gender: str = "", workplace: str = "",
                     field: ExpertiseField | None = None, title: str = "", registry_number: str = "") -> Volunteer:
    """A unit's coordinator (or an organiser) registers one volunteer; the mobile is encrypted."""
    require(actor, "volunteering.unit", unit)
    mobile = importing.normalise_mobile(mobile)
    errors: dict[str, list] = {}
    if not (name or "").strip():
        errors["name"] = [_("Write the volunteer's name.")]
    if not importing.MOBILE.match(mobile):
        errors["mobile"] = [_("Write an 11-digit mobile number such as 13800138000.")]
    elif Volunteer.objects.filter(unit=unit, mobile_digest=mobile_digest(mobile)).exists():
        errors["mobile"] = [_("A volunteer with this mobile number is already registered in this unit.")]
    registry_number = (registry_number or "").strip()
    if registry_number and Volunteer.objects.filter(registry_number=registry_number).exists():
        errors["registry_number"] = [_("This volunteer number is already registered.")]
    if errors:
        raise ValidationError(errors)
    volunteer = Volunteer.objects.create(
        unit=unit, name=name.strip(), gender=gender, workplace=workplace.strip(), field=field, title=title.strip(),
        registry_number=registry_number, created_at=clock.now(), **_volunteer_fields(mobile))
    audit_record(action="volunteering.volunteer.created", actor=actor, obj=volunteer,
                 changes={"unit": unit, "registry_number": registry_number})
    return volunteer


def volunteers_import(*, actor, unit, fileobj) -> tuple[int, list[importing.RowError]]:
    """Import volunteers for ``unit`` from an .xlsx: every row or none.

    Returns (number imported, errors); with any error nothing is written. Raises FileRejected for a
    file that cannot be read at all. Checked in Python, written with one bulk insert per 1,000 rows
    inside one transaction.
    """
    require(actor, "volunteering.unit", unit)
    rows = importing.read_workbook(fileobj)
    fields = {f.name: f.pk for f in ExpertiseField.objects.filter(is_active=True)}
    existing_digests = set(Volunteer.objects.filter(unit=unit).values_list("mobile_digest", flat=True))
    numbers = {r.get("registry_number") for r in rows if r.get("registry_number")}
    existing_numbers = set()
    numbers_list = list(numbers)
    for start in range(0, len(numbers_list), 500):
        existing_numbers |= set(Volunteer.objects.filter(registry_number__in=numbers_list[start:start + 500])
                                .values_list("registry_number", flat=True))
    valid, errors = importing.validate_rows(rows, fields=fields, existing_digests=existing_digests,
                                            existing_numbers=existing_numbers, digest=mobile_digest)
    if errors:
        return 0, errors
    now = clock.now()
    with transaction.atomic():
        Volunteer.objects.bulk_create(
            (Volunteer(unit=unit, name=row.name, gender=row.gender, workplace=row.workplace, field_id=row.field_id,
                       title=row.title, registry_number=row.registry_number, created_at=now,
                       token=secrets.token_urlsafe(24), **_volunteer_fields(row.mobile))
             for row in valid),
            batch_size=1000,
        )
        audit_record(action="volunteering.volunteer.imported", actor=actor, obj=unit,
                     changes={"rows": len(valid)})
    return len(valid), []


def volunteers_export(*, actor, unit=None) -> bytes:
    """The unit's volunteers (all, for an organiser without ``unit``) as an .xlsx in the import shape.

    The mobile numbers are written in full: the file is for the national registry. Audited.
    """
    if unit is None:
        require(actor, "volunteering.manage")
        queryset = Volunteer.objects.all()
    else:
        require(actor, "volunteering.unit", unit)
        queryset = Volunteer.objects.filter(unit=unit)
    queryset = queryset.select_related("field").order_by("unit_id", "id")
    from core.crypto import decrypt_text

    rows = ([v.name, importing.GENDER_LABELS.get(v.gender, ""), decrypt_text(v.mobile_encrypted), v.workplace,
             v.field.name if v.field_id else "", v.title, v.registry_number] for v in queryset.iterator(2000))
    content = importing.build_workbook(rows)
    audit_record(action="volunteering.volunteer.exported", actor=actor, obj=unit,
                 changes={"unit": unit, "all_units": unit is None})
    return content


# --- teams -----------------------------------------------------------------------------------

def _check_team(*, unit, name: str, leader, members, team=None) -> None:
    errors: dict[str, list] = {}
    if not (name or "").strip():
        errors["name"] = [_("Write the team's name.")]
    elif ServiceTeam.objects.filter(name=name.strip()).exclude(pk=getattr(team, "pk", None)).exists():
        errors["name"] = [_("A team with this name already exists.")]
    if leader is not None and leader not in list(members):
        errors["leader"] = [_("The leader must be one of the team's members.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_create(*, actor, unit, name: str, fields, districts, description: str = "", leader=None,
                members=()) -> ServiceTeam:
    """A unit's coordinator (or an organiser for any unit) forms a service team."""
    require(actor, "volunteering.unit", unit)
    members = list(members)
    _check_team(unit=unit, name=name, leader=leader, members=members)
    team = ServiceTeam.objects.create(unit=unit, name=name.strip(), description=description.strip(), leader=leader,
                                      created_at=clock.now())
    team.fields.set(fields)
    team.districts.set(districts)
    team.members.set(members)
    audit_record(action="volunteering.team.created", actor=actor, obj=team,
                 changes={"unit": unit, "fields": [f.pk for f in fields], "districts": [d.pk for d in districts],
                          "members": [m.pk for m in members], "leader": leader})
    return team


def team_update(*, actor, team: ServiceTeam, name: str, fields, districts, description: str = "", leader=None,
                members=(), is_active: bool = True) -> ServiceTeam:
    """Change a team's name, fields, districts, leader and members (its unit's coordinators or organisers)."""
    require(actor, "volunteering.unit", team.unit)
    members = list(members)
    _check_team(unit=team.unit, name=name, leader=leader, members=members, team=team)
    with transaction.atomic():
        locked = ServiceTeam.objects.select_for_update().get(pk=team.pk)
        locked.name, locked.description, locked.leader, locked.is_active = (
            name.strip(), description.strip(), leader, is_active)
        locked.save(update_fields=["name", "description", "leader", "is_active"])
        locked.fields.set(fields)
        locked.districts.set(districts)
        locked.members.set(members)
        audit_record(action="volunteering.team.updated", actor=actor, obj=locked,
                     changes={"fields": [f.pk for f in fields], "districts": [d.pk for d in districts],
                              "members": [m.pk for m in members], "leader": leader, "is_active": is_active})
    team.refresh_from_db()
    return team


# --- requests --------------------------------------------------------------------------------

def _clean_request(*, requester_kind, organisation, need, field, district, contact_name, contact_phone,
                   preferred_from, preferred_to) -> dict:
    from .models import RequesterKind

    errors: dict[str, list] = {}
    if requester_kind not in RequesterKind.values:
        errors["requester_kind"] = [_("Choose who is asking.")]
    for name, value, message in (("organisation", organisation, _("Write the name of your organisation.")),
                                 ("need", need, _("Describe what you need.")),
                                 ("contact_name", contact_name, _("Write the contact's name."))):
        if not (value or "").strip():
            errors[name] = [message]
    if field is None:
        errors["field"] = [_("Choose a field.")]
    if district is None:
        errors["district"] = [_("Choose a district.")]
    phone = importing.normalise_mobile(contact_phone)
    if not importing.MOBILE.match(phone) and not (phone and len(phone) >= 7 and phone.replace("-", "").isdigit()):
        errors["contact_phone"] = [_("Write a mobile number such as 13800138000, or a landline.")]
    if preferred_from and preferred_to and preferred_to < preferred_from:
        errors["preferred_to"] = [_("The end of the preferred period is before its start.")]
    if errors:
        raise ValidationError(errors)
    return {"requester_kind": requester_kind, "organisation": organisation.strip(), "need": need.strip(),
            "field": field, "district": district, "contact_name": contact_name.strip(),
            "contact_encrypted": encrypt_text(phone), "preferred_from": preferred_from,
            "preferred_to": preferred_to}


def _event(request: ServiceRequest, *, action: str, from_status: str, actor_name: str, note: str = "") -> None:
    RequestEvent.objects.create(request=request, action=action, from_status=from_status, to_status=request.status,
                                note=note, actor_name=actor_name, created_at=clock.now())


def _actor_name(actor) -> str:
    return actor.display_name if getattr(actor, "is_authenticated", False) else ""


def request_submit(*, requester_kind: str, organisation: str, need: str, field, district, contact_name: str,
                   contact_phone: str, consent: bool, preferred_from=None, preferred_to=None,
                   programme=None) -> tuple[ServiceRequest, str]:
    """A community, school, enterprise or village files a request; returns it and its receipt code (once)."""
    if not consent:
        raise ValidationError({"consent": [_("You must agree to the use of your personal information.")]})
    cleaned = _clean_request(requester_kind=requester_kind, organisation=organisation, need=need, field=field,
                             district=district, contact_name=contact_name, contact_phone=contact_phone,
                             preferred_from=preferred_from, preferred_to=preferred_to)
    code = receipt_code_new()
    with transaction.atomic():
        request = ServiceRequest.objects.create(**cleaned, programme=programme, receipt_digest=receipt_digest(code),
                                                consent_at=clock.now(), created_at=clock.now(),
                                                campaign_id=current_campaign_pk(published_only=True))
        _event(request, action="submit", from_status="", actor_name=_("Requester"))
        audit_record(action="volunteering.request.submitted", obj=request, actor_name="public",
                     changes={"field": field, "district": district, "kind": requester_kind})
        _notify_request(request, "submit")
    return request, code


def request_create(*, actor, requester_kind: str, organisation: str, need: str, field, district,
                   contact_name: str, contact_phone: str, preferred_from=None, preferred_to=None,
                   programme=None) -> tuple[ServiceRequest, str]:
    """Office staff enter a request received by phone; returns it and a receipt code for the requester."""
    require(actor, "volunteering.manage")
    cleaned = _clean_request(requester_kind=requester_kind, organisation=organisation, need=need, field=field,
                             district=district, contact_name=contact_name, contact_phone=contact_phone,
                             preferred_from=preferred_from, preferred_to=preferred_to)
    code = receipt_code_new()
    with transaction.atomic():
        request = ServiceRequest.objects.create(**cleaned, programme=programme, receipt_digest=receipt_digest(code),
                                                created_by=actor, created_at=clock.now(),
                                                campaign_id=current_campaign_pk(published_only=False))
        _event(request, action="submit", from_status="", actor_name=_actor_name(actor))
        audit_record(action="volunteering.request.created", actor=actor, obj=request,
                     changes={"field": field, "district": district, "kind": requester_kind})
    return request, code


def _notify_request(request: ServiceRequest, action: str) -> None:
    """Both sides hear of each move: the organisers, and the coordinators of the team's unit."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(ACTION_LABELS[action])
        title = _("Request for service %(ref)s: %(action)s") % {"ref": request.reference, "action": label}
        body = _("%(organisation)s: %(status)s") % {"organisation": request.organisation,
                                                   "status": request.get_status_display()}
        recipients = list(_organisers())
        if request.team_id:
            recipients += list(_coordinators(request.team.unit_id))
        _notify(recipients=recipients, title=title, body=body, url=request.get_absolute_url(),
                kind=f"volunteering.request.{AUDIT_EVENTS.get(action, 'submitted')}")


def _check_action(actor, request: ServiceRequest, action: str, details: dict) -> None:
    """Who may take ``action``: raises PermissionDenied (audited) before any transaction opens."""
    if action == "match":
        team = details.get("team")
        if team is None:
            raise ValidationError({"team": [_("Choose the team that takes the request.")]})
        if not (can(actor, "volunteering.manage") or can(actor, "team.act", team)):
            require(actor, "team.act", team)
    elif action in ("schedule", "serve"):
        require(actor, "team.act", request.team)
    elif action == "close":
        require(actor, "servicerequest.close", request)
    elif action == "confirm":
        require(actor, "volunteering.manage")
    else:
        raise TransitionNotAllowed(_("“%(action)s” is not an action of a request for service.") % {"action": action},
                                   state=request.status, action=action)


def _apply(request: ServiceRequest, *, action: str, actor, actor_name: str, details: dict) -> ServiceRequest:
    note = (details.get("note") or "").strip()
    if action == "close" and not note:
        raise ValidationError({"note": [_("Give the reason for closing.")]})
    if action == "schedule" and not details.get("scheduled_for"):
        raise ValidationError({"scheduled_for": [_("Choose the date of the service.")]})
    if action == "match" and not details["team"].is_active:
        raise ValidationError({"team": [_("This team is not active.")]})
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        before = locked.status
        locked.status = next_state(TRANSITIONS, state=before, action=action, labels=dict(RequestStatus.choices),
                                   action_labels=ACTION_LABELS)
        fields = ["status"]
        changes: dict = {"status": [before, locked.status]}
        if action == "match":
            locked.team = details["team"]
            fields.append("team")
            changes["team"] = locked.team
            note = note or locked.team.name
        elif action == "schedule":
            locked.scheduled_for = details["scheduled_for"]
            fields.append("scheduled_for")
            changes["scheduled_for"] = locked.scheduled_for
            note = note or str(locked.scheduled_for)
        elif action == "close":
            locked.close_reason = note
            fields.append("close_reason")
        locked.save(update_fields=fields)
        _event(locked, action=action, from_status=before, actor_name=actor_name or _actor_name(actor), note=note)
        audit_record(action=f"volunteering.request.{AUDIT_EVENTS[action]}", actor=actor, obj=locked,
                     changes=changes, actor_name=actor_name)
        _notify_request(locked, action)
    request.refresh_from_db()
    return request


def request_transition(*, actor, request: ServiceRequest, action: str, **details) -> ServiceRequest:
    """Take ``action`` (match with ``team``, schedule with ``scheduled_for``, close with ``note``,
    confirm on the requester's behalf). Raises TransitionNotAllowed, PermissionDenied or
    ValidationError; nothing changes then."""
    if action not in STAFF_ACTIONS:
        raise TransitionNotAllowed(_("“%(action)s” is not an action of a request for service.") % {"action": action},
                                   state=request.status, action=action)
    _check_action(actor, request, action, details)
    if action == "confirm" and not (details.get("note") or "").strip():  # staff say how the requester confirmed
        next_state(TRANSITIONS, state=request.status, action=action, labels=dict(RequestStatus.choices),
                   action_labels=ACTION_LABELS)  # a move not in the table is said first
        raise ValidationError({"note": [_("Say how the requester confirmed the service.")]})
    return _apply(request, action=action, actor=actor, actor_name="", details=details)


def request_requester_confirm(*, request: ServiceRequest, receipt_code: str, note: str = "") -> ServiceRequest:
    """The requester, holding the receipt code, confirms that the service took place."""
    if not receipt_matches(request, receipt_code):
        raise PermissionDenied("volunteering.requester")
    return _apply(request, action="confirm", actor=None, actor_name=_("Requester"), details={"note": note})


# --- service records and hours ---------------------------------------------------------------

def record_create(*, actor, team: ServiceTeam, date, place: str, attendance: list[tuple[Volunteer, Decimal]],
                  request: ServiceRequest | None = None, programme=None, summary: str = "", beneficiaries: int = 0,
                  beneficiary_kind: str = "", photos=()) -> ServiceRecord:
    """A team's coordinator records a service with the volunteers present and their hours (unconfirmed).

    When the record is for a scheduled request, the request moves to "served".
    """
    require(actor, "team.act", team)
    errors: dict[str, list] = {}
    if not (place or "").strip():
        errors["place"] = [_("Write where the service took place.")]
    if date is None:
        errors["date"] = [_("Choose the date of the service.")]
    elif date > clock.today():
        errors["date"] = [_("A service cannot be recorded before it took place.")]
    if not attendance:
        errors["volunteers"] = [_("Choose the volunteers who took part.")]
    for volunteer, hours in attendance:
        if not (Decimal("0") < Decimal(hours) <= Decimal("24")):
            errors.setdefault("volunteers", []).append(
                _("%(name)s: the hours must be more than 0 and at most 24.") % {"name": volunteer.name})
    if request is not None and request.team_id != team.pk:
        errors["request"] = [_("This request was not taken by this team.")]
    if errors:
        raise ValidationError(errors)
    if request is not None and (request.status, "serve") not in TRANSITIONS:
        next_state(TRANSITIONS, state=request.status, action="serve", labels=dict(RequestStatus.choices),
                   action_labels=ACTION_LABELS)
    with transaction.atomic():
        record = ServiceRecord.objects.create(
            team=team, request=request, programme=programme or (request.programme if request else None), date=date,
            place=place.strip(), summary=(summary or "").strip(), beneficiaries=beneficiaries or 0,
            beneficiary_kind=(beneficiary_kind or "").strip(), created_by=actor, created_at=clock.now())
        ServiceHours.objects.bulk_create(ServiceHours(record=record, volunteer=v, hours=Decimal(h))
                                         for v, h in attendance)
        if photos:
            from uploads.models import AssetUse
            from uploads.services import assets_store_many

            record.photos.add(*assets_store_many(files=photos, use=AssetUse.IMAGE, owner=actor, unit=team.unit))
        audit_record(action="volunteering.record.created", actor=actor, obj=record,
                     changes={"team": team, "request": request, "volunteers": [v.pk for v, _h in attendance],
                              "hours": [str(h) for _v, h in attendance]})
        if request is not None:
            _apply(request, action="serve", actor=actor, actor_name="", details={"note": place})
    return record


def hours_confirm(*, actor, record: ServiceRecord, hour_ids) -> int:
    """The team leader (a coordinator of the team's unit) confirms the hours of some volunteers.

    Only the rows named in ``hour_ids`` are confirmed; the others stay unconfirmed and do not count.
    Returns how many were newly confirmed.
    """
    require(actor, "team.act", record.team)
    ids = {int(i) for i in hour_ids}
    with transaction.atomic():
        rows = list(ServiceHours.objects.select_for_update().filter(record=record, pk__in=ids,
                                                                    confirmed_at__isnull=True))
        now = clock.now()
        for row in rows:
            row.confirmed_at, row.confirmed_by = now, actor
        ServiceHours.objects.bulk_update(rows, ["confirmed_at", "confirmed_by"])
        if rows:
            audit_record(action="volunteering.hours.confirmed", actor=actor, obj=record,
                         changes={"hours": {str(r.volunteer_id): str(r.hours) for r in rows}})
    return len(rows)


# --- the lists the organisers keep -----------------------------------------------------------

@transaction.atomic
def field_create(*, actor, name: str, name_en: str = "") -> ExpertiseField:
    """Organisers add a field of expertise to the list teams, volunteers and requests choose from."""
    require(actor, "volunteering.manage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Write the name of the field.")]})
    if ExpertiseField.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("This field is already in the list.")]})
    order = (ExpertiseField.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    field = ExpertiseField.objects.create(name=name, name_en=(name_en or "").strip(), order=order)
    audit_record(action="volunteering.field.created", actor=actor, obj=field, changes={"name": name})
    return field


@transaction.atomic
def programme_create(*, actor, code: str, name: str, audience: str, description: str = "", name_en: str = "",
                     audience_en: str = ""):
    """Organisers add a volunteer programme (科普行动) besides the three named in the notice."""
    from .models import Programme

    require(actor, "volunteering.manage")
    if Programme.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("This code is already used by another programme.")]})
    order = (Programme.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    programme = Programme.objects.create(code=code, name=name.strip(), audience=audience.strip(),
                                         description=(description or "").strip(), name_en=(name_en or "").strip(),
                                         audience_en=(audience_en or "").strip(), order=order)
    audit_record(action="volunteering.programme.created", actor=actor, obj=programme,
                 changes={"code": code, "name": programme.name})
    return programme


def list_item_toggle(*, actor, item) -> None:
    """Take a field or programme out of use (or back): old records keep it, new choices no longer offer it."""
    require(actor, "volunteering.manage")
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        locked.is_active = not locked.is_active
        locked.save(update_fields=["is_active"])
        audit_record(action=f"volunteering.{locked._meta.model_name}.toggled", actor=actor, obj=locked,
                     changes={"is_active": locked.is_active})
