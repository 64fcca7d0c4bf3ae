"""Every change an organiser makes to a campaign's configuration: facts, categories and their
activity forms, routing of summaries, contacts, publication, and the copy for next year.

Each service validates first and raises ``ValidationError`` with a message for the user, so a
refused change saves nothing; then it writes in one transaction and leaves one audit entry.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit_record, diff_fields, snapshot
from core import versioned_cache
from organisations.models import Office, UnitType

from .models import ActivityForm, Campaign, CampaignContact, Category, RoutingRule

# The campaign facts an organiser edits (the rest are bookkeeping).
CAMPAIGN_FIELDS = [
    "slug", "year", "title", "title_en", "document_number", "issuers", "issuers_en", "issue_date",
    "theme", "theme_en", "edition", "key_day", "window_start", "window_end", "summary_deadline",
    "late_policy", "introduction", "introduction_en", "lead_office",
]
CATEGORY_FIELDS = ["name", "name_en", "description", "description_en"]
CONTACT_FIELDS = ["office", "person", "phone", "email", "order"]


def campaign_dates_errors(
    *, year, key_day, window_start, window_end, summary_deadline, issue_date=None
) -> dict[str, list[str]]:
    """The date rules of a campaign, as ``{field: [message]}``; empty when the dates are consistent.

    The summary deadline must fall on or after the key day and on or before the window's end:
    a summary reports on what was done around the key day (so a deadline before it would ask for
    a report on activities not yet held), and the organisers write the city's report from the
    summaries before the campaign closes (DOMAIN.md: "the key day and the deadline inside it";
    2022: key day 30 May, deadline 15 June, window ends 20 June).
    """
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if window_start and window_end and window_start > window_end:
        add("window_end", _("The window must end on or after the day it starts."))
    if key_day and window_start and window_end and not (window_start <= key_day <= window_end):
        add("key_day", _("The key day must fall inside the campaign window."))
    if summary_deadline and key_day and summary_deadline < key_day:
        add("summary_deadline", _("The summary deadline cannot be before the key day."))
    if summary_deadline and window_end and summary_deadline > window_end:
        add("summary_deadline", _("The summary deadline must be on or before the end of the window."))
    if summary_deadline and window_start and summary_deadline < window_start:
        add("summary_deadline", _("The summary deadline must fall inside the campaign window."))
    if year is not None and not (2000 <= year <= 2100):
        add("year", _("Enter a year between 2000 and 2100."))
    elif year is not None and key_day and key_day.year != year:
        add("year", _("The year must be the year of the key day (%(year)s).") % {"year": key_day.year})
    if issue_date and key_day and issue_date > key_day:
        add("issue_date", _("The notice must be issued before the key day."))
    return errors


def _check_slug_free(slug: str, *, exclude_pk=None, field: str = "slug") -> None:
    qs = Campaign.objects.filter(slug=slug)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError(
            {field: _("A campaign with the short name “%(slug)s” already exists; choose another.") % {"slug": slug}}
        )


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


# --- campaign facts ------------------------------------------------------------------------------

@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **values) -> Campaign:
    """Change a campaign's facts (``values`` are fields of CAMPAIGN_FIELDS); audits the changed fields."""
    require(actor, "campaigns.manage", campaign)
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    campaign = _locked(campaign)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for field, value in values.items():
        setattr(campaign, field, value)
    errors = campaign_dates_errors(
        year=campaign.year, key_day=campaign.key_day, window_start=campaign.window_start,
        window_end=campaign.window_end, summary_deadline=campaign.summary_deadline, issue_date=campaign.issue_date,
    )
    if errors:
        raise ValidationError(errors)
    _check_slug_free(campaign.slug, exclude_pk=campaign.pk)
    changes = diff_fields(campaign, before, CAMPAIGN_FIELDS)
    if not changes:
        return campaign
    campaign.save(update_fields=[*changes, "updated_at"])
    versioned_cache.bump(versioned_cache.CAMPAIGNS)  # the public pages show the change at once
    audit_record(action="campaigns.campaign.updated", actor=actor, obj=campaign, changes=changes)
    return campaign


@transaction.atomic
def campaign_set_published(*, actor, campaign: Campaign, published: bool) -> Campaign:
    """Publish (show on the public site and to units) or unpublish a campaign."""
    require(actor, "campaigns.manage", campaign)
    campaign = _locked(campaign)
    if campaign.is_published == published:
        return campaign
    if published:
        _check_complete(campaign)
    campaign.is_published = published
    campaign.save(update_fields=["is_published", "updated_at"])
    versioned_cache.bump(versioned_cache.CAMPAIGNS)
    audit_record(
        action="campaigns.campaign.published" if published else "campaigns.campaign.unpublished",
        actor=actor, obj=campaign, changes={"is_published": [not published, published]},
    )
    return campaign


def _check_complete(campaign: Campaign) -> None:
    """A campaign goes public only when every unit type knows where its summary goes."""
    routed = set(campaign.routing_rules.values_list("unit_type", flat=True))
    missing = [label for value, label in UnitType.choices if value not in routed]
    if missing:
        raise ValidationError(
            _("Before publishing, choose the receiving office for: %(types)s.") % {"types": "、".join(map(str, missing))}
        )


# --- copy as next year's campaign ------------------------------------------------------------------

def next_year_date(value: datetime.date | None) -> datetime.date | None:
    """The same day a year later; 29 February becomes 28 February in a year without it."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


def suggested_next_slug(campaign: Campaign) -> str:
    """``qingdao-2022`` → ``qingdao-2023``; a slug without the year gets ``-<year+1>`` appended."""
    year, new_year = str(campaign.year), str(campaign.year + 1)
    if year in campaign.slug:
        return campaign.slug.replace(year, new_year)
    return f"{campaign.slug}-{new_year}"[:50]


def _bump_year(text: str, year: int) -> str:
    return re.sub(rf"(?<!\d){year}(?!\d)", str(year + 1), text)


@transaction.atomic
def campaign_copy_next_year(*, actor, campaign: Campaign, new_slug: str) -> Campaign:
    """Start next year's campaign from this one: an unpublished copy a year later.

    Every date moves one year (29 February → 28 February); categories with their activity
    forms, routing rules and contacts are copied. The year in the titles moves too; the document
    number is left empty because next year's notice will have its own. Refused if ``new_slug`` is
    taken, so running it twice does not make two copies.
    """
    require(actor, "campaigns.manage", campaign)
    new_slug = (new_slug or "").strip()
    if not new_slug:
        raise ValidationError({"new_slug": _("Enter a short name for the new campaign.")})
    _check_slug_free(new_slug, field="new_slug")
    source = Campaign.objects.prefetch_related("categories__forms", "routing_rules", "contacts").get(pk=campaign.pk)
    year = source.year
    try:
        with transaction.atomic():
            copy = Campaign.objects.create(
                slug=new_slug,
                year=year + 1,
                title=_bump_year(source.title, year),
                title_en=_bump_year(source.title_en, year),
                document_number="",
                issuers=source.issuers,
                issuers_en=source.issuers_en,
                issue_date=next_year_date(source.issue_date),
                theme=source.theme,
                theme_en=source.theme_en,
                edition=source.edition + 1 if source.edition else None,
                key_day=next_year_date(source.key_day),
                window_start=next_year_date(source.window_start),
                window_end=next_year_date(source.window_end),
                summary_deadline=next_year_date(source.summary_deadline),
                late_policy=source.late_policy,
                introduction=source.introduction,
                introduction_en=source.introduction_en,
                is_published=False,
            )
    except IntegrityError:  # another organiser took the slug a moment ago
        raise ValidationError(
            {"new_slug": _("A campaign with the short name “%(slug)s” already exists; choose another.")
             % {"slug": new_slug}}
        )
    forms = []
    for category in source.categories.all():
        new_category = Category.objects.create(
            campaign=copy, number=category.number, code=category.code, name=category.name,
            name_en=category.name_en, description=category.description, description_en=category.description_en,
        )
        forms += [ActivityForm(category=new_category, name=f.name, name_en=f.name_en, order=f.order)
                  for f in category.forms.all()]
    ActivityForm.objects.bulk_create(forms)
    RoutingRule.objects.bulk_create(
        RoutingRule(campaign=copy, unit_type=r.unit_type, office_id=r.office_id) for r in source.routing_rules.all()
    )
    CampaignContact.objects.bulk_create(
        CampaignContact(campaign=copy, office_id=c.office_id, person=c.person, phone=c.phone, email=c.email,
                        order=c.order)
        for c in source.contacts.all()
    )
    versioned_cache.bump(versioned_cache.CAMPAIGNS)  # it may become the current campaign of the management pages
    audit_record(action="campaigns.campaign.copied", actor=actor, obj=copy,
                 changes={"source": source.slug, "slug": copy.slug, "year": copy.year})
    return copy


# --- categories and their activity forms ---------------------------------------------------------

@dataclass
class FormRow:
    """One activity form as the category page submits it: ``pk`` None for a new one."""

    name: str
    name_en: str = ""
    order: int = 0
    pk: int | None = None
    delete: bool = False


@transaction.atomic
def category_update(*, actor, category: Category, name: str, name_en: str = "", description: str = "",
                    description_en: str = "", forms: list[FormRow]) -> Category:
    """Rename or describe a category and set its activity forms: add, rename, remove, reorder.

    The forms are numbered 1..n in the order given (ties keep their position). A category keeps
    at least one form, and names are unique within it.
    """
    require(actor, "campaigns.manage", category.campaign)
    category = Category.objects.select_for_update().get(pk=category.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the category's name.")})
    existing = {f.pk: f for f in category.forms.all()}
    keep = [row for row in forms if not row.delete and (row.name or "").strip()]
    for row in forms:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError(_("An activity form does not belong to this category; reload the page."))
    if not keep:
        raise ValidationError(_("A category needs at least one activity form."))
    names = [row.name.strip() for row in keep]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValidationError(_("Activity form names must be unique: %(names)s.") % {"names": "、".join(duplicates)})

    before = snapshot(category, CATEGORY_FIELDS)
    category.name, category.name_en = name, (name_en or "").strip()
    category.description, category.description_en = description or "", description_en or ""
    changes = diff_fields(category, before, CATEGORY_FIELDS)
    if changes:
        category.save(update_fields=list(changes))

    kept_pks = {row.pk for row in keep if row.pk is not None}
    removed = [f for pk, f in existing.items() if pk not in kept_pks]
    try:
        for form in removed:
            form.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            _("The activity form “%(name)s” is used by reported activities and cannot be removed; rename it instead.")
            % {"name": form.name}
        )
    # Free the names first: renaming A→B and B→A in one go must not trip the unique constraint.
    ordered = sorted(enumerate(keep), key=lambda pair: (pair[1].order, pair[0]))
    original = {pk: (f.name, f.name_en, f.order) for pk, f in existing.items()}
    kept_objs = [existing[row.pk] for _i, row in ordered if row.pk is not None]
    for obj in kept_objs:
        obj.name = f"~{obj.pk}~"
    ActivityForm.objects.bulk_update(kept_objs, ["name"])
    added, renamed, reordered, to_create = [], [], False, []
    for position, (_i, row) in enumerate(ordered, start=1):
        new_name, new_en = row.name.strip(), (row.name_en or "").strip()
        if row.pk is None:
            to_create.append(ActivityForm(category=category, name=new_name, name_en=new_en, order=position))
            added.append(new_name)
            continue
        obj = existing[row.pk]
        old_name, old_en, old_order = original[row.pk]
        if (old_name, old_en) != (new_name, new_en):
            renamed.append([old_name, new_name])
        reordered = reordered or old_order != position
        obj.name, obj.name_en, obj.order = new_name, new_en, position
    ActivityForm.objects.bulk_update(kept_objs, ["name", "name_en", "order"])
    ActivityForm.objects.bulk_create(to_create)
    versioned_cache.bump(versioned_cache.CAMPAIGNS)
    return _audit_category(actor, category, changes, added, renamed, removed, reordered)


def _audit_category(actor, category, changes, added, renamed, removed, reordered):
    forms_changes = {}
    if added:
        forms_changes["forms_added"] = added
    if removed:
        forms_changes["forms_removed"] = [f.name for f in removed]
    if renamed:
        forms_changes["forms_renamed"] = renamed
    if reordered:
        forms_changes["forms_reordered"] = True
    if changes or forms_changes:
        audit_record(action="campaigns.category.updated", actor=actor, obj=category,
                     changes={**changes, **forms_changes})
    return category


# --- routing of summaries --------------------------------------------------------------------------

@transaction.atomic
def routing_rules_set(*, actor, campaign: Campaign, offices: dict[str, Office]) -> Campaign:
    """Say which office receives the summaries of each unit type; all six must be routed."""
    require(actor, "campaigns.manage", campaign)
    campaign = _locked(campaign)
    missing = [label for value, label in UnitType.choices if not offices.get(value)]
    if missing:
        raise ValidationError(
            _("Choose a receiving office for every unit type; missing: %(types)s.") % {"types": "、".join(map(str, missing))}
        )
    unknown = set(offices) - set(UnitType.values)
    if unknown:
        raise ValueError(f"Unknown unit types: {sorted(unknown)}")
    current = {r.unit_type: r for r in campaign.routing_rules.all()}
    changes = {}
    for unit_type in UnitType.values:
        office = offices[unit_type]
        rule = current.get(unit_type)
        if rule is None:
            RoutingRule.objects.create(campaign=campaign, unit_type=unit_type, office=office)
            changes[unit_type] = [None, office.code]
        elif rule.office_id != office.pk:
            changes[unit_type] = [rule.office.code, office.code]
            rule.office = office
            rule.save(update_fields=["office"])
    if changes:
        versioned_cache.bump(versioned_cache.CAMPAIGNS)
        audit_record(action="campaigns.routing.updated", actor=actor, obj=campaign, changes=changes)
    return campaign


# --- contacts ------------------------------------------------------------------------------------

def _contact_values(values: dict) -> dict:
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    errors = {}
    if not cleaned.get("person"):
        errors["person"] = [_("Enter the contact person's name.")]
    if not cleaned.get("phone"):
        errors["phone"] = [_("Enter a phone number.")]
    if not cleaned.get("office"):
        errors["office"] = [_("Choose the office.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def contact_create(*, actor, campaign: Campaign, **values) -> CampaignContact:
    """Add a contact person to a campaign (联系方式)."""
    require(actor, "campaigns.manage", campaign)
    values = _contact_values(values)
    if values.get("order") is None:
        values["order"] = (max((c.order for c in campaign.contacts.all()), default=0)) + 1
    contact = CampaignContact.objects.create(campaign=campaign, **values)
    versioned_cache.bump(versioned_cache.CAMPAIGNS)
    audit_record(action="campaigns.contact.created", actor=actor, obj=contact,
                 changes={"campaign": campaign.slug, **snapshot(contact, CONTACT_FIELDS)})
    return contact


@transaction.atomic
def contact_update(*, actor, contact: CampaignContact, **values) -> CampaignContact:
    """Change a campaign contact; audits the changed fields."""
    require(actor, "campaigns.manage", contact.campaign)
    contact = CampaignContact.objects.select_for_update().get(pk=contact.pk)
    values = _contact_values({**snapshot(contact, CONTACT_FIELDS), **values,
                              "office": values.get("office", contact.office)})
    before = snapshot(contact, CONTACT_FIELDS)
    for field, value in values.items():
        setattr(contact, field, value)
    changes = diff_fields(contact, before, CONTACT_FIELDS)
    if changes:
        contact.save(update_fields=list(changes))
        versioned_cache.bump(versioned_cache.CAMPAIGNS)
        audit_record(action="campaigns.contact.updated", actor=actor, obj=contact, changes=changes)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: CampaignContact) -> None:
    """Remove a contact person from a campaign."""
    require(actor, "campaigns.manage", contact.campaign)
    audit_record(action="campaigns.contact.deleted", actor=actor, obj=contact,
                 changes={"campaign": contact.campaign.slug, **snapshot(contact, CONTACT_FIELDS)})
    contact.delete()
    versioned_cache.bump(versioned_cache.CAMPAIGNS)
