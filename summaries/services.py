"""Every write of summaries: saving, attaching, the transitions, extensions, stars and reminders."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import require
from activities.models import Activity
from audit.services import audit_record
from campaigns.models import Campaign
from core import clock
from core.exceptions import next_state
from notifications.services import notify
from organisations.models import Office, Unit
from uploads.models import AssetUse
from uploads.services import assets_release, assets_store_many

from . import selectors
from .models import (
    Attachment,
    AttachmentKind,
    Extension,
    Highlight,
    Reminder,
    ReminderSent,
    Summary,
    SummaryState,
)

TEXT_FIELDS = ["work_done", "results", "experience", "suggestions"]

TRANSITIONS = {
    (SummaryState.DRAFT, "submit"): SummaryState.SUBMITTED,
    (SummaryState.RETURNED, "submit"): SummaryState.SUBMITTED,
    (SummaryState.SUBMITTED, "withdraw"): SummaryState.DRAFT,
    (SummaryState.SUBMITTED, "accept"): SummaryState.ACCEPTED,
    (SummaryState.SUBMITTED, "return"): SummaryState.RETURNED,
}
UNIT_ACTIONS = {"submit", "withdraw"}
OFFICE_ACTIONS = {"accept", "return"}
ACTIONS = UNIT_ACTIONS | OFFICE_ACTIONS


def action_labels() -> dict[str, str]:
    return {"submit": _("Submit the summary"), "withdraw": _("Withdraw the summary"),
            "accept": _("Accept the summary"), "return": _("Return the summary for revision")}


def _state_labels() -> dict[str, str]:
    return {value: str(label) for value, label in SummaryState.choices}


def _coordinators(unit: Unit):
    from accounts.models import User

    return User.objects.filter(unit_memberships__unit=unit, is_active=True)


def _office_staff(office: Office | None):
    from accounts.models import User

    if office is None:
        return User.objects.none()
    return User.objects.filter(office_memberships__office=office, is_active=True)


def _summary_url(summary: Summary) -> str:
    return reverse("summaries:edit", args=[summary.campaign.slug, summary.unit_id])


MAX_HIGHLIGHTS = 20


def summary_save(*, actor, campaign: Campaign, unit: Unit, work_done: str = "", results: str = "",
                 experience: str = "", suggestions: str = "", highlights: list[dict] | None = None) -> Summary:
    """Save the unit's summary as it is (a draft may be saved at any time, even half written).

    ``highlights`` replaces the highlights: ``[{"title", "text", "activity_ids"}]``; activities must
    be the unit's own in this campaign. Stars an office gave to an unchanged title are kept.
    """
    require(actor, "summary.edit", unit)
    values = {"work_done": work_done, "results": results, "experience": experience, "suggestions": suggestions}
    if len(highlights or []) > MAX_HIGHLIGHTS:  # the page offers at most as many (HighlightFormSet)
        raise ValidationError({"highlights": [_("At most %(count)d highlights per summary.")
                                              % {"count": MAX_HIGHLIGHTS}]})
    own_activities = set(Activity.objects.filter(campaign=campaign, unit=unit).values_list("pk", flat=True))
    for item in highlights or []:
        if not (item.get("title") or "").strip() or not (item.get("text") or "").strip():
            raise ValidationError({"highlights": [_("Each highlight needs a title and a text.")]})
        if set(item.get("activity_ids") or []) - own_activities:
            raise ValidationError({"highlights": [_("A highlight may only draw on your unit's own activities.")]})
    with transaction.atomic():
        summary, created = Summary.objects.select_for_update().get_or_create(
            campaign=campaign, unit=unit,
            defaults={**values, "created_by": actor, "office": campaign.office_for(unit.unit_type)})
        if not created:
            if not summary.is_editable:
                raise ValidationError(_("The summary has been submitted: withdraw it first to change it."))
            before = {f: getattr(summary, f) for f in TEXT_FIELDS}
            for field, value in values.items():
                setattr(summary, field, value)
            summary.save(update_fields=[*TEXT_FIELDS, "updated_at"])
            changed = [f for f in TEXT_FIELDS if before[f] != values[f]]
        else:
            changed = [f for f in TEXT_FIELDS if values[f]]
        if highlights is not None:
            starred = set(summary.highlights.filter(is_starred=True).values_list("title", flat=True))
            summary.highlights.all().delete()
            for order, item in enumerate(highlights):
                highlight = Highlight.objects.create(summary=summary, title=item["title"].strip()[:200],
                                                     text=item["text"].strip(), order=order,
                                                     is_starred=item["title"].strip()[:200] in starred)
                if item.get("activity_ids"):
                    highlight.activities.set(item["activity_ids"])
        audit_record(action="summaries.summary.created" if created else "summaries.summary.saved", actor=actor,
                     obj=summary, changes={"fields": changed, "highlights": len(highlights or [])})
    return summary


def summary_attach(*, actor, summary: Summary, files, kind: str) -> list[Attachment]:
    """Attach photos, a video or documents to an editable summary, through the upload service."""
    require(actor, "summary.edit", summary.unit)
    if not summary.is_editable:
        raise ValidationError(_("The summary has been submitted: withdraw it first to change it."))
    use = {AttachmentKind.PHOTO: AssetUse.IMAGE, AttachmentKind.VIDEO: AssetUse.VIDEO,
           AttachmentKind.DOCUMENT: AssetUse.DOCUMENT}[kind]
    assets = assets_store_many(files=files, use=use, owner=actor, unit=summary.unit)
    with transaction.atomic():
        attachments = Attachment.objects.bulk_create(Attachment(summary=summary, kind=kind, asset=a) for a in assets)
        audit_record(action="summaries.summary.attached", actor=actor, obj=summary,
                     changes={"kind": kind, "assets": [a.pk for a in assets]})
    return attachments


def summary_detach(*, actor, attachment: Attachment) -> None:
    summary = attachment.summary
    require(actor, "summary.edit", summary.unit)
    if not summary.is_editable:
        raise ValidationError(_("The summary has been submitted: withdraw it first to change it."))
    with transaction.atomic():
        audit_record(action="summaries.summary.detached", actor=actor, obj=summary,
                     changes={"asset": attachment.asset_id})
        asset = attachment.asset
        attachment.delete()
        assets_release(actor=actor, assets=[asset])  # the file goes too, not left downloadable


def _check_deadline(summary: Summary) -> bool:
    """Whether a submission now is late; ValidationError if the campaign closes late submission."""
    if not selectors.is_past_deadline(campaign=summary.campaign, unit=summary.unit):
        return False
    if summary.campaign.late_policy == Campaign.LatePolicy.CLOSED:
        day = selectors.deadline_date_for(campaign=summary.campaign, unit=summary.unit)
        raise ValidationError(
            _("The summary deadline (%(day)s 23:59) has passed and this campaign accepts no late summaries. "
              "Ask your receiving office for an extension.") % {"day": f"{day:%Y-%m-%d}"}, code="closed")
    return True


def summary_transition(*, actor, summary: Summary, action: str, reason: str = "") -> Summary:
    """Submit, withdraw (the unit), accept or return (the receiving office) a summary."""
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."))
    next_state(TRANSITIONS, state=summary.state, action=action, labels=_state_labels(),
               action_labels=action_labels())
    require(actor, "summary.edit" if action in UNIT_ACTIONS else "summary.review",
            summary.unit if action in UNIT_ACTIONS else summary)
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise ValidationError({"reason": [_("Say what the unit should revise.")]})
    with transaction.atomic():
        summary = (Summary.objects.select_for_update(of=("self",)).select_related("campaign", "unit", "office")
                   .get(pk=summary.pk))
        before = summary.state
        target = next_state(TRANSITIONS, state=before, action=action, labels=_state_labels(),
                            action_labels=action_labels())
        fields = ["state", "updated_at"]
        changes = {"state": [before, target]}
        if action == "submit":
            if not summary.work_done.strip():
                raise ValidationError({"work_done": [_("Describe the activities carried out before submitting.")]})
            summary.is_late = _check_deadline(summary)
            summary.submitted_at = clock.now()
            summary.office = summary.campaign.office_for(summary.unit.unit_type)
            if summary.office is None:
                raise ValidationError(_("The campaign names no receiving office for this unit type."))
            fields += ["is_late", "submitted_at", "office"]
            changes.update(late=summary.is_late, office=summary.office.code)
        elif action in OFFICE_ACTIONS:
            summary.reviewed_at, summary.reviewed_by = clock.now(), actor
            fields += ["reviewed_at", "reviewed_by"]
            if action == "return":
                summary.return_reason = reason
                fields.append("return_reason")
                changes["reason"] = reason
        summary.state = target
        summary.save(update_fields=fields)
        audit_record(action=f"summaries.summary.{action}", actor=actor, obj=summary, changes=changes)
        url = _summary_url(summary)
        names = {"unit": summary.unit.name}
        if action == "submit":
            title = (_("Late summary received from %(unit)s") if summary.is_late
                     else _("Summary received from %(unit)s")) % names
            notify(recipients=_office_staff(summary.office), title=title, url=url, kind="summaries.submitted")
        elif action == "withdraw":
            notify(recipients=_office_staff(summary.office), title=_("%(unit)s withdrew its summary") % names,
                   url=url, kind="summaries.withdrawn")
        elif action == "accept":
            notify(recipients=_coordinators(summary.unit), title=_("Your unit's summary was accepted"), url=url,
                   kind="summaries.accepted")
        else:
            notify(recipients=_coordinators(summary.unit), title=_("Your unit's summary was returned for revision"),
                   body=reason, url=url, kind="summaries.returned")
    return summary


def extension_grant(*, actor, campaign: Campaign, unit: Unit, until: datetime.date, reason: str) -> Extension:
    """Give one unit a later summary deadline (its receiving office or an administrator)."""
    office = campaign.office_for(unit.unit_type)
    require(actor, "summaries.office", office)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the extension.")]})
    if until <= campaign.summary_deadline:
        raise ValidationError({"until": [_("An extension must end after the campaign's deadline (%(day)s).")
                                         % {"day": f"{campaign.summary_deadline:%Y-%m-%d}"}]})
    with transaction.atomic():
        extension, created = Extension.objects.select_for_update().update_or_create(
            campaign=campaign, unit=unit, defaults={"until": until, "reason": reason, "granted_by": actor})
        audit_record(action="summaries.extension.granted", actor=actor, obj=extension,
                     changes={"unit": unit.pk, "until": until, "reason": reason, "renewed": not created})
        notify(recipients=_coordinators(unit),
               title=_("Your summary deadline was extended to %(day)s") % {"day": f"{until:%Y-%m-%d}"},
               body=reason, url=reverse("summaries:edit", args=[campaign.slug, unit.pk]),
               kind="summaries.extended")
    return extension


def highlight_star(*, actor, highlight: Highlight, starred: bool) -> Highlight:
    """Star (or unstar) a highlight worth using in the city's report (the receiving office)."""
    require(actor, "summary.review", highlight.summary)
    if highlight.summary.state == SummaryState.DRAFT:
        raise ValidationError(_("Only submitted summaries' highlights can be starred."))
    with transaction.atomic():
        Highlight.objects.filter(pk=highlight.pk).update(is_starred=starred)
        highlight.is_starred = starred
        audit_record(action="summaries.highlight.starred" if starred else "summaries.highlight.unstarred",
                     actor=actor, obj=highlight.summary, changes={"highlight": highlight.pk})
    return highlight


# --- reminders -----------------------------------------------------------------------------------

REMINDER_OFFSETS = {Reminder.DAYS_7: 7, Reminder.DAYS_3: 3, Reminder.DAYS_1: 1, Reminder.OVERDUE: -1}


def _reminder_text(reminder: str, day: datetime.date) -> str:
    if reminder == Reminder.OVERDUE:
        return _("Your unit's summary was due on %(day)s and has not been submitted yet.") % {
            "day": f"{day:%Y-%m-%d}"}
    return _("Your unit's summary is due on %(day)s (in %(n)d days).") % {
        "day": f"{day:%Y-%m-%d}", "n": REMINDER_OFFSETS[reminder]}


def reminders_send(*, campaign: Campaign | None = None) -> int:
    """Send today's summary reminders (7, 3, 1 days before a unit's deadline; the day after if missing).

    Each goes at most once per unit and reminder however often the job runs: ReminderSent's unique
    constraint decides, inside the same transaction as the notification. Returns how many went out.
    """
    from campaigns.selectors import current_campaign

    campaign = campaign or current_campaign(published_only=True)
    if campaign is None:
        return 0
    today = clock.today()
    done = set(Summary.objects.filter(campaign=campaign, state__in=[SummaryState.SUBMITTED, SummaryState.ACCEPTED])
               .values_list("unit_id", flat=True))
    extensions = dict(Extension.objects.filter(campaign=campaign).values_list("unit_id", "until"))
    routed_types = set(campaign.routing_rules.values_list("unit_type", flat=True))
    sent = 0
    for unit in Unit.objects.filter(is_active=True, unit_type__in=routed_types).order_by("pk"):
        if unit.pk in done:
            continue
        deadline = extensions.get(unit.pk, campaign.summary_deadline)
        reminder = next((r for r, days in REMINDER_OFFSETS.items()
                         if deadline - datetime.timedelta(days=days) == today), None)
        if reminder is None:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(campaign=campaign, unit=unit, reminder=reminder)
                notify(recipients=_coordinators(unit), title=_("Summary reminder"),
                       body=_reminder_text(reminder, deadline),
                       url=reverse("summaries:edit", args=[campaign.slug, unit.pk]), kind="summaries.reminder")
        except IntegrityError:  # already sent by an earlier run
            continue
        sent += 1
    if sent:
        audit_record(action="summaries.reminders.sent", actor_name="send_summary_reminders",
                     changes={"campaign": campaign.slug, "sent": sent, "day": today})
    return sent

