"""What an audit entry means, in words a person reads: the action, the changed fields and their values.

The entry keeps its raw code (``awards.nomination.pass``) and raw changes (``{"status": ["submitted",
"eligible"]}``) for filtering and export; the log page shows, beside the code, a label composed from the
model's own ``verbose_name`` (translated), a verb for the event, each field's ``verbose_name`` and each
value's choice label (yes/no for booleans). Nothing here reads the database.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The last part of an action code ("<app>.<model>.<event>") -> what happened.
EVENTS = {
    "accept": pgettext_lazy("audit event", "accepted"), "accepted": pgettext_lazy("audit event", "accepted"),
    "anonymised": pgettext_lazy("audit event", "anonymised"), "append": pgettext_lazy("audit event", "appended"),
    "approve": pgettext_lazy("audit event", "approved"), "assign": pgettext_lazy("audit event", "assigned"),
    "assigned": pgettext_lazy("audit event", "assigned"), "attached": pgettext_lazy("audit event", "file attached"),
    "auto_close": pgettext_lazy("audit event", "closed automatically"),
    "auto_closed": pgettext_lazy("audit event", "closed automatically"),
    "booked": pgettext_lazy("audit event", "booked"), "cancel": pgettext_lazy("audit event", "cancelled"),
    "change": pgettext_lazy("audit event", "changed"),
    "changed_after_approval": pgettext_lazy("audit event", "changed after approval"),
    "check_in": pgettext_lazy("audit event", "checked in"), "close": pgettext_lazy("audit event", "closed"),
    "closed": pgettext_lazy("audit event", "closed"), "confirm": pgettext_lazy("audit event", "confirmed"),
    "confirmed": pgettext_lazy("audit event", "confirmed"), "copied": pgettext_lazy("audit event", "copied"),
    "created": pgettext_lazy("audit event", "created"), "deactivated": pgettext_lazy("audit event", "deactivated"),
    "decided": pgettext_lazy("audit event", "decided"), "decline": pgettext_lazy("audit event", "declined"),
    "declined": pgettext_lazy("audit event", "declined"), "deleted": pgettext_lazy("audit event", "deleted"),
    "denied": pgettext_lazy("audit event", "permission denied"),
    "detached": pgettext_lazy("audit event", "file removed"), "done": pgettext_lazy("audit event", "done"),
    "downloaded": pgettext_lazy("audit event", "downloaded"), "drop": pgettext_lazy("audit event", "dropped"),
    "exported": pgettext_lazy("audit event", "exported"), "exported_csv": pgettext_lazy("audit event", "exported (.csv)"),
    "exported_xlsx": pgettext_lazy("audit event", "exported (.xlsx)"), "failed": pgettext_lazy("audit event", "failed"),
    "filed": pgettext_lazy("audit event", "filed"), "generated": pgettext_lazy("audit event", "generated"),
    "granted": pgettext_lazy("audit event", "granted"), "headcount_set": pgettext_lazy("audit event", "headcount set"),
    "imported": pgettext_lazy("audit event", "imported"), "invited": pgettext_lazy("audit event", "invited"),
    "locked_out": pgettext_lazy("audit event", "locked out"), "logged_in": pgettext_lazy("audit event", "logged in"),
    "logged_out": pgettext_lazy("audit event", "logged out"), "login_failed": pgettext_lazy("audit event", "login failed"),
    "match": pgettext_lazy("audit event", "matched"), "matched": pgettext_lazy("audit event", "matched"),
    "media_added": pgettext_lazy("audit event", "media added"), "moved": pgettext_lazy("audit event", "moved"),
    "no_show": pgettext_lazy("audit event", "no-show"), "object": pgettext_lazy("audit event", "objected"),
    "objected": pgettext_lazy("audit event", "objected"), "opened": pgettext_lazy("audit event", "opened"),
    "pass": pgettext_lazy("audit event", "passed the eligibility check"),
    "password_changed": pgettext_lazy("audit event", "password changed"),
    "password_reset": pgettext_lazy("audit event", "password reset"),
    "permissions_changed": pgettext_lazy("audit event", "permissions changed"),
    "personal_revealed": pgettext_lazy("audit event", "personal data revealed"),
    "progress": pgettext_lazy("audit event", "progress noted"),
    "progress_noted": pgettext_lazy("audit event", "progress noted"),
    "publish_notice": pgettext_lazy("audit event", "public notice published"),
    "published": pgettext_lazy("audit event", "published"), "raise": pgettext_lazy("audit event", "raised"),
    "reactivated": pgettext_lazy("audit event", "reactivated"), "recommend": pgettext_lazy("audit event", "recommended"),
    "recommend_up": pgettext_lazy("audit event", "recommended upward"), "reject": pgettext_lazy("audit event", "rejected"),
    "release": pgettext_lazy("audit event", "released"), "released": pgettext_lazy("audit event", "released"),
    "reminded": pgettext_lazy("audit event", "reminded"), "removed": pgettext_lazy("audit event", "removed"),
    "report": pgettext_lazy("audit event", "outcome reported"), "reported": pgettext_lazy("audit event", "reported"),
    "requested": pgettext_lazy("audit event", "requested"), "resolve": pgettext_lazy("audit event", "resolved"),
    "resolved": pgettext_lazy("audit event", "resolved"), "return": pgettext_lazy("audit event", "returned"),
    "revoked": pgettext_lazy("audit event", "revoked"), "rotated": pgettext_lazy("audit event", "rotated"),
    "saved": pgettext_lazy("audit event", "saved"), "schedule": pgettext_lazy("audit event", "scheduled"),
    "scheduled": pgettext_lazy("audit event", "scheduled"), "scored": pgettext_lazy("audit event", "scored"),
    "seeded": pgettext_lazy("audit event", "seeded"), "select": pgettext_lazy("audit event", "selected"),
    "sent": pgettext_lazy("audit event", "sent"), "serve": pgettext_lazy("audit event", "served"),
    "served": pgettext_lazy("audit event", "served"), "starred": pgettext_lazy("audit event", "starred"),
    "stored": pgettext_lazy("audit event", "stored"), "submit": pgettext_lazy("audit event", "submitted"),
    "submitted": pgettext_lazy("audit event", "submitted"), "toggled": pgettext_lazy("audit event", "switched"),
    "totp_enrolled": pgettext_lazy("audit event", "two-step login set up"),
    "totp_failed": pgettext_lazy("audit event", "two-step code refused"),
    "totp_verified": pgettext_lazy("audit event", "two-step code accepted"),
    "unselect": pgettext_lazy("audit event", "deselected"), "unstarred": pgettext_lazy("audit event", "unstarred"),
    "updated": pgettext_lazy("audit event", "updated"), "withdraw": pgettext_lazy("audit event", "withdrawn"),
    # issue 14/15/16/18 actions
    "abandoned": pgettext_lazy("audit event", "abandoned"),
    "added": pgettext_lazy("audit event", "added"),
    "chosen": pgettext_lazy("audit event", "chosen"),
    "complete": pgettext_lazy("audit event", "received in full"),
    "consumed": pgettext_lazy("audit event", "used and removed"),
    "covered": pgettext_lazy("audit event", "covered"),
    "dry_run": pgettext_lazy("audit event", "checked without writing (dry run)"),
    "featured": pgettext_lazy("audit event", "featured"),
    "loaded": pgettext_lazy("audit event", "loaded"),
    "made": pgettext_lazy("audit event", "made"),
    "otp_enrolment_code_failed": pgettext_lazy("audit event", "two-step enrolment code refused"),
    "otp_enrolment_code_issued": pgettext_lazy("audit event", "two-step enrolment code issued"),
    "pasted": pgettext_lazy("audit event", "pasted"),
    "pruned": pgettext_lazy("audit event", "pruned"),
    "pulled": pgettext_lazy("audit event", "fetched"),
    "pushed": pgettext_lazy("audit event", "reported upward"),
    "recorded": pgettext_lazy("audit event", "recorded"),
    "refused": pgettext_lazy("audit event", "refused"),
    "registered": pgettext_lazy("audit event", "registered"),
    "remind": pgettext_lazy("audit event", "reminded"),
    "reopen": pgettext_lazy("audit event", "sent back for review"),
    "reopened": pgettext_lazy("audit event", "reopened"),
    "requeued": pgettext_lazy("audit event", "queued again"),
    "retry": pgettext_lazy("audit event", "retried"),
    "revoked_all": pgettext_lazy("audit event", "all revoked"),
    "set": pgettext_lazy("audit event", "set"),
    "transcode_failed": pgettext_lazy("audit event", "transcoding failed"),
    "transcoded": pgettext_lazy("audit event", "transcoded"),
    "unchanged": pgettext_lazy("audit event", "received again unchanged"),
}

# Keys of ``changes`` that are not a field of the entry's model.
KEYS = {
    "fields": _("fields"), "reason": _("reason"), "count": _("count"), "highlights": _("highlights"),
    "files": _("files"), "kind": _("kind"), "rows": _("rows"), "until": _("until"),
    # the roll-up's push and pull (rollup.services)
    "applied": _("decisions applied to"), "skipped": _("decisions skipped"), "cursor": _("fetched up to"),
    "status": _("answer status"), "package_id": _("package"), "package": _("package outcome"),
    "counts": _("records"), "code": _("refusal code"), "detail": _("detail"),
}


def _model(app_label: str, model_name: str):
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def action_label(code: str) -> str:
    """``awards.nomination.pass`` -> 「推荐对象：通过资格审查」; an unknown code is returned as it is."""
    parts = code.split(".")
    if len(parts) < 3:
        return code
    app_label, model_name, event = parts[0], parts[1], ".".join(parts[2:])
    verb = EVENTS.get(event)
    if verb is None:
        return code
    model = _model(app_label, model_name)
    if model is not None:
        subject = str(model._meta.verbose_name)
    else:
        try:
            subject = str(apps.get_app_config(app_label).verbose_name)
        except LookupError:
            return code
    return f"{subject}：{verb}"


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def value_label(value, field=None) -> str:
    """One value as a person reads it: a choice's label, yes/no, — for nothing, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return "、".join(value_label(v, field) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_label(v)}" for k, v in value.items())
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def changes_rows(object_type: str, changes) -> list[tuple[str, str]]:
    """(field label, value as read) for each change; ``[old, new]`` pairs read ``old → new``."""
    if not isinstance(changes, dict):
        return [("", value_label(changes))] if changes else []
    model = _model(*object_type.split(".", 1)) if "." in object_type else None
    rows = []
    for key, value in changes.items():
        field = _field(model, key)
        label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else str(
            KEYS.get(key, key))
        if key == "fields" and isinstance(value, list) and model is not None:
            names = [str(getattr(_field(model, name), "verbose_name", name)) for name in value]
            rows.append((label, "、".join(names)))
        elif isinstance(value, list) and len(value) == 2 and field is not None:
            rows.append((label, f"{value_label(value[0], field)} → {value_label(value[1], field)}"))
        else:
            rows.append((label, value_label(value, field)))
    return rows
