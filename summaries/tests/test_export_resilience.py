"""Exports survive failures and lost workers: a failure is retried with backoff, then shown as failed with
its error on 「报告与导出」; an export whose worker died is queued again and finishes."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from summaries import exports
from summaries.models import Export, ExportStatus

OFFICE = "qast-org-personnel"


def _start(client, capture):
    with capture(execute=True):
        client.post(reverse("summaries:exports"), {"kind": "summaries.report", "office": OFFICE})
    return Export.objects.get()


def test_a_failing_export_is_retried_then_shown_failed_with_its_error(login, qingdao, organiser, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    def broken(self, *, export, progress):
        raise RuntimeError("存储服务暂时不可用")

    monkeypatch.setattr(exports.ConsolidatedReportExporter, "write", broken)
    client = login(organiser)
    export = _start(client, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.FAILED and export.attempts == exports.EXPORT_MAX_ATTEMPTS
    assert AuditEntry.objects.filter(action="summaries.export.retry").count() == exports.EXPORT_MAX_ATTEMPTS - 1
    page = client.get(reverse("summaries:exports"), headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "报告与导出" in page and "生成失败" in page and "存储服务暂时不可用" in page


def test_a_passing_failure_is_retried_and_the_export_finishes(login, qingdao, organiser, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    original = exports.ConsolidatedReportExporter.write
    calls = []

    def flaky(self, *, export, progress):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("connection reset")
        return original(self, export=export, progress=progress)

    monkeypatch.setattr(exports.ConsolidatedReportExporter, "write", flaky)
    export = _start(login(organiser), django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.DONE and export.attempts == 2 and export.error == ""


def test_a_retry_waits_with_backoff_on_the_real_queue(settings, qingdao, organiser, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    export = Export.objects.create(kind="summaries.report", params={"campaign": qingdao.slug, "office": OFFICE}, owner=organiser,
                                   status=ExportStatus.RUNNING, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        exports._export_failed(export, RuntimeError("x"), retry=True)
    task = DBTaskResult.objects.get()
    wait = (task.run_after - timezone.now()).total_seconds()
    assert exports.EXPORT_RETRY_BASE_SECONDS - 5 < wait <= exports.EXPORT_RETRY_BASE_SECONDS
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED


def test_an_export_whose_worker_died_is_queued_again_and_finishes(qingdao, organiser,
                                                                  django_capture_on_commit_callbacks):
    lost = Export.objects.create(kind="summaries.report", params={"campaign": qingdao.slug, "office": OFFICE}, owner=organiser,
                                 status=ExportStatus.RUNNING, progress=40, attempts=1,
                                 heartbeat_at=timezone.now() - timedelta(minutes=exports.EXPORT_STALE_MINUTES + 1))
    alive = Export.objects.create(kind="summaries.report", params={"campaign": qingdao.slug, "office": OFFICE}, owner=organiser,
                                  status=ExportStatus.RUNNING, progress=40, attempts=1, heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_stale_exports")
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == ExportStatus.DONE and lost.attempts == 2
    assert alive.status == ExportStatus.RUNNING and alive.progress == 40
    assert AuditEntry.objects.filter(action="summaries.export.requeued", object_id=str(lost.pk)).exists()
