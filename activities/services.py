"""Every write to activities: registering, editing, plans, the lifecycle, outcomes and check-in."""

import datetime
import time

import nh3
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require, unit_ids
from audit.services import audit_record
from core import clock
from core.device import device_hash
from core.exceptions import TransitionNotAllowed, next_state
from core.htmltext import html_to_text
from core.links import validate_link
from notifications.services import notify
from organisations.services import validate_phone
from uploads.models import AssetUse
from uploads.services import asset_delete, asset_store, assets_release, assets_store_many

from .models import Activity, ActivityPhoto, ActivityPlan, Audience, CheckIn, MediaCoverage, Mode, PlanKind, State
from .selectors import PUBLIC_VERSION_KEY

# The lifecycle of an activity: (state, action) -> next state. Nothing else is possible.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, "submit"): State.SUBMITTED,
    (State.RETURNED, "submit"): State.SUBMITTED,
    (State.SUBMITTED, "withdraw"): State.DRAFT,
    (State.SUBMITTED, "approve"): State.APPROVED,
    (State.SUBMITTED, "return"): State.RETURNED,
    (State.APPROVED, "change"): State.SUBMITTED,  # an approved activity whose details change
    (State.APPROVED, "report"): State.HELD,
    (State.HELD, "recommend"): State.RECOMMENDED,
    (State.RECOMMENDED, "recommend_up"): State.RECOMMENDED_UP,
    (State.DRAFT, "cancel"): State.CANCELLED,
    (State.RETURNED, "cancel"): State.CANCELLED,
    (State.SUBMITTED, "cancel"): State.CANCELLED,
    (State.APPROVED, "cancel"): State.CANCELLED,
}
MAX_PHOTOS = 30  # photos of one activity's outcome
ACTIONS = ("submit", "withdraw", "approve", "return", "report", "recommend", "recommend_up", "cancel")


def action_labels() -> dict[str, str]:
    return {
        "submit": _("Submit for review"), "withdraw": _("Withdraw"), "approve": _("Approve"),
        "return": _("Return for changes"), "change": _("Change details"), "report": _("Report the outcome"),
        "recommend": _("Recommend"), "recommend_up": _("Recommend upward"), "cancel": _("Cancel"),
    }


# Which permission each action needs (the state is checked by the table).
ACTION_PERMISSIONS = {
    "submit": "activity.host", "withdraw": "activity.host", "report": "activity.host", "change": "activity.host",
    "approve": "activity.review", "return": "activity.review", "recommend": "activity.review",
    "recommend_up": "activity.review", "cancel": "activity.cancel",
}

EDIT_FIELDS = [
    "category", "form", "title", "mode", "starts_at", "ends_at", "district", "address", "platform", "link",
    "audiences", "expected_participants", "joint_st_week", "contact_person", "contact_phone",
    "show_contact_phone", "description", "partner_units", "frugality_pledge",
]
PUBLIC_FIELDS = [
    "category", "form", "title", "mode", "starts_at", "ends_at", "district", "address", "platform", "link",
    "audiences", "joint_st_week", "contact_person", "contact_phone", "show_contact_phone", "description",
    "partner_units", "cover",
]


def sanitise_html(value: str) -> str:
    """Rich text as the units write it, with everything but harmless formatting removed."""
    return nh3.clean(value or "", link_rel="noopener noreferrer nofollow")


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def validate_activity(values: dict, *, campaign) -> None:
    """Raise a ValidationError keyed by field if ``values`` do not make a sound activity of ``campaign``."""
    errors: dict[str, list[str]] = {}
    starts, ends = values.get("starts_at"), values.get("ends_at")
    category, form = values.get("category"), values.get("form")
    # Volunteer service has its own, earlier opening (the notice: 「5月上旬起」); every other part the window.
    service = category is not None and category.follows_service_window
    opens = min(campaign.service_opens, campaign.window_start) if service else campaign.window_start
    if starts and ends:
        if ends < starts:
            errors.setdefault("ends_at", []).append(_("The activity cannot end before it starts."))
        for field, value in (("starts_at", starts), ("ends_at", ends)):
            day = _local_date(value)
            if not opens <= day <= campaign.window_end:
                errors.setdefault(field, []).append(
                    (_("Volunteer service must take place between %(start)s and %(end)s.") if service else
                     _("The activity must take place within the campaign window, %(start)s to %(end)s."))
                    % {"start": opens.isoformat(), "end": campaign.window_end.isoformat()})
    if category is not None and category.campaign_id != campaign.pk:
        errors.setdefault("category", []).append(_("This category does not belong to the campaign."))
    if category is not None and form is not None and form.category_id != category.pk:
        errors.setdefault("form", []).append(_("This form does not belong to the chosen category."))
    mode = values.get("mode")
    if mode in (Mode.OFFLINE, Mode.HYBRID):
        if values.get("district") is None:
            errors.setdefault("district", []).append(_("An offline activity needs a district."))
        if not (values.get("address") or "").strip():
            errors.setdefault("address", []).append(_("An offline activity needs an address."))
    if mode in (Mode.ONLINE, Mode.HYBRID):
        if not (values.get("platform") or "").strip():
            errors.setdefault("platform", []).append(_("An online activity needs a platform."))
        if not (values.get("link") or "").strip():
            errors.setdefault("link", []).append(_("An online activity needs a link."))
    try:
        validate_link(values.get("link"))
    except ValidationError as exc:
        errors.setdefault("link", []).extend(exc.messages)
    phone = (values.get("contact_phone") or "").strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            errors.setdefault("contact_phone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def _clean(values: dict) -> dict:
    cleaned = {k: v for k, v in values.items() if k in EDIT_FIELDS}
    if "description" in cleaned:
        cleaned["description"] = sanitise_html(cleaned["description"])
    for field in ("title", "address", "platform", "link", "contact_person", "contact_phone", "partner_units"):
        if field in cleaned and cleaned[field] is not None:
            cleaned[field] = str(cleaned[field]).strip()
    if "audiences" in cleaned:
        cleaned["audiences"] = sorted(set(cleaned["audiences"] or []))
    return cleaned


def _coordinators(unit):
    return get_user_model().objects.filter(unit_memberships__unit=unit, is_active=True)


def _organisers():
    return get_user_model().objects.filter(office_memberships__isnull=False, is_active=True).distinct()


def _value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


@transaction.atomic
def activity_create(*, actor, unit, campaign, cover=None, **values) -> Activity:
    """Register a new activity of ``unit`` as a draft."""
    require(actor, "activities.create")
    if unit.pk not in unit_ids(actor):
        raise PermissionDenied("activity.create")
    values = _clean(values)
    validate_activity(values, campaign=campaign)
    activity = Activity(campaign=campaign, unit=unit, created_by=actor, **values)
    if cover is not None:
        activity.cover = asset_store(uploaded_file=cover, use=AssetUse.IMAGE, owner=actor, unit=unit, is_public=True)
    activity.full_clean(exclude=["campaign", "unit", "category", "form", "district", "cover", "video",
                                 "created_by", "audiences", "published"])
    activity.save()
    audit_record(action="activities.activity.created", actor=actor, obj=activity,
                 changes={k: _value(v) for k, v in values.items()})
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, cover=None, **values) -> Activity:
    """Change an activity's details; an approved activity goes back to review (its public page keeps the
    approved version until it is approved again)."""
    activity = Activity.objects.select_for_update().select_related("campaign", "unit").get(pk=activity.pk)
    require(actor, "activity.edit", activity)
    values = _clean(values)
    merged = {f: getattr(activity, f) for f in EDIT_FIELDS} | values
    validate_activity(merged, campaign=activity.campaign)
    changes = {}
    for field, value in values.items():
        old = getattr(activity, field)
        if _value(old) != _value(value):
            changes[field] = [_value(old), _value(value)]
            setattr(activity, field, value)
    if cover is not None:
        activity.cover = asset_store(uploaded_file=cover, use=AssetUse.IMAGE, owner=actor, unit=activity.unit,
                                     is_public=True)
        changes["cover"] = activity.cover.pk
    if not changes:
        return activity
    activity.full_clean(exclude=["campaign", "unit", "category", "form", "district", "cover", "video",
                                 "created_by", "audiences", "published"])
    update_fields = [*set(changes), "updated_at"]
    if activity.state == State.APPROVED:
        activity.state = next_state(TRANSITIONS, state=activity.state, action="change")
        activity.submitted_at = clock.now()
        update_fields += ["state", "submitted_at"]
        notify(recipients=_organisers(), title=_("Changed after approval: %(title)s") % {"title": activity.title},
               body=_("%(unit)s changed an approved activity; it needs a new review.") % {"unit": activity.unit},
               url=activity.get_absolute_url(), kind="activities.resubmitted")
        audit_record(action="activities.activity.changed_after_approval", actor=actor, obj=activity,
                     changes={"state": [State.APPROVED, activity.state]})
    activity.save(update_fields=update_fields)
    audit_record(action="activities.activity.updated", actor=actor, obj=activity, changes=changes)
    return activity


def missing_requirements(activity: Activity, plan_kinds=None) -> list[str]:
    """What an activity still lacks before it may be submitted, as messages for the unit (empty: ready).

    The frugality pledge (the notice's 五(三), the central eight-point rules) binds every activity, online
    ones included; the three plans (epidemic, security, emergency) only offline and hybrid ones.
    """
    missing = []
    if activity.is_offline:
        if plan_kinds is None:
            plan_kinds = set(activity.plans.values_list("kind", flat=True))
        missing = [_("Missing: %(plan)s") % {"plan": label} for kind, label in PlanKind.choices
                   if kind not in plan_kinds]
    if not activity.frugality_pledge:
        missing.append(_("Missing: the frugality pledge under the central eight-point rules"))
    return missing


@transaction.atomic
def activity_plan_attach(*, actor, activity: Activity, kind: str, uploaded_file) -> ActivityPlan:
    """Attach (or replace) one plan of an activity; plans are private to the unit and the organisers."""
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    require(actor, "activity.edit", activity)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Unknown plan.")})
    asset = asset_store(uploaded_file=uploaded_file, use=AssetUse.PLAN, owner=actor, unit=activity.unit,
                        is_public=False)
    replaced = ActivityPlan.objects.filter(activity=activity, kind=kind).select_related("asset").first()
    plan, _created = ActivityPlan.objects.update_or_create(activity=activity, kind=kind, defaults={"asset": asset})
    if replaced is not None and replaced.asset_id != asset.pk:
        assets_release(actor=actor, assets=[replaced.asset])  # the old plan's file goes, not left downloadable
    audit_record(action="activities.plan.attached", actor=actor, obj=activity,
                 changes={"kind": kind, "asset": asset.pk})
    return plan


def public_snapshot(activity: Activity) -> dict:
    """The public fields of an activity as JSON, taken at approval; public pages show this version."""
    cover = activity.cover
    return {
        "title": activity.title,
        "unit": activity.unit.name,
        "category": activity.category.name, "category_en": activity.category.name_en,
        "form": activity.form.name, "form_en": activity.form.name_en,
        "mode": activity.mode,
        "starts_at": activity.starts_at.isoformat(), "ends_at": activity.ends_at.isoformat(),
        "district": activity.district.name if activity.district else "",
        "district_en": activity.district.name_en if activity.district else "",
        "address": activity.address if activity.is_offline else "",
        "platform": activity.platform if activity.is_online else "",
        "link": activity.link if activity.is_online else "",
        "audiences": list(activity.audiences or []),
        "joint_st_week": activity.joint_st_week,
        "contact_person": activity.contact_person if activity.show_contact_phone else "",
        "contact_phone": activity.contact_phone if activity.show_contact_phone else "",
        "description": activity.description,
        "partner_units": activity.partner_units,
        "cover": str(cover.public_id) if cover is not None and cover.is_public else "",
    }


PUBLIC_COLUMNS = [
    "published", "public_title", "public_unit", "public_venue", "public_category", "public_district", "public_mode",
    "public_starts_at", "public_ends_at", "public_joint_st_week", "public_cover",
]


def public_version_bump() -> None:
    """Invalidate the cached public pages (the cache is shared by every process); again after the commit, so
    that nothing read before the commit stays cached under the new version."""
    def bump():
        cache.set(PUBLIC_VERSION_KEY, time.time_ns(), None)

    bump()
    transaction.on_commit(bump)


def activity_publication_apply(activity: Activity) -> list[str]:
    """Take the public snapshot of ``activity`` and copy its searchable values to the public_* columns (in
    memory; the caller saves). Returns the fields to save. Public pages only ever filter on these columns."""
    snapshot = public_snapshot(activity)
    activity.published = snapshot
    activity.public_title = activity.title
    activity.public_unit = activity.unit.name
    activity.public_venue = snapshot["address"][:200]
    activity.public_category_id = activity.category_id
    activity.public_district_id = activity.district_id if activity.is_offline else None
    activity.public_mode = activity.mode
    activity.public_starts_at = activity.starts_at
    activity.public_ends_at = activity.ends_at
    activity.public_joint_st_week = activity.joint_st_week
    activity.public_cover = snapshot["cover"]
    return list(PUBLIC_COLUMNS)


def _transition(*, actor, activity: Activity, action: str, apply=None, notify_unit=None, notify_organisers=None,
                changes: dict | None = None) -> Activity:
    """Look the move up in TRANSITIONS, check the permission, lock, apply, save, audit and notify."""
    with transaction.atomic():
        activity = (Activity.objects.select_for_update(of=("self",))
                    .select_related("campaign", "unit", "category", "form", "district", "cover")
                    .get(pk=activity.pk))
        require(actor, ACTION_PERMISSIONS[action], activity)
        before = activity.state
        target = next_state(TRANSITIONS, state=before, action=action, labels=dict(State.choices),
                            action_labels=action_labels())
        update_fields = {"state", "updated_at"}
        if apply is not None:
            update_fields |= set(apply(activity) or [])
        activity.state = target
        activity.save(update_fields=sorted(update_fields))
        audit_record(action=f"activities.activity.{action}", actor=actor, obj=activity,
                     changes={"state": [before, target], **(changes or {})})
        if activity.published is not None and action in ("approve", "cancel"):
            public_version_bump()
        if notify_unit:
            notify(recipients=_coordinators(activity.unit), url=activity.get_absolute_url(),
                   kind=f"activities.{action}", **notify_unit(activity))
        if notify_organisers:
            notify(recipients=_organisers(), url=activity.get_absolute_url(), kind=f"activities.{action}",
                   **notify_organisers(activity))
    return activity


def activity_submit(*, actor, activity: Activity) -> Activity:
    """Send a draft (or a returned activity) for review; every one needs the pledge, an offline one its plans."""
    def apply(a):
        missing = missing_requirements(a)
        if missing:
            raise ValidationError(missing, code="incomplete")
        a.submitted_at = clock.now()
        return ["submitted_at"]

    resubmitted = activity.state == State.RETURNED
    return _transition(
        actor=actor, activity=activity, action="submit", apply=apply,
        notify_organisers=lambda a: {
            "title": (_("Resubmitted for review: %(title)s") if resubmitted
                      else _("Submitted for review: %(title)s")) % {"title": a.title},
            "body": str(a.unit)},
    )


def activity_withdraw(*, actor, activity: Activity) -> Activity:
    """The unit takes a submitted activity back to draft before it is reviewed."""
    return _transition(actor=actor, activity=activity, action="withdraw")


# --- what changed since the last review ---------------------------------------------------------------

REVIEW_FIELDS = list(EDIT_FIELDS)


def _review_value(activity: Activity, name: str):
    value = getattr(activity, name)
    if name == "description":
        return html_to_text(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "pk"):  # category, form, district: their name as read then
        return str(value)
    return value


def review_snapshot(activity: Activity) -> dict:
    """The reviewable fields and the plan files of ``activity`` as JSON, taken when it is approved or returned."""
    plans = {plan.kind: {"name": plan.asset.original_name or str(plan.asset.public_id), "sha256": plan.asset.sha256}
             for plan in activity.plans.select_related("asset")}
    return {"fields": {name: _review_value(activity, name) for name in REVIEW_FIELDS}, "plans": plans}


def _review_display(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field.name == "audiences":
        labels = dict(Audience.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def review_changes(activity: Activity) -> dict | None:
    """What changed since the organisers last reviewed ``activity``: field by field (label, before, after)
    and the plan files added, removed or replaced; None if it was never reviewed."""
    before = activity.reviewed_snapshot
    if not before:
        return None
    now = review_snapshot(activity)
    fields = []
    for name in REVIEW_FIELDS:
        old, new = before.get("fields", {}).get(name), now["fields"][name]
        if old != new and name in before.get("fields", {}):
            field = Activity._meta.get_field(name)
            fields.append({"label": field.verbose_name, "before": _review_display(field, old),
                           "after": _review_display(field, new)})
    labels = dict(PlanKind.choices)
    files = []
    old_plans, new_plans = before.get("plans", {}), now["plans"]
    for kind in PlanKind.values:
        old, new = old_plans.get(kind), new_plans.get(kind)
        if old and not new:
            files.append({"label": labels[kind], "change": "removed", "before": old["name"], "after": ""})
        elif new and not old:
            files.append({"label": labels[kind], "change": "added", "before": "", "after": new["name"]})
        elif old and new and (old["sha256"], old["name"]) != (new["sha256"], new["name"]):
            files.append({"label": labels[kind], "change": "replaced", "before": old["name"], "after": new["name"]})
    return {"fields": fields, "files": files}


def activity_approve(*, actor, activity: Activity) -> Activity:
    """Approve a submitted activity and publish its public fields as they are now."""
    def apply(a):
        a.reviewed_at = clock.now()
        a.return_reason = ""
        a.reviewed_snapshot = review_snapshot(a)
        return [*activity_publication_apply(a), "reviewed_at", "return_reason", "reviewed_snapshot"]

    return _transition(actor=actor, activity=activity, action="approve", apply=apply,
                       notify_unit=lambda a: {"title": _("Approved: %(title)s") % {"title": a.title},
                                              "body": _("Your activity is approved and shown on the public site.")})


def activity_return(*, actor, activity: Activity, reason: str) -> Activity:
    """Return a submitted activity to its unit for changes, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the activity is returned.")})

    def apply(a):
        a.return_reason = reason
        a.reviewed_at = clock.now()
        a.reviewed_snapshot = review_snapshot(a)
        return ["return_reason", "reviewed_at", "reviewed_snapshot"]

    return _transition(actor=actor, activity=activity, action="return", apply=apply, changes={"reason": reason},
                       notify_unit=lambda a: {"title": _("Returned for changes: %(title)s") % {"title": a.title},
                                              "body": reason})


def clean_coverage(coverage) -> list[dict]:
    """Media-coverage entries as they are stored: outlet, title and date required, the link "" or http(s)
    (the page and the API both come through here). ValidationError keyed "coverage" otherwise."""
    cleaned, errors = [], []
    for entry in coverage or ():
        entry = dict(entry)
        outlet, title = str(entry.get("outlet") or "").strip(), str(entry.get("title") or "").strip()
        if not outlet or not title or not entry.get("date"):
            errors.append(_("Fill in the outlet, title and date of each report."))
        try:
            link = validate_link(entry.get("link"))
        except ValidationError as exc:
            errors.extend(exc.messages)
            link = ""
        cleaned.append({"outlet": outlet[:100], "title": title[:200], "link": link, "date": entry.get("date")})
    if errors:
        raise ValidationError({"coverage": sorted(set(errors), key=errors.index)})
    return cleaned


def report_refusal(activity: Activity) -> str:
    """Why the outcome of ``activity`` cannot be reported yet ('' when it can): reporting opens once the
    activity has started (by core.clock). The page shows this before the form; the service enforces it."""
    if clock.now() < activity.starts_at:
        return _("The outcome can be reported only once the activity has started (%(start)s).") % {
            "start": f"{timezone.localtime(activity.starts_at):%Y-%m-%d %H:%M}"}
    return ""


def activity_report(*, actor, activity: Activity, actual_participants: int, online_views: int | None = None,
                    outcome: str = "", photos=(), video=None, coverage=()) -> Activity:
    """The unit reports that an approved activity was held: participants, views, photos, video, coverage.
    Only once the activity has started (``report_refusal``)."""
    if actual_participants is None or actual_participants < 0:
        raise ValidationError({"actual_participants": _("Enter how many people took part.")})
    if online_views is not None and online_views < 0:
        raise ValidationError({"online_views": _("Enter a number of views of at least 0.")})
    coverage = clean_coverage(coverage)

    def apply(a):
        refusal = report_refusal(a)
        if refusal:
            raise TransitionNotAllowed(refusal, state=a.state, action="report")
        a.actual_participants = actual_participants
        a.online_views = online_views
        a.outcome = sanitise_html(outcome)
        stored = assets_store_many(files=list(photos), use=AssetUse.IMAGE, owner=actor, unit=a.unit,
                                   is_public=True)
        ActivityPhoto.objects.bulk_create(ActivityPhoto(activity=a, asset=asset) for asset in stored)
        if video is not None:
            a.video = asset_store(uploaded_file=video, use=AssetUse.VIDEO, owner=actor, unit=a.unit, is_public=True)
        MediaCoverage.objects.bulk_create(MediaCoverage(activity=a, **entry) for entry in coverage)
        return ["actual_participants", "online_views", "outcome", "video"]

    return _transition(
        actor=actor, activity=activity, action="report", apply=apply,
        changes={"actual_participants": actual_participants, "online_views": online_views,
                 "photos": len(photos), "coverage": len(coverage)},
        notify_organisers=lambda a: {"title": _("Outcome reported: %(title)s") % {"title": a.title},
                                     "body": str(a.unit)},
    )


# States in which the outcome (photos, video, coverage) has been reported and may still be corrected.
REPORTED_STATES = {State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP}


def _require_reported(activity: Activity) -> None:
    if activity.state not in REPORTED_STATES:
        raise TransitionNotAllowed(_("Photos, video and media coverage can be changed only after the outcome is "
                                     "reported (now: %(state)s).") % {"state": activity.get_state_display()})


def activity_media_add(*, actor, activity: Activity, photos=(), video=None, coverage=()) -> Activity:
    """Add photos or coverage to a reported outcome, or replace its video (the old one is deleted)."""
    require(actor, "activity.host", activity)
    photos, coverage = list(photos), clean_coverage(coverage)
    with transaction.atomic():
        activity = Activity.objects.select_for_update(of=("self",)).select_related("unit", "video").get(
            pk=activity.pk)
        _require_reported(activity)
        if len(photos) + activity.photos.count() > MAX_PHOTOS:
            raise ValidationError({"photos": _("At most %(count)d photos per activity.") % {"count": MAX_PHOTOS}})
        stored = assets_store_many(files=photos, use=AssetUse.IMAGE, owner=actor, unit=activity.unit,
                                   is_public=True)
        ActivityPhoto.objects.bulk_create(ActivityPhoto(activity=activity, asset=asset) for asset in stored)
        MediaCoverage.objects.bulk_create(MediaCoverage(activity=activity, **entry) for entry in coverage)
        changes = {"photos": [a.pk for a in stored], "coverage": len(coverage)}
        if video is not None:
            old = activity.video
            activity.video = asset_store(uploaded_file=video, use=AssetUse.VIDEO, owner=actor, unit=activity.unit,
                                         is_public=True)
            activity.save(update_fields=["video", "updated_at"])
            changes["video"] = [old.pk if old else None, activity.video.pk]
            if old is not None:
                asset_delete(actor=actor, asset=old)
        audit_record(action="activities.outcome.media_added", actor=actor, obj=activity, changes=changes)
    return activity


def activity_photo_remove(*, actor, photo: ActivityPhoto) -> None:
    """Remove one photo of a reported outcome, and its file."""
    activity = photo.activity
    require(actor, "activity.host", activity)
    with transaction.atomic():
        activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
        _require_reported(activity)
        photo = ActivityPhoto.objects.select_related("asset").get(pk=photo.pk, activity=activity)
        asset = photo.asset
        photo.delete()
        audit_record(action="activities.photo.removed", actor=actor, obj=activity,
                     changes={"photo": photo.pk, "asset": asset.pk, "original_name": asset.original_name})
        asset_delete(actor=actor, asset=asset)


def activity_photo_star(*, actor, photo: ActivityPhoto, starred: bool) -> ActivityPhoto:
    """Star (or unstar) a photo of a reported outcome as a highlight: the public page shows it first."""
    activity = photo.activity
    require(actor, "activity.host", activity)
    with transaction.atomic():
        activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
        _require_reported(activity)
        photo = ActivityPhoto.objects.get(pk=photo.pk, activity=activity)
        if photo.is_highlight != starred:
            photo.is_highlight = starred
            photo.save(update_fields=["is_highlight"])
            audit_record(action="activities.photo.starred" if starred else "activities.photo.unstarred",
                         actor=actor, obj=activity, changes={"photo": photo.pk, "is_highlight": [not starred, starred]})
            transaction.on_commit(public_version_bump)
    return photo


def activity_coverage_remove(*, actor, coverage: MediaCoverage) -> None:
    """Remove one media-coverage entry of a reported outcome."""
    activity = coverage.activity
    require(actor, "activity.host", activity)
    with transaction.atomic():
        activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
        _require_reported(activity)
        entry = MediaCoverage.objects.get(pk=coverage.pk, activity=activity)
        entry.delete()
        audit_record(action="activities.coverage.removed", actor=actor, obj=activity,
                     changes={"coverage": coverage.pk, "outlet": entry.outlet, "title": entry.title,
                              "link": entry.link, "date": entry.date.isoformat()})


def activity_video_remove(*, actor, activity: Activity) -> Activity:
    """Remove the video of a reported outcome, and its file."""
    require(actor, "activity.host", activity)
    with transaction.atomic():
        activity = Activity.objects.select_for_update(of=("self",)).select_related("video").get(pk=activity.pk)
        _require_reported(activity)
        old = activity.video
        if old is None:
            return activity
        activity.video = None
        activity.save(update_fields=["video", "updated_at"])
        audit_record(action="activities.video.removed", actor=actor, obj=activity,
                     changes={"asset": old.pk, "original_name": old.original_name})
        asset_delete(actor=actor, asset=old)
    return activity


def activity_recommend(*, actor, activity: Activity) -> Activity:
    """Organisers pick a held activity as one of the best."""
    return _transition(actor=actor, activity=activity, action="recommend",
                       notify_unit=lambda a: {"title": _("Recommended: %(title)s") % {"title": a.title}})


def activity_recommend_up(*, actor, activity: Activity) -> Activity:
    """Organisers recommend a recommended activity to the upper level (上报)."""
    return _transition(actor=actor, activity=activity, action="recommend_up",
                       notify_unit=lambda a: {"title": _("Recommended upward: %(title)s") % {"title": a.title}})


def activity_cancel(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancel an activity, saying why; a published one shows as cancelled on the public page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})

    def apply(a):
        a.cancel_reason = reason
        return ["cancel_reason"]

    return _transition(actor=actor, activity=activity, action="cancel", apply=apply, changes={"reason": reason},
                       notify_organisers=lambda a: {"title": _("Cancelled: %(title)s") % {"title": a.title},
                                                    "body": reason})


def activity_transition(*, actor, activity: Activity, action: str, **kwargs) -> Activity:
    """Dispatch one named action (the API's POST /activities/{id}/transitions/{name})."""
    services = {
        "submit": activity_submit, "withdraw": activity_withdraw, "approve": activity_approve,
        "return": activity_return, "report": activity_report, "recommend": activity_recommend,
        "recommend_up": activity_recommend_up, "cancel": activity_cancel,
    }
    if action not in services:
        next_state(TRANSITIONS, state=activity.state, action=action, labels=dict(State.choices),
                   action_labels=action_labels())
    return services[action](actor=actor, activity=activity, **kwargs)


@transaction.atomic
def activities_approve_many(*, actor, activities) -> tuple[list[Activity], list[tuple[Activity, str]]]:
    """Approve several submitted activities; returns (approved, [(activity, why not)])."""
    done, failed = [], []
    for activity in activities:
        try:
            with transaction.atomic():
                done.append(activity_approve(actor=actor, activity=activity))
        except TransitionNotAllowed as exc:
            failed.append((activity, exc.message))
    return done, failed


# --- QR check-in -------------------------------------------------------------------------------------------

CHECKIN_SALT = "activities.checkin"


def checkin_code(activity: Activity) -> str:
    """The signed code in an activity's check-in QR; rotating the nonce invalidates older codes."""
    return signing.dumps({"a": activity.pk, "n": activity.checkin_nonce}, salt=CHECKIN_SALT, compress=True)


def checkin_window(activity: Activity) -> tuple[datetime.datetime, datetime.datetime]:
    """From one hour before the start to the end of the last day (Asia/Shanghai)."""
    end_day = _local_date(activity.ends_at)
    end = timezone.make_aware(datetime.datetime.combine(end_day + datetime.timedelta(days=1), datetime.time()))
    return activity.starts_at - datetime.timedelta(hours=1), end


def checkin_activity(code: str) -> Activity | None:
    """The activity a code belongs to if the code is genuine and current; None otherwise."""
    try:
        data = signing.loads(code, salt=CHECKIN_SALT)
    except signing.BadSignature:
        return None
    # No ORDER BY (first() would add one): the primary key finds at most one row.
    activity = next(iter(Activity.objects.select_related("unit").filter(pk=data.get("a")).order_by()[:1]), None)
    if activity is None or activity.checkin_nonce != data.get("n"):
        return None
    return activity


def checkin_refusal(activity: Activity) -> str:
    """Why check-in is not possible now ('' when it is)."""
    if activity.state not in (State.APPROVED, State.HELD) or not activity.is_offline:
        return _("Check-in is not available for this activity.")
    if not activity.checkin_open:
        return _("Check-in for this activity is closed.")
    start, end = checkin_window(activity)
    now = clock.now()
    if now < start:
        return _("Check-in opens one hour before the activity starts.")
    if now >= end:
        return _("Check-in for this activity has ended.")
    return ""


def checkin_device_hash(activity: Activity, device_id: str) -> str:
    return device_hash("activities.checkin", activity.pk, device_id)


def checkin_create(*, activity: Activity, name: str, phone: str, device_id: str) -> tuple[CheckIn, bool]:
    """Check a person in from their own phone; returns (check-in, created).

    One device checks in one person per activity and the same mobile number counts once: a device that
    has checked someone in gets that check-in back for the same number and a refusal for another one
    (people without a phone are added by the host unit, ``checkin_add_manual``)."""
    refusal = checkin_refusal(activity)
    if refusal:
        raise ValidationError(refusal, code="closed")
    hashed = checkin_device_hash(activity, device_id)
    name = name.strip()
    try:
        # The usual case, a new person from a new phone, is this one statement: the two unique constraints
        # (number, device) decide, also for two requests at the same instant; anything else is looked up.
        with transaction.atomic():
            return CheckIn.objects.create(activity=activity, name=name, phone=phone, device_hash=hashed), True
    except IntegrityError:
        pass
    by_device = CheckIn.objects.filter(activity=activity, device_hash=hashed).first()
    if by_device is not None:
        if by_device.phone == phone:
            return by_device, False
        raise ValidationError(_("This phone has already checked in %(name)s. One phone checks in one person: "
                                "someone without a phone is checked in by the host at the desk.") % {
            "name": by_device.name}, code="device")
    existing = CheckIn.objects.filter(activity=activity, phone=phone).first()
    if existing is None:  # neither row is there any more (removed a moment ago): refused, as before
        raise ValidationError(_("This phone has already checked someone in."), code="device")
    return existing, False


def checkin_add_manual(*, actor, activity: Activity, name: str, phone: str = "") -> CheckIn:
    """The host unit adds a participant to the check-in list (补签), e.g. someone without a phone; audited
    and counted apart from the QR check-ins."""
    require(actor, "activity.checkins", activity)
    name = (name or "").strip()
    phone = (phone or "").strip()
    if not name:
        raise ValidationError({"name": _("Please enter the participant's name.")})
    if activity.state not in (State.APPROVED, State.HELD) or not activity.is_offline:
        raise ValidationError(_("Check-in is not available for this activity."), code="closed")
    if phone and CheckIn.objects.filter(activity=activity, phone=phone).exists():
        raise ValidationError({"phone": _("This mobile number has already checked in.")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                checkin = CheckIn.objects.create(activity=activity, name=name, phone=phone, is_manual=True,
                                                 added_by=actor)
        except IntegrityError:
            raise ValidationError({"phone": _("This mobile number has already checked in.")}) from None
        audit_record(action="activities.checkin.added", actor=actor, obj=activity,
                     changes={"name": name, "phone": bool(phone)})
    return checkin


@transaction.atomic
def checkin_set_open(*, actor, activity: Activity, is_open: bool) -> Activity:
    """The host opens or closes check-in."""
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    require(actor, "activity.checkins", activity)
    activity.checkin_open = is_open
    activity.save(update_fields=["checkin_open", "updated_at"])
    audit_record(action="activities.checkin.opened" if is_open else "activities.checkin.closed", actor=actor,
                 obj=activity)
    return activity


@transaction.atomic
def checkin_rotate(*, actor, activity: Activity) -> Activity:
    """Make a new check-in code; the old QR stops working."""
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    require(actor, "activity.checkins", activity)
    activity.checkin_nonce += 1
    activity.save(update_fields=["checkin_nonce", "updated_at"])
    audit_record(action="activities.checkin.rotated", actor=actor, obj=activity)
    return activity
