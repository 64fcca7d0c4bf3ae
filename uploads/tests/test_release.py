"""Replaced and removed files do not stay downloadable: the row goes in the same transaction (so
/files/<uuid>/ answers 404) and a task deletes the stored file once it commits; a rolled-back
change keeps everything."""

import pytest
from django.db import transaction

from activities import services as activity_services
from activities.models import Mode, PlanKind
from activities.tests.factories import ActivityFactory, pdf_file
from audit.models import AuditEntry
from awards import services as award_services
from awards.tests.factories import NominationFactory
from summaries.models import AttachmentKind
from summaries.services import summary_attach, summary_detach
from summaries.tests.factories import SummaryFactory
from uploads.models import Asset, AssetUse
from uploads.services import asset_store, assets_release
from uploads.tasks import asset_files_delete_task
from uploads.tests import samples

pytestmark = pytest.mark.django_db


def _exists(asset) -> bool:
    return asset.file.storage.exists(asset.file.name)


def test_a_detached_summary_attachment_is_deleted_on_commit(client, qingdao, unit_a, coordinator_a,
                                                            django_capture_on_commit_callbacks):
    summary = SummaryFactory(unit=unit_a)
    (attachment,) = summary_attach(actor=coordinator_a, summary=summary, kind=AttachmentKind.DOCUMENT,
                                   files=[samples.upload("总结.pdf", samples.pdf_bytes())])
    asset = attachment.asset
    client.force_login(coordinator_a)
    assert client.get(asset.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary_detach(actor=coordinator_a, attachment=attachment)
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert client.get(asset.get_absolute_url()).status_code == 404
    assert _exists(asset)  # the stored file waits for the commit
    for callback in callbacks:
        callback()
    assert not _exists(asset)
    assert AuditEntry.objects.filter(action="uploads.asset.deleted", object_id=str(asset.pk)).exists()


def test_a_replaced_activity_plan_is_deleted(qingdao, unit_a, coordinator_a, django_capture_on_commit_callbacks):
    activity = ActivityFactory(unit=unit_a, mode=Mode.OFFLINE)
    first = activity_services.activity_plan_attach(actor=coordinator_a, activity=activity, kind=PlanKind.SECURITY,
                                                   uploaded_file=pdf_file("第一版.pdf")).asset
    with django_capture_on_commit_callbacks(execute=True):
        second = activity_services.activity_plan_attach(actor=coordinator_a, activity=activity,
                                                        kind=PlanKind.SECURITY,
                                                        uploaded_file=pdf_file("第二版.pdf")).asset
    assert not Asset.objects.filter(pk=first.pk).exists() and not _exists(first)
    assert Asset.objects.filter(pk=second.pk).exists() and _exists(second)


def test_a_replaced_nomination_photo_is_deleted(qingdao, unit_a, coordinator_a, django_capture_on_commit_callbacks):
    from awards.tests.factories import SelectionFactory

    nomination = NominationFactory(selection=SelectionFactory(), unit=unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.nomination_update(actor=coordinator_a, nomination=nomination, data={},
                                         files={"id_photo": samples.upload("证件照.jpg", samples.image_bytes())})
    nomination.refresh_from_db()
    old = nomination.id_photo
    with django_capture_on_commit_callbacks(execute=True):
        award_services.nomination_update(actor=coordinator_a, nomination=nomination, data={},
                                         files={"id_photo": samples.upload("新证件照.jpg", samples.image_bytes())})
    nomination.refresh_from_db()
    assert nomination.id_photo_id != old.pk
    assert not Asset.objects.filter(pk=old.pk).exists() and not _exists(old)


def test_a_rolled_back_release_keeps_the_file(qingdao, unit_a, coordinator_a, django_capture_on_commit_callbacks):
    asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                        owner=coordinator_a, unit=unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                assets_release(actor=coordinator_a, assets=[asset])
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert Asset.objects.filter(pk=asset.pk).exists() and _exists(asset)


def test_the_task_never_deletes_a_file_a_row_still_holds(qingdao, unit_a, coordinator_a):
    asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                        owner=coordinator_a, unit=unit_a)
    assert asset_files_delete_task.call([asset.file.name]) == 0
    assert _exists(asset)


def test_a_file_still_held_elsewhere_is_not_released(qingdao, unit_a, coordinator_a):
    activity = ActivityFactory(unit=unit_a, mode=Mode.OFFLINE)
    plan = activity_services.activity_plan_attach(actor=coordinator_a, activity=activity, kind=PlanKind.SECURITY,
                                                  uploaded_file=pdf_file())
    assert assets_release(actor=coordinator_a, assets=[plan.asset]) == 0
    assert Asset.objects.filter(pk=plan.asset_id).exists() and _exists(plan.asset)
