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
from organisations.models import Office, UnitType, level_unit_type_choices, level_unit_types

from .models import ActivityForm, Campaign, CampaignContact, Category, RoutingRule

# The campaign facts an organiser edits (the rest are bookkeeping).
CAMPAIGN_FIELDS = [
    "slug", "year", "title", "title_en", "document_number", "issuers", "issuers_en", "issue_date",
    "theme", "theme_en", "edition", "key_day", "window_start", "window_end", "summary_deadline",
    "service_opens_on", "survey_opens_on", "late_policy", "introduction", "introduction_en", "lead_office",
]
CATEGORY_FIELDS = ["name", "name_en", "description", "description_en"]
CONTACT_FIELDS = ["office", "person", "phone", "email", "order"]


def campaign_dates_errors(
    *, year, key_day, window_start, window_end, summary_deadline, issue_date=None, service_opens_on=None,
    survey_opens_on=None,
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
    for field, opens in (("service_opens_on", service_opens_on), ("survey_opens_on", survey_opens_on)):
        if opens and window_end and opens > window_end:
            add(field, _("It must open on or before the end of the window."))
        elif opens and year is not None and opens.year != year:
            add(field, _("It must open in the campaign's year (%(year)s).") % {"year": year})
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
        service_opens_on=campaign.service_opens_on, survey_opens_on=campaign.survey_opens_on,
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
    missing = [label for value, label in level_unit_type_choices() if value not in routed]
    if missing:
        raise ValidationError(
            _("Before publishing, choose the receiving office for: %(types)s.") % {"types": "、".join(map(str, missing))}
        )


# --- copy as next year's campaign ------------------------------------------------------------------

# The campaign fields other apps add (e.g. the volunteer service and survey openings): copied, dates moved.
EXTRA_DATE_FIELDS = ("service_opens_on", "survey_opens_on")
EXTRA_CATEGORY_FIELDS = ("follows_service_window",)


def shift_date(value: datetime.date | None, years: int) -> datetime.date | None:
    """The same day ``years`` later; 29 February becomes 28 February in a year without it."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def next_year_date(value: datetime.date | None) -> datetime.date | None:
    """The same day a year later; 29 February becomes 28 February in a year without it."""
    return shift_date(value, 1)


def suggested_slug(campaign: Campaign, year: int) -> str:
    """``qingdao-2022`` → ``qingdao-2027``; a slug without the year gets ``-<year>`` appended."""
    old = str(campaign.year)
    if old in campaign.slug:
        return campaign.slug.replace(old, str(year))
    return f"{campaign.slug}-{year}"[:50]


def suggested_next_slug(campaign: Campaign) -> str:
    """``qingdao-2022`` → ``qingdao-2023``; a slug without the year gets ``-<year+1>`` appended."""
    return suggested_slug(campaign, campaign.year + 1)


def _bump_year(text: str, year: int, new_year: int | None = None, edition: tuple[int, int] | None = None) -> str:
    """The year (and, given ``edition`` as (old, new), the count of the Day: 第6个 → 第11个) moved in a text."""
    text = re.sub(rf"(?<!\d){year}(?!\d)", str(new_year if new_year is not None else year + 1), text)
    if edition and edition[0]:
        text = re.sub(rf"第\s*{edition[0]}\s*个", f"第{edition[1]}个", text)
        text = re.sub(rf"(?<!\d){edition[0]}(st|nd|rd|th)\b", _ordinal(edition[1]), text)
    return text


def _ordinal(n: int) -> str:
    """11 → 11th, 21 → 21st (the English count of the Day)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def campaign_copy_parts() -> tuple:
    """The other apps' copiers (``<app>/campaign_parts.py``: ``copy_to(actor=, source=, target=, years=)``),
    in INSTALLED_APPS order: exhibitions, the questionnaire, the award selection…"""
    from core.registry import app_hooks

    return app_hooks("campaign_parts", "copy_to")


@transaction.atomic
def campaign_copy(*, actor, campaign: Campaign, year: int | None = None, new_slug: str = "",
                  operator: str = "") -> Campaign:
    """Start a later year's campaign from this one, unpublished, in one step.

    Every date moves by the number of years (29 February → 28 February), so the key day stays on its
    day of the year (30 May) whatever weekday it falls on; the count of the Day grows by as many years
    (2022 is the 6th, 2027 the 11th). Categories with their activity forms, routing rules and contacts
    are copied here; the other apps copy their parts of the campaign (the exhibitions, the
    questionnaire as a new version bound to the new campaign, the award selection's settings and
    rubric) through ``campaign_parts``. The year in the titles moves too; the document number is left
    empty because the new notice will have its own. Refused if the slug or the year is taken, so
    running it twice does not make two copies. ``operator`` (with no ``actor``) names who ran it from
    the command line (``manage.py campaign_copy``), which needs no login.
    """
    if not (actor is None and operator):
        require(actor, "campaigns.manage", campaign)
    year = campaign.year + 1 if year is None else int(year)
    if year <= campaign.year or year > 2100:
        raise ValidationError({"year": _("Choose a year after %(year)s.") % {"year": campaign.year}})
    new_slug = (new_slug or "").strip() or suggested_slug(campaign, year)
    _check_slug_free(new_slug, field="new_slug")
    source = Campaign.objects.prefetch_related("categories__forms", "routing_rules", "contacts").get(pk=campaign.pk)
    years = year - source.year
    editions = (source.edition, source.edition + years) if source.edition else None
    extra = {name: shift_date(getattr(source, name), years) for name in EXTRA_DATE_FIELDS
             if hasattr(source, name)}
    try:
        with transaction.atomic():
            copy = Campaign.objects.create(
                slug=new_slug,
                year=year,
                title=_bump_year(source.title, source.year, year),
                title_en=_bump_year(source.title_en, source.year, year),
                document_number="",
                issuers=source.issuers,
                issuers_en=source.issuers_en,
                issue_date=shift_date(source.issue_date, years),
                theme=source.theme,
                theme_en=source.theme_en,
                edition=source.edition + years if source.edition else None,
                key_day=shift_date(source.key_day, years),
                window_start=shift_date(source.window_start, years),
                window_end=shift_date(source.window_end, years),
                summary_deadline=shift_date(source.summary_deadline, years),
                late_policy=source.late_policy,
                introduction=_bump_year(source.introduction, source.year, year, editions),
                introduction_en=_bump_year(source.introduction_en, source.year, year, editions),
                is_published=False,
                **extra,
            )
    except IntegrityError:  # another organiser took the slug a moment ago
        raise ValidationError(
            {"new_slug": _("A campaign with the short name “%(slug)s” already exists; choose another.")
             % {"slug": new_slug}}
        )
    forms = []
    for category in source.categories.all():
        new_category = Category.objects.create(
            campaign=copy, number=category.number, code=category.code,
            name=_bump_year(category.name, source.year, year), name_en=_bump_year(category.name_en, source.year, year),
            description=_bump_year(category.description, source.year, year, editions),
            description_en=_bump_year(category.description_en, source.year, year, editions),
            **{name: getattr(category, name) for name in EXTRA_CATEGORY_FIELDS if hasattr(category, name)},
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
    for copy_to in campaign_copy_parts():
        copy_to(actor=actor, source=source, target=copy, years=years)
    versioned_cache.bump(versioned_cache.CAMPAIGNS)  # it may become the current campaign of the management pages
    audit_record(action="campaigns.campaign.copied", actor=actor, obj=copy, actor_name=operator,
                 changes={"source": source.slug, "slug": copy.slug, "year": copy.year})
    return copy


def campaign_copy_next_year(*, actor, campaign: Campaign, new_slug: str) -> Campaign:
    """Start next year's campaign from this one (see ``campaign_copy``)."""
    new_slug = (new_slug or "").strip()
    if not new_slug:
        raise ValidationError({"new_slug": _("Enter a short name for the new campaign.")})
    return campaign_copy(actor=actor, campaign=campaign, year=campaign.year + 1, new_slug=new_slug)


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
    missing = [label for value, label in level_unit_type_choices() if not offices.get(value)]
    if missing:
        raise ValidationError(
            _("Choose a receiving office for every unit type; missing: %(types)s.") % {"types": "、".join(map(str, missing))}
        )
    unknown = set(offices) - set(UnitType.values)
    if unknown:
        raise ValueError(f"Unknown unit types: {sorted(unknown)}")
    current = {r.unit_type: r for r in campaign.routing_rules.all()}
    changes = {}
    for unit_type in level_unit_types():
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
