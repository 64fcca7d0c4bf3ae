"""A private file is served to exactly who may see what it belongs to (uploads.owners): one rule,
the owner object's own, for the file, its thumbnail and every page."""

import pytest
from django.apps import apps
from django.db import models

from summaries.models import AttachmentKind, SummaryState
from summaries.services import summary_attach
from summaries.tests.factories import SummaryFactory
from uploads.models import Asset
from uploads.owners import owner_specs
from uploads.tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_with_attachment(qingdao, unit_a, coordinator_a):
    summary = SummaryFactory(unit=unit_a)  # a district association's: routed to 市科协组织人事部
    (attachment,) = summary_attach(actor=coordinator_a, summary=summary, kind=AttachmentKind.DOCUMENT,
                                   files=[samples.upload("总结.pdf", samples.pdf_bytes())])
    return summary, attachment.asset


def _status(client, user, asset):
    client.force_login(user)
    status = client.get(asset.get_absolute_url()).status_code
    client.logout()
    return status


def test_a_summary_attachment_is_served_only_to_who_may_see_the_summary(
        client, draft_with_attachment, coordinator_a, coordinator_b, organiser, bureau, admin_user):
    summary, asset = draft_with_attachment
    assert summary.office.code == "qast-org-personnel" and organiser.office_memberships.filter(
        office=summary.office).exists()
    # a draft is the unit's alone: not even the receiving office sees it (nor its files)
    assert _status(client, coordinator_a, asset) == 200
    assert _status(client, organiser, asset) == 404
    assert _status(client, bureau, asset) == 404
    assert _status(client, coordinator_b, asset) == 404
    assert _status(client, admin_user, asset) == 200

    summary.state = SummaryState.SUBMITTED
    summary.save(update_fields=["state"])
    assert _status(client, organiser, asset) == 200
    assert _status(client, bureau, asset) == 404  # routed to the other office: 404, as for the summary
    assert client.get(asset.get_absolute_url()).status_code == 404  # anonymous


def test_a_file_attached_to_nothing_is_its_uploaders_alone(client, qingdao, unit_a, coordinator_a, organiser):
    from uploads.models import AssetUse
    from uploads.services import asset_store

    asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                        owner=coordinator_a, unit=unit_a)
    assert _status(client, coordinator_a, asset) == 200
    assert _status(client, organiser, asset) == 404


def test_every_relation_to_a_file_is_declared_with_its_owner_rule():
    from accounts.permissions import RULES

    declared = {(model, field) for model, field, permission, _path in owner_specs()}
    for model, _field, permission, _path in owner_specs():
        assert permission in RULES, permission
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.ManyToManyField) and field.related_model is Asset \
                    and model is not Asset:
                found.add((model, field.name))
    assert found, "no model holds a file?"
    assert found == declared, f"undeclared owners of files (add them to <app>/files.py): {found - declared}"
