"""Every write of the 「最美科技工作者」 selection: nominations, eligibility, review, decision, notice, release."""

import secrets
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.permissions import is_expert, require, unit_ids
from audit.services import audit_record
from calendars.workdays import add_working_days
from core import clock, versioned_cache
from core.exceptions import TransitionNotAllowed, next_state
from notifications.services import notify
from uploads.models import AssetUse
from uploads.services import asset_store, assets_release, assets_store_many

from . import personal, selectors
from .models import Assignment, Criterion, ExpertProfile, Nomination, Objection, Score, Selection, UnitQuota

S = Nomination.Status

TRANSITIONS = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.RETURNED, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "withdraw"): S.DRAFT,
    (S.SUBMITTED, "pass"): S.ELIGIBLE,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.SUBMITTED, "reject"): S.REJECTED,
    (S.ELIGIBLE, "select"): S.FINALIST,
    (S.FINALIST, "unselect"): S.ELIGIBLE,
    (S.FINALIST, "confirm"): S.WINNER,
    (S.FINALIST, "drop"): S.DROPPED,
}
# Who may make each move of a nomination: the nominating unit or the organisers.
ACTION_PERMISSION = {"submit": "nomination.edit", "withdraw": "nomination.withdraw", "pass": "awards.manage",
                     "return": "awards.manage", "reject": "awards.manage"}
REASON_REQUIRED = {"return": "return_reason", "reject": "reject_reason"}

STAGES = {
    (Selection.Stage.OPEN, "publish_notice"): Selection.Stage.NOTICE,
    (Selection.Stage.NOTICE, "release"): Selection.Stage.RELEASED,
}


def action_labels() -> dict:
    return {"submit": _("Submit nomination"), "withdraw": _("Withdraw nomination"),
            "pass": _("Pass the eligibility check"), "return": _("Return for completion"),
            "reject": _("Reject as not eligible"), "select": _("Select as finalist"),
            "unselect": _("Remove from the finalists"), "confirm": _("Confirm as winner"),
            "drop": _("Do not confirm")}


def _next(nomination: Nomination, action: str) -> str:
    return next_state(TRANSITIONS, state=nomination.status, action=action, labels=dict(S.choices),
                      action_labels=action_labels())


# --- settings ----------------------------------------------------------------------------------------

DEFAULT_RUBRIC = [
    ("科技创新贡献", "原创性成果、关键技术突破及其经济社会效益", Decimal("1"), 40),
    ("职业道德与科学家精神", "爱国奉献、求实创新、协同育人", Decimal("1"), 30),
    ("社会影响与示范作用", "科普、服务社会及典型示范意义", Decimal("1"), 30),
]


def selection_create(*, actor, campaign, nomination_start: date, nomination_end: date, **fields) -> Selection:
    """Open the selection of a campaign with the default rubric; organisers only."""
    require(actor, "awards.manage")
    with transaction.atomic():
        selection = Selection.objects.create(campaign=campaign, nomination_start=nomination_start,
                                             nomination_end=nomination_end, **fields)
        Criterion.objects.bulk_create(
            Criterion(selection=selection, name=n, description=d, weight=w, max_score=m, order=i)
            for i, (n, d, w, m) in enumerate(DEFAULT_RUBRIC))
        audit_record(action="awards.selection.created", actor=actor, obj=selection,
                     changes={"campaign": campaign.pk})
    return selection


SETTINGS_FIELDS = ["title", "places", "nomination_start", "nomination_end", "default_quota", "max_age",
                   "exclude_senior_officials", "exclude_previous_winners", "young_share_min",
                   "achievements_max_chars", "reviews_required", "drop_extremes", "notice_working_days"]


def selection_update(*, actor, selection: Selection, data: dict) -> Selection:
    require(actor, "awards.manage")
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        before = {f: getattr(locked, f) for f in SETTINGS_FIELDS}
        for field in SETTINGS_FIELDS:
            if field in data:
                setattr(locked, field, data[field])
        if locked.nomination_start > locked.nomination_end:
            raise ValidationError({"nomination_end": _("Nominations must close after they open.")})
        locked.save(update_fields=SETTINGS_FIELDS)
        changes = {f: [before[f], getattr(locked, f)] for f in SETTINGS_FIELDS if before[f] != getattr(locked, f)}
        audit_record(action="awards.selection.updated", actor=actor, obj=locked, changes=changes)
    return locked


def quota_set(*, actor, selection: Selection, unit, quota: int | None) -> None:
    """Give ``unit`` its own quota, or (``None``) return it to the default."""
    require(actor, "awards.manage")
    with transaction.atomic():
        if quota is None:
            UnitQuota.objects.filter(selection=selection, unit=unit).delete()
        else:
            UnitQuota.objects.update_or_create(selection=selection, unit=unit, defaults={"quota": quota})
        audit_record(action="awards.quota.set", actor=actor, obj=selection, changes={"unit": unit, "quota": quota})


def criteria_save(*, actor, selection: Selection, rows: list[dict]) -> None:
    """Replace the rubric by ``rows`` (name, description, weight, max_score) while no expert has scored."""
    require(actor, "awards.manage")
    if Score.objects.filter(assignment__nomination__selection=selection).exists():
        raise ValidationError(_("Experts have already scored: the rubric can no longer change."))
    with transaction.atomic():
        Criterion.objects.filter(selection=selection).delete()
        Criterion.objects.bulk_create(Criterion(selection=selection, order=i, **row) for i, row in enumerate(rows))
        audit_record(action="awards.rubric.saved", actor=actor, obj=selection,
                     changes={"criteria": [[r["name"], r["weight"], r["max_score"]] for r in rows]})


# --- nominations -------------------------------------------------------------------------------------

NOMINATION_FIELDS = ["name", "gender", "birth_date", "ethnicity", "political_status", "workplace", "position",
                     "field", "is_senior_official", "achievements", "deeds_summary", "honours", "unit_opinion",
                     "consent_publish"]


def _check_window(selection: Selection) -> None:
    today = clock.today()
    if not selection.nomination_start <= today <= selection.nomination_end:
        raise ValidationError(_("Nominations are accepted from %(start)s to %(end)s.") % {
            "start": selection.nomination_start.isoformat(), "end": selection.nomination_end.isoformat()})


def _check_quota(selection: Selection, unit) -> None:
    """A new nomination needs a free place (drafts hold one). Called with the selection row locked, so two
    coordinators of a unit cannot both take the last place."""
    quota = selectors.quota_for(selection, unit)
    if quota.full:
        raise ValidationError(selectors.quota_full_message(quota), code="quota")


def _check_submit_quota(nomination: Nomination) -> None:
    """Submitting needs a place not taken by the unit's other submitted nominations (selection row locked)."""
    blocked = selectors.submit_blocked_by_quota(nomination)
    if blocked:
        raise ValidationError(blocked, code="quota")


def personal_errors(*, id_number: str | None, mobile: str | None) -> dict[str, str]:
    """What is wrong with an ID number and a mobile number, both checked (one never hides the other)."""
    errors = {}
    if id_number and not personal.valid_id_number(id_number):
        errors["id_number"] = _("This is not a valid 18-digit ID number.")
    if mobile and not personal.valid_mobile(mobile):
        errors["mobile"] = _("This is not a valid 11-digit mobile number.")
    return errors


def _apply_personal(nomination: Nomination, *, id_number: str | None, mobile: str | None) -> None:
    errors = personal_errors(id_number=id_number, mobile=mobile)
    if errors:
        raise ValidationError(errors)
    if id_number:
        nomination.id_number_encrypted = personal.encrypt(personal.normalise_id_number(id_number))
        nomination.id_hash = personal.id_hash(id_number)
    if mobile:
        nomination.mobile_encrypted = personal.encrypt(mobile.strip())


def _store_files(nomination: Nomination, *, actor, id_photo=None, life_photos=None, video=None,
                 consent=None) -> list[str]:
    stored = []
    if id_photo:
        nomination.id_photo = asset_store(uploaded_file=id_photo, use=AssetUse.IMAGE, owner=actor,
                                          unit=nomination.unit)
        stored.append("id_photo")
    if video:
        nomination.video = asset_store(uploaded_file=video, use=AssetUse.VIDEO, owner=actor, unit=nomination.unit)
        stored.append("video")
    if consent:
        nomination.consent = asset_store(uploaded_file=consent, use=AssetUse.DOCUMENT, owner=actor,
                                         unit=nomination.unit)
        stored.append("consent")
    if life_photos:
        nomination._new_life_photos = assets_store_many(files=life_photos, use=AssetUse.IMAGE, owner=actor,
                                                        unit=nomination.unit)
        stored.append("life_photos")
    return stored


def _duplicate_error() -> ValidationError:
    return ValidationError({"id_number": _("This person has already been nominated in this selection.")},
                           code="duplicate")


def nomination_create(*, actor, selection: Selection, unit, data: dict, id_number: str = "", mobile: str = "",
                      files: dict | None = None) -> Nomination:
    """A draft 推荐表 of ``unit``; the quota is counted with the selection locked."""
    require(actor, "awards.nominate", unit)
    if unit.pk not in unit_ids(actor):
        raise PermissionDenied("awards.nominate")
    _check_window(selection)
    nomination = Nomination(selection=selection, unit=unit, created_by=actor,
                            **{f: data[f] for f in NOMINATION_FIELDS if f in data})
    _apply_personal(nomination, id_number=id_number, mobile=mobile)
    try:
        with transaction.atomic():
            Selection.objects.select_for_update().get(pk=selection.pk)
            _check_quota(selection, unit)
            if nomination.id_hash and selection.nominations.filter(id_hash=nomination.id_hash).exists():
                raise _duplicate_error()
            _store_files(nomination, actor=actor, **(files or {}))
            nomination.save()
            if getattr(nomination, "_new_life_photos", None):
                nomination.life_photos.set(nomination._new_life_photos)
            audit_record(action="awards.nomination.created", actor=actor, obj=nomination,
                         changes={"unit": unit, "selection": selection.pk})
    except IntegrityError:
        raise _duplicate_error() from None
    return nomination


def nomination_update(*, actor, nomination: Nomination, data: dict, id_number: str = "", mobile: str = "",
                      files: dict | None = None) -> Nomination:
    require(actor, "nomination.edit", nomination)
    try:
        with transaction.atomic():
            locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
            if not locked.is_editable:
                raise TransitionNotAllowed(_("Only a draft or returned nomination can be edited."))
            changed = [f for f in NOMINATION_FIELDS if f in data and getattr(locked, f) != data[f]]
            for field in changed:
                setattr(locked, field, data[field])
            _apply_personal(locked, id_number=id_number, mobile=mobile)
            if id_number and locked.selection.nominations.filter(id_hash=locked.id_hash).exclude(
                    pk=locked.pk).exists():
                raise _duplicate_error()
            files = files or {}
            replaced = [getattr(locked, field) for field in ("id_photo", "video", "consent") if files.get(field)]
            if files.get("life_photos"):
                replaced += list(locked.life_photos.all())
            stored = _store_files(locked, actor=actor, **files)
            locked.save()
            if getattr(locked, "_new_life_photos", None):
                locked.life_photos.set(locked._new_life_photos)
            assets_release(actor=actor, assets=replaced)  # replaced files go, not left downloadable
            audit_record(action="awards.nomination.updated", actor=actor, obj=locked,
                         changes={"fields": changed, "files": stored, "id_number": bool(id_number),
                                  "mobile": bool(mobile)})
    except IntegrityError:
        raise _duplicate_error() from None
    return locked


def nomination_transition(*, actor, nomination: Nomination, action: str, reason: str = "") -> Nomination:
    """Submit, withdraw, pass, return (with a reason) or reject (with a reason) a nomination."""
    if action not in ACTION_PERMISSION:
        raise TransitionNotAllowed(_("This action is not possible here."), action=action)
    require(actor, ACTION_PERMISSION[action], nomination)
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Please give the reason; the unit will read it.")})
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().select_related("selection", "unit").get(pk=nomination.pk)
        before = locked.status
        new = _next(locked, action)
        fields = ["status"]
        if action == "submit":
            _check_window(locked.selection)
            missing = selectors.missing_items(locked)
            problems = selectors.eligibility_problems(locked)
            if missing or problems:
                raise ValidationError([*missing, *problems], code="incomplete")
            Selection.objects.select_for_update().get(pk=locked.selection_id)
            _check_submit_quota(locked)
            locked.submitted_at = clock.now()
            fields.append("submitted_at")
        if action in REASON_REQUIRED:
            setattr(locked, REASON_REQUIRED[action], reason)
            fields.append(REASON_REQUIRED[action])
        locked.status = new
        locked.save(update_fields=fields)
        audit_record(action=f"awards.nomination.{action}", actor=actor, obj=locked,
                     changes={"status": [before, new], "reason": reason})
        if action in ("pass", "return", "reject"):
            from organisations.models import UnitMembership

            coordinators = [m.user for m in UnitMembership.objects.filter(unit=locked.unit).select_related("user")]
            notify(recipients=coordinators, title=_("Nomination of %(name)s: %(status)s") % {
                "name": locked.name, "status": locked.get_status_display()}, body=reason,
                url=locked.get_absolute_url(), kind=f"awards.nomination.{action}")
    return locked


def personal_reveal(*, actor, nomination: Nomination) -> dict:
    """The nominee's ID number and mobile in clear, for an organiser who may see them; every reveal is audited."""
    require(actor, "awards.reveal_personal", nomination)
    audit_record(action="awards.nomination.personal_revealed", actor=actor, obj=nomination,
                 changes={"fields": ["id_number", "mobile"]})
    return {"id_number": personal.nominee_id_number(nomination, reveal=True),
            "mobile": personal.nominee_mobile(nomination, reveal=True)}


# --- experts -----------------------------------------------------------------------------------------

def expert_unit_ids(expert) -> set[int]:
    """The units an expert belongs to: the unit of the expert profile and any unit they coordinate."""
    ids = set(unit_ids(expert))
    profile = ExpertProfile.objects.filter(user=expert).values_list("unit_id", flat=True).first()
    if profile:
        ids.add(profile)
    return ids


def expert_invite(*, actor, user, unit=None, speciality: str = "") -> ExpertProfile:
    """Make ``user`` an expert reviewer (is_expert) and record their unit for the conflict rule."""
    require(actor, "awards.manage")
    with transaction.atomic():
        if not user.is_expert:
            user.is_expert = True
            user.save(update_fields=["is_expert"])
        profile, _created = ExpertProfile.objects.update_or_create(
            user=user, defaults={"unit": unit, "speciality": speciality})
        audit_record(action="awards.expert.invited", actor=actor, obj=profile,
                     changes={"user": user, "unit": unit})
        notify(recipients=[user], title=_("You are invited to review the Most Beautiful S&T Workers"),
               url="/awards/reviews/", kind="awards.expert.invited")
    return profile


def assignments_create(*, actor, expert, nominations: list[Nomination]) -> list[Assignment]:
    """Assign ``expert`` to each nomination; refused for a nomination of the expert's own unit (回避)."""
    require(actor, "awards.manage")
    if not is_expert(expert):
        raise ValidationError(_("%(name)s is not an expert reviewer.") % {"name": expert})
    own = expert_unit_ids(expert)
    conflicts = [n for n in nominations if n.unit_id in own]
    if conflicts:
        raise ValidationError(
            _("%(expert)s works at the nominating unit of %(names)s and cannot review them (conflict of "
              "interest).") % {"expert": expert, "names": "、".join(n.name for n in conflicts)}, code="conflict")
    not_eligible = [n for n in nominations if n.status != S.ELIGIBLE]
    if not_eligible:
        raise ValidationError(_("Only nominations that passed the eligibility check can be reviewed: %(names)s.")
                              % {"names": "、".join(n.name for n in not_eligible)})
    created = []
    with transaction.atomic():
        for nomination in nominations:
            assignment, new = Assignment.objects.get_or_create(nomination=nomination, expert=expert)
            if new:
                created.append(assignment)
                audit_record(action="awards.assignment.created", actor=actor, obj=assignment,
                             changes={"expert": expert, "nomination": nomination})
        if created:
            notify(recipients=[expert], title=_("%(n)d nominations are waiting for your review") % {
                "n": len(created)}, url="/awards/reviews/", kind="awards.assignment.created")
    return created


def assignment_decline(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """The expert declares a conflict of interest and declines the review."""
    require(actor, "assignment.score", assignment)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please describe the conflict of interest.")})
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != Assignment.Status.ASSIGNED:
            raise TransitionNotAllowed(_("This review is already finished."))
        locked.status, locked.decline_reason = Assignment.Status.DECLINED, reason.strip()
        locked.save(update_fields=["status", "decline_reason"])
        audit_record(action="awards.assignment.declined", actor=actor, obj=locked, changes={"reason": reason})
    return locked


def assignment_score(*, actor, assignment: Assignment, scores: dict[int, Decimal], comment: str = "") -> Assignment:
    """Record an expert's scores on every criterion of the rubric, with a comment."""
    require(actor, "assignment.score", assignment)
    criteria = list(assignment.nomination.selection.criteria.all())
    errors = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            errors[f"c{criterion.pk}"] = _("Please give a score.")
            continue
        try:
            value = Decimal(str(value))
        except (ArithmeticError, ValueError):
            value = Decimal("NaN")
        if not value.is_finite() or not 0 <= value <= criterion.max_score:
            errors[f"c{criterion.pk}"] = _("The score must be between 0 and %(max)d.") % {"max": criterion.max_score}
        elif value != value.quantize(Decimal("0.1")):  # the page's rule, for the API too
            errors[f"c{criterion.pk}"] = _("A score has at most one decimal place.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != Assignment.Status.ASSIGNED:
            raise TransitionNotAllowed(_("This review is already finished."))
        Score.objects.bulk_create(Score(assignment=locked, criterion=c, value=Decimal(scores[c.pk])) for c in criteria)
        locked.total = sum((c.weight * Decimal(scores[c.pk]) for c in criteria), Decimal(0)).quantize(Decimal("0.01"))
        locked.status, locked.comment, locked.scored_at = Assignment.Status.SCORED, comment.strip(), clock.now()
        locked.save(update_fields=["total", "status", "comment", "scored_at"])
        audit_record(action="awards.assignment.scored", actor=actor, obj=locked, changes={"total": locked.total})
    return locked


def assignments_remind(*, actor, selection: Selection) -> int:
    """Remind every expert with an unscored assignment; returns how many experts were reminded."""
    require(actor, "awards.manage")
    with transaction.atomic():
        pending = Assignment.objects.select_for_update().filter(
            nomination__selection=selection, status=Assignment.Status.ASSIGNED).select_related("expert")
        experts = {a.expert_id: a.expert for a in pending}
        pending.update(reminded_at=clock.now())
        notify(recipients=experts.values(), title=_("Reminder: please finish your reviews"),
               url="/awards/reviews/", kind="awards.assignment.reminded")
        audit_record(action="awards.assignment.reminded", actor=actor, obj=selection,
                     changes={"experts": list(experts)})
    return len(experts)


# --- decision, notice, release -----------------------------------------------------------------------

def selection_decide(*, actor, selection: Selection, finalist_ids: list[int], reason: str = "",
                     confirm_incomplete: bool = False, incomplete_reason: str = "") -> list[Nomination]:
    """The review committee's decision: the finalists, with a reason when they are not the top of the ranking.

    While experts have not finished (fewer scored reviews than required), the decision is refused unless
    the organiser explicitly confirms it with a reason; the missing reviews are audited with it."""
    require(actor, "awards.manage")
    missing = selectors.missing_reviews(selection)
    incomplete_reason = (incomplete_reason or "").strip()
    if missing and not confirm_incomplete:
        raise ValidationError({"confirm_incomplete": _(
            "The reviews are not finished for %(n)d nominations: confirm that the committee decides anyway, "
            "with the reason.") % {"n": len(missing)}}, code="reviews_incomplete")
    if missing and not incomplete_reason:
        raise ValidationError({"incomplete_reason": _(
            "Please record why the committee decides before the reviews are finished.")},
            code="reviews_incomplete")
    if selection.stage != Selection.Stage.OPEN:
        raise TransitionNotAllowed(_("The finalists can only change before the public notice."))
    ranking = selectors.ranking(selection)
    ranked_ids = [row.nomination.pk for row in ranking]
    chosen = set(finalist_ids)
    if not chosen or not chosen <= set(ranked_ids):
        raise ValidationError(_("Choose the finalists among the ranked nominations."))
    if len(chosen) > selection.places:
        raise ValidationError(_("At most %(n)d places are available.") % {"n": selection.places})
    top = {row.nomination.pk for row in ranking if row.rank <= len(chosen)}
    departs = chosen != top
    if departs and not reason.strip():
        raise ValidationError({"reason": _("The finalists differ from the ranking: please record the reason.")})
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        for nomination in Nomination.objects.select_for_update().filter(selection=locked,
                                                                          status__in=[S.ELIGIBLE, S.FINALIST]):
            target = S.FINALIST if nomination.pk in chosen else S.ELIGIBLE
            if nomination.status != target:
                nomination.status = _next(nomination, "select" if target == S.FINALIST else "unselect")
                nomination.save(update_fields=["status"])
        locked.decision_reason, locked.decided_at = reason.strip(), clock.now()
        locked.save(update_fields=["decision_reason", "decided_at"])
        audit_record(action="awards.selection.decided", actor=actor, obj=locked,
                     changes={"finalists": sorted(chosen), "ranking_top": sorted(top), "departs": departs,
                              "reason": reason.strip(),
                              "reviews_incomplete": [[m.nomination.pk, m.nomination.name, m.scored, m.required]
                                                     for m in missing],
                              "incomplete_reason": incomplete_reason if missing else ""})
    return list(Nomination.objects.filter(selection=selection, status=S.FINALIST))


def notice_check(selection: Selection) -> None:
    """Raise why the notice cannot be published now (the preview asks this too)."""
    if selection.stage != Selection.Stage.OPEN:
        raise TransitionNotAllowed(_("The public notice has already been published."))
    if not selection.nominations.filter(status=S.FINALIST).exists():
        raise ValidationError(_("Choose the finalists before publishing the notice."))


def notice_publish(*, actor, selection: Selection, start: date, text: str) -> Selection:
    """Open the public notice 公示 of the finalists for the selection's number of working days."""
    require(actor, "awards.manage")
    notice_check(selection)
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        locked.stage = next_state(STAGES, state=locked.stage, action="publish_notice",
                                  labels=dict(Selection.Stage.choices))
        locked.notice_start = start
        locked.notice_end = add_working_days(start, locked.notice_working_days)
        locked.notice_text = text.strip()
        locked.save(update_fields=["stage", "notice_start", "notice_end", "notice_text"])
        audit_record(action="awards.notice.published", actor=actor, obj=locked,
                     changes={"start": start, "end": locked.notice_end})
        versioned_cache.bump(versioned_cache.CAMPAIGNS)  # the public home's entries now open the 公示
    return locked


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def receipt_code_new() -> str:
    """A random receipt code such as K7QD-M2XA-9PRT for the objector to quote."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def objection_file(*, selection: Selection, nomination: Nomination, name: str, phone: str, facts: str,
                   attachments=None) -> Objection:
    """A written real-name objection from anyone during the notice period."""
    today = clock.today()
    if selection.stage != Selection.Stage.NOTICE or not (selection.notice_start <= today <= selection.notice_end):
        raise ValidationError(_("Objections are accepted only during the public notice period."))
    if nomination.selection_id != selection.pk or nomination.status != S.FINALIST:
        raise ValidationError({"nomination": _("Choose a finalist of this notice.")})
    if not personal.valid_mobile(phone):
        raise ValidationError({"phone": _("This is not a valid 11-digit mobile number.")})
    with transaction.atomic():
        objection = Objection.objects.create(nomination=nomination, name=name.strip(),
                                             phone_encrypted=personal.encrypt(phone.strip()), facts=facts.strip(),
                                             receipt_code=receipt_code_new())
        if attachments:
            objection.attachments.set(assets_store_many(files=attachments, use=AssetUse.DOCUMENT, owner=None))
        audit_record(action="awards.objection.filed", obj=objection, actor_name=name.strip()[:50],
                     changes={"nomination": nomination, "receipt_code": objection.receipt_code})
        from accounts.models import User
        from organisations.models import OfficeMembership

        organisers = User.objects.filter(pk__in=OfficeMembership.objects.values("user_id"))
        notify(recipients=organisers, title=_("A new objection to a finalist was filed"),
               url=f"/awards/selections/{selection.pk}/objections/", kind="awards.objection.filed")
    return objection


def objection_decide(*, actor, objection: Objection, outcome: str, investigation: str) -> Objection:
    require(actor, "awards.manage")
    if outcome not in (Objection.Outcome.UPHELD, Objection.Outcome.NOT_UPHELD):
        raise ValidationError({"outcome": _("Choose whether the objection is upheld.")})
    if not investigation.strip():
        raise ValidationError({"investigation": _("Please record what the investigation found.")})
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        before = locked.outcome
        locked.outcome, locked.investigation = outcome, investigation.strip()
        locked.decided_by, locked.decided_at = actor, clock.now()
        locked.save(update_fields=["outcome", "investigation", "decided_by", "decided_at"])
        audit_record(action="awards.objection.decided", actor=actor, obj=locked,
                     changes={"outcome": [before, outcome]})
    return locked


def release_check(selection: Selection) -> None:
    """Raise why the winners cannot be released now (the preview asks this too)."""
    if selection.notice_end is None or clock.today() <= selection.notice_end:
        raise ValidationError(_("The public notice runs until %(end)s; release the winners after it.") % {
            "end": selection.notice_end})
    if Objection.objects.filter(nomination__selection=selection, outcome=Objection.Outcome.RECEIVED).exists():
        raise ValidationError(_("Some objections are still under investigation."))


def selection_release(*, actor, selection: Selection, announcement: str) -> list[Nomination]:
    """After the notice: confirm finalists without an upheld objection as winners and publish them."""
    require(actor, "awards.manage")
    release_check(selection)
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        locked.stage = next_state(STAGES, state=locked.stage, action="release", labels=dict(Selection.Stage.choices))
        winners = []
        for nomination in Nomination.objects.select_for_update().filter(selection=locked, status=S.FINALIST):
            upheld = nomination.objections.filter(outcome=Objection.Outcome.UPHELD).exists()
            nomination.status = _next(nomination, "drop" if upheld else "confirm")
            nomination.save(update_fields=["status"])
            if not upheld:
                winners.append(nomination)
                _publish_files(nomination)
        locked.announcement_text, locked.released_at = announcement.strip(), clock.now()
        locked.save(update_fields=["stage", "announcement_text", "released_at"])
        audit_record(action="awards.selection.released", actor=actor, obj=locked,
                     changes={"winners": [w.pk for w in winners]})
        versioned_cache.bump(versioned_cache.CAMPAIGNS)  # the public home's entries now open the winners
    return winners


def _publish_files(nomination: Nomination) -> None:
    from uploads.models import Asset

    ids = [nomination.id_photo_id, nomination.video_id, *nomination.life_photos.values_list("pk", flat=True)]
    Asset.objects.filter(pk__in=[i for i in ids if i]).update(is_public=True)


def nomination_anonymise(*, nomination: Nomination, actor=None) -> Nomination:
    """Erase the nominee's personal data; a winner whose consent covers it keeps the published profile."""
    from uploads.models import Asset

    keep_profile = nomination.status == S.WINNER and nomination.consent_publish
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        drop_assets = [locked.consent_id]
        locked.mobile_encrypted = locked.id_number_encrypted = locked.id_hash = ""
        locked.birth_date = None
        locked.gender = locked.ethnicity = locked.political_status = locked.unit_opinion = ""
        locked.is_senior_official = False
        locked.consent = None
        if not keep_profile:
            drop_assets += [locked.id_photo_id, locked.video_id, *locked.life_photos.values_list("pk", flat=True)]
            locked.name = _("(anonymised)")
            locked.achievements = locked.honours = locked.deeds_summary = ""
            locked.position = locked.field = locked.workplace = ""
            locked.id_photo = locked.video = None
            locked.life_photos.clear()
            if locked.status == S.WINNER:
                locked.status = S.DROPPED
        locked.anonymised_at = clock.now()
        locked.save()
        for objection in locked.objections.all():
            objection.name, objection.phone_encrypted = _("(anonymised)"), ""
            objection.save(update_fields=["name", "phone_encrypted"])
        assets_release(actor=actor, assets=Asset.objects.filter(pk__in=[a for a in drop_assets if a]), erase=True)
        audit_record(action="awards.nomination.anonymised", actor=actor, obj=locked,
                     changes={"kept_profile": keep_profile})
    return locked
