"""Campaign configuration services: copy for next year, facts, categories, routing, contacts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from campaigns import services
from campaigns.models import ActivityForm, Campaign, CampaignContact, Category, RoutingRule
from campaigns.services import FormRow

pytestmark = pytest.mark.django_db


def _counts(campaign):
    return {
        "categories": Category.objects.filter(campaign=campaign).count(),
        "forms": ActivityForm.objects.filter(category__campaign=campaign).count(),
        "routing": RoutingRule.objects.filter(campaign=campaign).count(),
        "contacts": CampaignContact.objects.filter(campaign=campaign).count(),
    }


# --- copy as next year's campaign ----------------------------------------------------------------

def test_copy_next_year_copies_everything_and_moves_dates(qingdao, organiser):
    copy = services.campaign_copy_next_year(actor=organiser, campaign=qingdao, new_slug="qingdao-2023")

    assert copy.year == 2023
    assert copy.is_published is False
    assert copy.key_day == datetime.date(2023, 5, 30)
    assert copy.window_start == datetime.date(2023, 5, 11)
    assert copy.window_end == datetime.date(2023, 6, 20)
    assert copy.summary_deadline == datetime.date(2023, 6, 15)
    assert copy.issue_date == datetime.date(2023, 5, 10)
    assert copy.edition == 7
    assert "2023" in copy.title and "2022" not in copy.title
    assert copy.theme == qingdao.theme
    assert copy.document_number == ""
    assert _counts(copy) == _counts(qingdao) == {"categories": 6, "forms": _counts(qingdao)["forms"],
                                                  "routing": 6, "contacts": 2}
    assert _counts(qingdao)["forms"] > 6
    assert copy.office_for("district_bureau").code == "qstb-talent"
    original_forms = list(ActivityForm.objects.filter(category__campaign=qingdao)
                          .order_by("category__number", "order").values_list("name", "order"))
    copied_forms = list(ActivityForm.objects.filter(category__campaign=copy)
                        .order_by("category__number", "order").values_list("name", "order"))
    assert copied_forms == original_forms
    entry = AuditEntry.objects.get(action="campaigns.campaign.copied")
    assert entry.object_id == str(copy.pk) and entry.changes["source"] == "qingdao-2022"


def test_copy_leaves_the_source_untouched(qingdao, organiser):
    before = _counts(qingdao)
    services.campaign_copy_next_year(actor=organiser, campaign=qingdao, new_slug="qingdao-2023")
    qingdao.refresh_from_db()
    assert qingdao.year == 2022 and qingdao.is_published and _counts(qingdao) == before


def test_copy_moves_29_february_to_28_february(organiser):
    from campaigns.tests.factories import CampaignFactory

    leap = CampaignFactory(slug="leap-2024", year=2024, key_day=datetime.date(2024, 3, 1),
                           window_start=datetime.date(2024, 2, 29), window_end=datetime.date(2024, 3, 31),
                           summary_deadline=datetime.date(2024, 3, 20), issue_date=datetime.date(2024, 2, 29))
    copy = services.campaign_copy_next_year(actor=organiser, campaign=leap, new_slug="leap-2025")
    assert copy.window_start == datetime.date(2025, 2, 28)
    assert copy.issue_date == datetime.date(2025, 2, 28)
    assert copy.key_day == datetime.date(2025, 3, 1)


def test_next_year_date():
    assert services.next_year_date(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    assert services.next_year_date(datetime.date(2023, 2, 28)) == datetime.date(2024, 2, 28)
    assert services.next_year_date(None) is None


def test_copy_twice_is_refused_and_changes_nothing(qingdao, organiser):
    services.campaign_copy_next_year(actor=organiser, campaign=qingdao, new_slug="qingdao-2023")
    campaigns, entries = Campaign.objects.count(), AuditEntry.objects.count()

    with pytest.raises(ValidationError) as exc:
        services.campaign_copy_next_year(actor=organiser, campaign=qingdao, new_slug="qingdao-2023")

    assert "qingdao-2023" in str(exc.value)
    assert Campaign.objects.count() == campaigns
    assert AuditEntry.objects.count() == entries


def test_copy_onto_the_source_slug_is_refused(qingdao, organiser):
    with pytest.raises(ValidationError):
        services.campaign_copy_next_year(actor=organiser, campaign=qingdao, new_slug="qingdao-2022")
    assert Campaign.objects.count() == 1


def test_coordinator_cannot_copy(qingdao, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.campaign_copy_next_year(actor=coordinator_a, campaign=qingdao, new_slug="qingdao-2023")
    assert Campaign.objects.count() == 1


def test_suggested_slug(qingdao):
    assert services.suggested_next_slug(qingdao) == "qingdao-2023"


# --- facts -----------------------------------------------------------------------------------------

def test_update_audits_changed_fields(qingdao, organiser):
    services.campaign_update(actor=organiser, campaign=qingdao, theme="新主题",
                             summary_deadline=datetime.date(2022, 6, 16))
    qingdao.refresh_from_db()
    assert qingdao.theme == "新主题"
    entry = AuditEntry.objects.get(action="campaigns.campaign.updated")
    assert entry.changes == {"theme": ["创新争先、自立自强", "新主题"], "summary_deadline": ["2022-06-15", "2022-06-16"]}


def test_update_without_change_writes_no_audit(qingdao, organiser):
    services.campaign_update(actor=organiser, campaign=qingdao, theme=qingdao.theme)
    assert not AuditEntry.objects.filter(action="campaigns.campaign.updated").exists()


@pytest.mark.parametrize("values, field", [
    ({"key_day": datetime.date(2022, 7, 1)}, "key_day"),
    ({"window_end": datetime.date(2022, 5, 1)}, "window_end"),
    ({"summary_deadline": datetime.date(2022, 5, 20)}, "summary_deadline"),
    ({"summary_deadline": datetime.date(2022, 6, 30)}, "summary_deadline"),
    ({"year": 2023}, "year"),
    ({"slug": "taken"}, "slug"),
])
def test_update_refuses_inconsistent_facts(qingdao, organiser, values, field):
    from campaigns.tests.factories import CampaignFactory

    CampaignFactory(slug="taken")
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(actor=organiser, campaign=qingdao, **values)
    assert field in exc.value.error_dict
    qingdao.refresh_from_db()
    assert qingdao.key_day == datetime.date(2022, 5, 30) and qingdao.slug == "qingdao-2022"
    assert qingdao.summary_deadline == datetime.date(2022, 6, 15) and qingdao.year == 2022
    assert not AuditEntry.objects.filter(action="campaigns.campaign.updated").exists()


def test_coordinator_cannot_update(qingdao, coordinator_a):
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=coordinator_a, campaign=qingdao, theme="x")
    qingdao.refresh_from_db()
    assert qingdao.theme == "创新争先、自立自强"


# --- publication -----------------------------------------------------------------------------------

def test_unpublish_and_publish_are_audited(qingdao, organiser):
    services.campaign_set_published(actor=organiser, campaign=qingdao, published=False)
    qingdao.refresh_from_db()
    assert not qingdao.is_published
    services.campaign_set_published(actor=organiser, campaign=qingdao, published=True)
    qingdao.refresh_from_db()
    assert qingdao.is_published
    assert list(AuditEntry.objects.filter(action__startswith="campaigns.campaign.")
                .order_by("id").values_list("action", flat=True)) == [
        "campaigns.campaign.seeded", "campaigns.campaign.unpublished", "campaigns.campaign.published"]


def test_publish_needs_complete_routing(organiser):
    from campaigns.tests.factories import CampaignFactory

    campaign = CampaignFactory(is_published=False)
    with pytest.raises(ValidationError):
        services.campaign_set_published(actor=organiser, campaign=campaign, published=True)
    campaign.refresh_from_db()
    assert not campaign.is_published


# --- categories ------------------------------------------------------------------------------------

def _rows(category):
    return [FormRow(pk=f.pk, name=f.name, name_en=f.name_en, order=f.order)
            for f in category.forms.order_by("order", "id")]


def test_category_forms_add_remove_rename_reorder(qingdao, organiser):
    category = qingdao.categories.get(number=1)
    rows = _rows(category)
    first, second = rows[0], rows[1]
    rows[0] = FormRow(pk=first.pk, name=first.name, order=2)
    rows[1] = FormRow(pk=second.pk, name="座谈交流会", order=1)
    rows[2].delete = True
    rows.append(FormRow(name="线上直播", name_en="Live stream", order=99))

    services.category_update(actor=organiser, category=category, name=category.name, forms=rows)

    names = list(category.forms.order_by("order").values_list("name", flat=True))
    assert names[:2] == ["座谈交流会", first.name]
    assert names[-1] == "线上直播"
    assert rows[2].name not in names
    assert list(category.forms.order_by("order").values_list("order", flat=True)) == list(range(1, len(names) + 1))
    entry = AuditEntry.objects.get(action="campaigns.category.updated")
    assert entry.changes["forms_added"] == ["线上直播"]
    assert entry.changes["forms_removed"] == [rows[2].name]
    assert entry.changes["forms_reordered"] is True


def test_category_forms_can_swap_names(qingdao, organiser):
    category = qingdao.categories.get(number=1)
    rows = _rows(category)
    rows[0].name, rows[1].name = rows[1].name, rows[0].name
    services.category_update(actor=organiser, category=category, name=category.name, forms=rows)
    assert list(category.forms.order_by("order").values_list("name", flat=True))[:2] == [rows[0].name, rows[1].name]


@pytest.mark.parametrize("mutate", ["duplicate", "empty", "no_name"])
def test_category_refuses_bad_input_and_saves_nothing(qingdao, organiser, mutate):
    category = qingdao.categories.get(number=1)
    rows = _rows(category)
    before = list(category.forms.values_list("pk", "name", "order"))
    name = category.name
    if mutate == "duplicate":
        rows.append(FormRow(name=rows[0].name, order=50))
    elif mutate == "empty":
        for row in rows:
            row.delete = True
    else:
        name = "  "
    with pytest.raises(ValidationError):
        services.category_update(actor=organiser, category=category, name=name, forms=rows)
    assert list(category.forms.values_list("pk", "name", "order")) == before
    assert not AuditEntry.objects.filter(action="campaigns.category.updated").exists()


# --- routing and contacts -------------------------------------------------------------------------

def test_routing_must_cover_every_unit_type(qingdao, organiser, offices):
    rules = {r.unit_type: r.office for r in qingdao.routing_rules.all()}
    rules.pop("institute")
    with pytest.raises(ValidationError):
        services.routing_rules_set(actor=organiser, campaign=qingdao, offices=rules)
    assert qingdao.routing_rules.count() == 6


def test_routing_change_is_audited(qingdao, organiser, offices):
    rules = {r.unit_type: r.office for r in qingdao.routing_rules.all()}
    rules["institute"] = offices["qstb-talent"]
    services.routing_rules_set(actor=organiser, campaign=qingdao, offices=rules)
    assert RoutingRule.objects.get(campaign=qingdao, unit_type="institute").office == offices["qstb-talent"]
    entry = AuditEntry.objects.get(action="campaigns.routing.updated")
    assert entry.changes == {"institute": ["qast-org-personnel", "qstb-talent"]}


def test_contacts_add_edit_remove(qingdao, organiser, offices):
    contact = services.contact_create(actor=organiser, campaign=qingdao, office=offices["qstb-talent"],
                                      person="李四", phone="85910000", email="")
    assert contact.order == 3
    services.contact_update(actor=organiser, contact=contact, phone="85910001")
    contact.refresh_from_db()
    assert contact.phone == "85910001"
    services.contact_delete(actor=organiser, contact=contact)
    assert qingdao.contacts.count() == 2
    assert list(AuditEntry.objects.filter(action__startswith="campaigns.contact.")
                .order_by("id").values_list("action", flat=True)) == [
        "campaigns.contact.created", "campaigns.contact.updated", "campaigns.contact.deleted"]


def test_contact_needs_a_person(qingdao, organiser, offices):
    with pytest.raises(ValidationError):
        services.contact_create(actor=organiser, campaign=qingdao, office=offices["qstb-talent"], person="",
                                phone="1")
    assert qingdao.contacts.count() == 2
