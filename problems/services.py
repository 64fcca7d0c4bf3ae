"""Every write to the problems ledger: raising a problem three ways, and moving it through its states.

The one table ``TRANSITIONS`` says which action leads from which state to which; ``problem_transition``
is the only function that changes a problem's state, and it audits every move.
"""

import secrets
from datetime import timedelta

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
from calendars.workdays import CalendarNotCovered, add_working_days
from campaigns.selectors import current_campaign_pk
from core import clock
from core.crypto import encrypt_text
from core.exceptions import TransitionNotAllowed, next_state

from .models import Category, Problem, ProblemEvent, Source, Status

# (state, action) -> next state. Nothing else moves a problem; "closed" is reached only from "resolved".
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.RAISED, "accept"): Status.ACCEPTED,
    (Status.RAISED, "decline"): Status.DECLINED,
    (Status.ACCEPTED, "assign"): Status.ASSIGNED,
    (Status.ASSIGNED, "assign"): Status.ASSIGNED,  # handed to another unit
    (Status.REOPENED, "assign"): Status.ASSIGNED,
    (Status.ASSIGNED, "progress"): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, "progress"): Status.IN_PROGRESS,
    (Status.REOPENED, "progress"): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, "resolve"): Status.RESOLVED,
    (Status.REOPENED, "resolve"): Status.RESOLVED,
    (Status.RESOLVED, "confirm"): Status.CLOSED,
    (Status.RESOLVED, "auto_close"): Status.CLOSED,
    (Status.RESOLVED, "object"): Status.REOPENED,
}
ACTIONS = sorted({action for _state, action in TRANSITIONS})

ACTION_LABELS = {
    "raise": pgettext_lazy("problem action", "Raise"),
    "accept": pgettext_lazy("problem action", "Accept"),
    "decline": pgettext_lazy("problem action", "Decline"),
    "assign": pgettext_lazy("problem action", "Assign"),
    "progress": pgettext_lazy("problem action", "Add progress"),
    "resolve": pgettext_lazy("problem action", "Resolve"),
    "confirm": pgettext_lazy("problem action", "Confirm resolution"),
    "object": pgettext_lazy("problem action", "Object"),
    "auto_close": pgettext_lazy("problem action", "Close automatically"),
}
# Who may take each action; None: only the system (the auto-close job).
ACTION_PERMISSIONS = {
    "accept": "problems.manage",
    "decline": "problems.manage",
    "assign": "problems.manage",
    "progress": "problem.handle",
    "resolve": "problem.handle",
    "confirm": "problems.manage",  # staff record a submitter's answer given by phone
    "object": "problems.manage",
    "auto_close": None,
}
# Actions a submitter may take with their receipt code.
SUBMITTER_ACTIONS = ("confirm", "object")
AUDIT_EVENTS = {
    "accept": "accepted", "decline": "declined", "assign": "assigned", "progress": "progress_noted",
    "resolve": "resolved", "confirm": "confirmed", "object": "objected", "auto_close": "auto_closed",
}
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone


def auto_close_days() -> int:
    """Days after resolution without objection before a problem closes by itself (15 in practice)."""
    return int(getattr(settings, "SCIDAY_PROBLEM_AUTO_CLOSE_DAYS", 15))


def default_due_days() -> int:
    """Working days a responsible unit is given by default (SCIDAY_PROBLEM_DUE_WORKING_DAYS, 20)."""
    return int(getattr(settings, "SCIDAY_PROBLEM_DUE_WORKING_DAYS", 20))


def default_due_date():
    """The due date offered when a problem is assigned: the last of SCIDAY_PROBLEM_DUE_WORKING_DAYS working days
    from tomorrow, by the holiday calendar. CalendarNotCovered (a ValidationError naming the year) when that
    reaches a year whose holidays are not entered."""
    return add_working_days(clock.today() + timedelta(days=1), default_due_days())


def receipt_code_new() -> str:
    """A random receipt code such as K7QD-M2XA-9PRT (60 bits), shown to the submitter once."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def receipt_digest(code: str) -> str:
    """The keyed hash stored instead of the receipt code (the code alone opens the problem)."""
    return salted_hmac("sciday.problems.receipt", receipt_normalise(code), algorithm="sha256").hexdigest()


def receipt_matches(problem: Problem, code: str) -> bool:
    return bool(problem.receipt_digest) and constant_time_compare(problem.receipt_digest, receipt_digest(code))


def _required(errors: dict, field: str, value, message) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.setdefault(field, []).append(message)


def _clean_new(*, category: str, title: str, description: str) -> tuple[str, str, str]:
    errors: dict[str, list] = {}
    description = (description or "").strip()
    title = (title or "").strip()
    if not title and description:  # staff may leave the title out: the first line stands in
        title = description.splitlines()[0][:60]
    _required(errors, "description", description, _("Describe the problem."))
    if category not in Category.values:
        errors.setdefault("category", []).append(_("Choose a valid category."))
    if len(title) > Problem._meta.get_field("title").max_length:
        errors.setdefault("title", []).append(_("The title may have at most 200 characters."))
    if errors:
        raise ValidationError(errors)
    return category, title, description


def _event(problem: Problem, *, action: str, from_status: str, actor, actor_name: str = "", note: str = "",
           on_date=None) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem, action=action, from_status=from_status, to_status=problem.status, note=note,
        on_date=on_date or clock.today(), actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor_name or (actor.display_name if getattr(actor, "is_authenticated", False) else ""),
        created_at=clock.now(),
    )


@transaction.atomic
def problem_submit(*, category: str, description: str, contact: str = "", consent: bool,
                   title: str = "") -> tuple[Problem, str]:
    """A S&T worker raises a problem through the public form; returns it and its receipt code (shown once)."""
    if not consent:
        raise ValidationError({"consent": [_("You must agree to the use of your personal information.")]})
    category, title, description = _clean_new(category=category, title=title, description=description)
    code = receipt_code_new()
    problem = Problem.objects.create(
        title=title, description=description, category=category, source=Source.ONLINE,
        contact_encrypted=encrypt_text((contact or "").strip()), receipt_digest=receipt_digest(code),
        consent_at=clock.now(), created_at=clock.now(), campaign_id=current_campaign_pk(published_only=True),
    )
    _event(problem, action="raise", from_status="", actor=None, actor_name=_("Submitter"))
    audit_record(action="problems.problem.submitted", obj=problem,
                 changes={"category": category, "source": Source.ONLINE, "has_contact": bool(contact)},
                 actor_name="public")
    return problem, code


@transaction.atomic
def problem_create(*, actor, category: str, description: str, source: str, title: str = "",
                   source_label: str = "", source_ref: str = "", contact: str = "", due_date=None) -> Problem:
    """Office staff enter a problem received by phone, at a symposium or through another channel."""
    require(actor, "problems.manage")
    category, title, description = _clean_new(category=category, title=title, description=description)
    if source not in Source.values:
        raise ValidationError({"source": [_("Choose a valid source.")]})
    problem = Problem.objects.create(
        title=title, description=description, category=category, source=source,
        source_label=(source_label or "").strip()[:200], source_ref=(source_ref or "")[:64],
        contact_encrypted=encrypt_text((contact or "").strip()), due_date=due_date, created_by=actor,
        created_at=clock.now(), campaign_id=current_campaign_pk(published_only=False),
    )
    _event(problem, action="raise", from_status="", actor=actor, note=problem.source_label)
    audit_record(action="problems.problem.created", actor=actor, obj=problem,
                 changes={"category": category, "source": source, "source_ref": problem.source_ref})
    return problem


def problem_create_from_answer(*, actor, text: str, source_label: str, source_ref: str = "",
                               category: str = Category.OTHER, title: str = "") -> Problem:
    """One click by an organiser turns an open-text survey answer into a problem (the answer stays anonymous).

    ``source_ref`` is the answer's id as a string; clicking twice gives the same problem.
    """
    require(actor, "problems.manage")
    if source_ref:
        existing = Problem.objects.filter(source=Source.SURVEY, source_ref=source_ref).first()
        if existing is not None:
            return existing
    return problem_create(actor=actor, category=category, title=title, description=text, source=Source.SURVEY,
                          source_label=source_label, source_ref=source_ref)


MAX_EVIDENCE_FILES = 5


def _clean_details(problem: Problem, action: str, details: dict) -> dict:
    """Check what ``action`` needs (a reason, a unit, a note…); raise ValidationError keyed by field."""
    errors: dict[str, list] = {}
    note = (details.get("note") or "").strip()
    cleaned = {"note": note, "on_date": details.get("on_date") or None}
    if action == "decline":
        _required(errors, "note", note, _("Give the reason for declining."))
    elif action == "assign":
        unit, office = details.get("unit"), details.get("office")
        if (unit is None) == (office is None):
            errors.setdefault("unit", []).append(_("Choose either a responsible unit or a responsible office."))
        elif unit is not None and not unit.is_active:
            errors.setdefault("unit", []).append(_("This unit is deactivated."))
        due_date = details.get("due_date")
        if due_date is None:
            try:
                due_date = default_due_date()
            except CalendarNotCovered as exc:
                errors.setdefault("due_date", []).append(
                    _("Give the due date: %(reason)s") % {"reason": exc.messages[0]})
        if due_date is not None and due_date < clock.today():
            errors.setdefault("due_date", []).append(_("The due date cannot be in the past."))
        cleaned.update(unit=unit, office=office, due_date=due_date)
    elif action in ("progress", "object"):
        _required(errors, "note", note, _("Write what happened.") if action == "progress"
                  else _("Say why the problem is not solved."))
        if cleaned["on_date"] and cleaned["on_date"] > clock.today():
            errors.setdefault("on_date", []).append(_("The date cannot be in the future."))
    elif action == "resolve":
        resolution = (details.get("resolution") or "").strip()
        summary = (details.get("public_summary") or problem.public_summary or "").strip()
        _required(errors, "resolution", resolution, _("Write what was done."))
        _required(errors, "public_summary", summary,
                  _("Write a public summary of the problem, without names or other personal details."))
        evidence = list(details.get("evidence_files") or [])
        if len(evidence) > MAX_EVIDENCE_FILES:  # the page's rule (ResolveForm), whoever calls
            errors.setdefault("evidence_files", []).append(
                _("At most %(count)d files of evidence.") % {"count": MAX_EVIDENCE_FILES})
        cleaned.update(resolution=resolution, public_summary=summary, evidence_files=evidence)
    if action == "accept" and details.get("public_summary"):
        cleaned["public_summary"] = details["public_summary"].strip()
    if action == "accept" and details.get("category"):
        if details["category"] not in Category.values:
            errors.setdefault("category", []).append(_("Choose a valid category."))
        cleaned["category"] = details["category"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _evidence_use(uploaded_file) -> str:
    from uploads.filetypes import HEAD_BYTES, IMAGE_TYPES, sniff
    from uploads.models import AssetUse

    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    return AssetUse.IMAGE if sniff(head) in IMAGE_TYPES else AssetUse.DOCUMENT


def _coordinators(unit):
    return get_user_model().objects.filter(unit_memberships__unit=unit, is_active=True)


def _organisers(office=None):
    users = get_user_model().objects.filter(office_memberships__isnull=False, is_active=True)
    if office is not None:
        users = users.filter(office_memberships__office=office)
    return users.distinct()


def _notify_after(problem: Problem, action: str) -> None:
    try:
        from notifications.services import notify
    except ImportError:  # notifications are optional for the ledger
        return
    url = problem.get_absolute_url()
    # Stored as text for Chinese-speaking staff, whatever the language of the request.
    with translation.override(settings.LANGUAGE_CODE):
        if action == "assign":
            recipients = (_coordinators(problem.responsible_unit) if problem.responsible_unit_id
                          else _organisers(problem.responsible_office))
            notify(recipients=recipients, url=url, kind="problems.assigned",
                   title=_("A problem was assigned to you: %(ref)s") % {"ref": problem.reference},
                   body=_("“%(title)s”, due %(due)s.") % {"title": problem.title, "due": problem.due_date})
        elif action == "object":
            recipients = list(_organisers())
            if problem.responsible_unit_id:
                recipients += list(_coordinators(problem.responsible_unit))
            notify(recipients=recipients, url=url, kind="problems.objected",
                   title=_("The submitter objected to the resolution of %(ref)s") % {"ref": problem.reference},
                   body=problem.title)


def _apply(problem: Problem, *, action: str, actor, actor_name: str = "", details: dict,
           permission: str | None = None) -> Problem:
    """Lock, move by the table, record the history, audit and notify; the caller checked permissions.

    ``problem`` is refreshed from the database afterwards, so the caller's instance is current.
    """
    cleaned = _clean_details(problem, action, details)
    with transaction.atomic():
        locked = Problem.objects.select_for_update().get(pk=problem.pk)
        # Checked again on the locked row: it may have been handed to another unit meanwhile.
        if permission is not None and not can(actor, permission, locked):
            raise PermissionDenied(permission)
        before = locked.status
        locked.status = next_state(TRANSITIONS, state=before, action=action, labels=dict(Status.choices),
                                   action_labels=ACTION_LABELS)
        fields = ["status"]
        changes: dict = {"status": [before, locked.status]}
        if action == "decline":
            locked.decline_reason = cleaned["note"]
            fields.append("decline_reason")
        elif action == "assign":
            locked.responsible_unit, locked.responsible_office = cleaned["unit"], cleaned["office"]
            locked.due_date = cleaned["due_date"]
            fields += ["responsible_unit", "responsible_office", "due_date"]
            changes.update(unit=cleaned["unit"], office=cleaned["office"], due_date=cleaned["due_date"])
        elif action == "resolve":
            locked.resolution, locked.public_summary = cleaned["resolution"], cleaned["public_summary"]
            locked.resolved_at = clock.now()
            fields += ["resolution", "public_summary", "resolved_at"]
        elif action in ("confirm", "auto_close"):
            locked.closed_at = clock.now()
            fields.append("closed_at")
        elif action == "object":
            locked.closed_at = None
            fields.append("closed_at")
        if action == "accept":
            for field in ("public_summary", "category"):
                if cleaned.get(field):
                    setattr(locked, field, cleaned[field])
                    fields.append(field)
        locked.save(update_fields=fields)
        note = cleaned["note"] or (cleaned.get("resolution", "") if action == "resolve" else "")
        _event(locked, action=action, from_status=before, actor=actor, actor_name=actor_name, note=note,
               on_date=cleaned.get("on_date"))
        if action == "resolve":
            from uploads.services import asset_store

            assets = [asset_store(uploaded_file=f, use=_evidence_use(f), owner=actor, unit=locked.responsible_unit)
                      for f in cleaned["evidence_files"]]
            if assets:
                locked.evidence.add(*assets)
                changes["evidence"] = [a.pk for a in assets]
        audit_record(action=f"problems.problem.{AUDIT_EVENTS[action]}", actor=actor, obj=locked,
                     changes=changes, actor_name=actor_name)
        _notify_after(locked, action)
    problem.refresh_from_db()
    return problem


def problem_transition(*, actor, problem: Problem, action: str, **details) -> Problem:
    """Take ``action`` on ``problem`` as ``actor`` (note, unit/office, due_date, resolution, public_summary,
    evidence_files, on_date as the action needs). Raises TransitionNotAllowed (not in the table),
    PermissionDenied (not theirs to take) or ValidationError (missing details); nothing changes then."""
    if action not in ACTION_PERMISSIONS:
        raise TransitionNotAllowed(_("“%(action)s” is not an action of the problems ledger.") % {"action": action},
                                   state=problem.status, action=action)
    permission = ACTION_PERMISSIONS[action]
    if permission is None:
        raise PermissionDenied(f"problems.{action}")
    require(actor, permission, problem)
    return _apply(problem, action=action, actor=actor, details=details, permission=permission)


def problem_submitter_respond(*, problem: Problem, receipt_code: str, action: str, note: str = "") -> Problem:
    """The submitter, holding the receipt code, confirms the resolution or objects to it."""
    if action not in SUBMITTER_ACTIONS or not receipt_matches(problem, receipt_code):
        raise PermissionDenied("problems.submitter")
    return _apply(problem, action=action, actor=None, actor_name=_("Submitter"), details={"note": note})


def problems_auto_close(*, now=None) -> int:
    """Close every problem resolved ``auto_close_days()`` ago without objection; returns how many closed.

    Safe to run as often as wanted: a closed problem is no longer "resolved", so it is never closed twice.
    """
    cutoff = (now or clock.now()) - timedelta(days=auto_close_days())
    due = Problem.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff).values_list("pk", flat=True)
    closed = 0
    for pk in list(due):
        with transaction.atomic():
            problem = Problem.objects.select_for_update().filter(pk=pk).first()
            if problem is None or problem.status != Status.RESOLVED or problem.resolved_at > cutoff:
                continue  # confirmed, objected to or closed by another run meanwhile
            _apply(problem, action="auto_close", actor=None, actor_name=_("System"),
                   details={"note": _("No objection within %(days)d days.") % {"days": auto_close_days()}})
            closed += 1
    return closed
