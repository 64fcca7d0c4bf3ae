"""Background exports, reusable by any app: an exporter declares what it makes and who may ask.

In the manner of pretix's BaseExporter: subclass ``BaseExporter``, give it ``identifier``,
``verbose_name``, ``extension``, ``content_type``, ``permission`` and ``write()``, and register it::

    @register
    class ActivitiesCsv(BaseExporter):
        identifier = "activities.csv"
        verbose_name = _("Activities (CSV)")
        extension, content_type = "csv", "text/csv"
        permission = "activities.review"

        def write(self, *, export, progress):
            return "activities.csv", b"..."

``export_start`` checks the permission, records an ``Export`` and queues ``export_task`` when the
transaction commits; the task calls ``write`` (reporting progress 0–100), stores the file with
the default storage and marks the export done or failed. Every step is audited.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import require
from audit.services import audit_record
from core import clock

from .models import Export, ExportStatus

logger = logging.getLogger(__name__)
REGISTRY: dict[str, type["BaseExporter"]] = {}
PROGRESS_WRITE_ATTEMPTS = 5
# A failed export is tried this many times in all, waiting EXPORT_RETRY_BASE_SECONDS * 4**(attempt-1)
# before each retry (30 s, 2 min); then it is FAILED, with its error on the exports page.
EXPORT_MAX_ATTEMPTS = 3
EXPORT_RETRY_BASE_SECONDS = 30
# A RUNNING export whose worker has not written for this long is taken to be lost (its worker killed)
# and is queued again by `manage.py requeue_stale_exports`; exporters report progress every few seconds.
EXPORT_STALE_MINUTES = 10


class BaseExporter:
    identifier: str = ""
    verbose_name = ""
    extension: str = "bin"
    content_type: str = "application/octet-stream"
    permission: str = ""
    language: str = "zh-hans"  # the documents are Chinese, whoever asks for them

    def __init__(self, params: dict | None = None):
        self.params = params or {}

    scope = "campaign"  # "office": the file is one office's, made for the office given in the params

    def permission_object(self):
        """What the permission is asked about (None: nothing, e.g. a site-wide permission)."""
        return None

    def allowed(self, user) -> None:
        """Raise PermissionDenied unless ``user`` may have this export (without auditing: for menus)."""
        from accounts.permissions import can

        if not can(user, self.permission, self.permission_object()):
            raise PermissionDenied(self.permission)

    def check(self, user) -> None:
        """Raise PermissionDenied unless ``user`` may have this export (with these params)."""
        require(user, self.permission, self.permission_object())

    def clean_params(self) -> dict:
        return self.params

    def write(self, *, export: Export, progress) -> tuple[str, bytes]:
        """Make the file: return (download name, content)."""
        raise NotImplementedError


def register(exporter: type[BaseExporter]) -> type[BaseExporter]:
    if not exporter.identifier or exporter.identifier in REGISTRY:
        raise ValueError(f"Exporter identifier missing or taken: {exporter.identifier!r}")
    REGISTRY[exporter.identifier] = exporter
    return exporter


def exporter_for(kind: str, params: dict | None = None) -> BaseExporter:
    try:
        return REGISTRY[kind](params)
    except KeyError:
        raise ValidationError(_("There is no such export.")) from None


def exporters_for(user, params: dict | None = None) -> list[BaseExporter]:
    """The exporters ``user`` may start with these params (e.g. the campaign and an office)."""
    found = []
    for cls in REGISTRY.values():
        exporter = cls(params)
        try:
            exporter.allowed(user)
        except PermissionDenied:
            continue
        found.append(exporter)
    return found


def export_start(*, actor, kind: str, params: dict | None = None) -> Export:
    """Record an export for ``actor`` and queue it; it runs after the transaction commits."""
    exporter = exporter_for(kind, params)
    exporter.check(actor)
    params = exporter.clean_params()
    with transaction.atomic():
        export = Export.objects.create(kind=kind, params=params, owner=actor)
        audit_record(action="summaries.export.requested", actor=actor, obj=export,
                     changes={"kind": kind, "params": params})
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int, *, delay: int = 0) -> None:
    from .tasks import export_task

    if delay and export_task.get_backend().supports_defer:
        export_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(export_id=export_id)
    else:  # a backend that cannot wait (the tests' immediate one) runs the retry at once
        export_task.enqueue(export_id=export_id)


def export_run(*, export_id: int) -> Export:
    """Do one export's work (the task calls this); a failure is retried with backoff, then recorded, never raised."""
    export = Export.objects.select_related("owner").get(pk=export_id)
    if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return export
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=1, attempts=F("attempts") + 1,
                                               heartbeat_at=timezone.now())
    export.refresh_from_db(fields=["attempts"])

    def progress(percent: int) -> None:
        _progress_write(export.pk, max(1, min(99, int(percent))))

    try:
        exporter = exporter_for(export.kind, export.params)
        exporter.check(export.owner)  # the right may have gone since the request
        with translation.override(exporter.language):
            filename, content = exporter.write(export=export, progress=progress)
        storage = Export._meta.get_field("file").storage
        name = storage.save(f"exports/{clock.now():%Y/%m}/{uuid.uuid4().hex}.{exporter.extension}",
                            ContentFile(content))
    except (PermissionDenied, ValidationError) as exc:  # no retry changes a missing right or a bad request
        _export_failed(export, exc, retry=False)
    except Exception as exc:  # noqa: BLE001 - recorded for the user, logged for us
        _export_failed(export, exc, retry=export.attempts < EXPORT_MAX_ATTEMPTS)
    else:
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.DONE, progress=100, file=name,
                                                   filename=filename, finished_at=clock.now(), error="")
        audit_record(action="summaries.export.done", actor=export.owner, obj=export,
                     changes={"kind": export.kind, "bytes": len(content)})
    export.refresh_from_db()
    return export


def _export_failed(export: Export, exc: Exception, *, retry: bool) -> None:
    logger.exception("Export %s failed (attempt %s)", export.pk, export.attempts)
    error = str(exc)[:1000] or exc.__class__.__name__
    if retry:
        delay = EXPORT_RETRY_BASE_SECONDS * 4 ** (export.attempts - 1)
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED, progress=0, error=error)
        audit_record(action="summaries.export.retry", actor=export.owner, obj=export,
                     changes={"error": error, "attempt": export.attempts, "retry_in_seconds": delay})
        transaction.on_commit(lambda: _enqueue(export.pk, delay=delay))
        return
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=error, finished_at=clock.now())
    audit_record(action="summaries.export.failed", actor=export.owner, obj=export,
                 changes={"error": error, "attempts": export.attempts})


def exports_requeue_stale(*, minutes: int = EXPORT_STALE_MINUTES) -> list[int]:
    """Queue again every RUNNING export whose worker has been silent for ``minutes`` (it was killed or
    lost its host): it starts afresh on another worker instead of staying 「导出中」 for ever."""
    limit = timezone.now() - timedelta(minutes=minutes)
    requeued = []
    for export in Export.objects.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=limit).select_related("owner"):
        if Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, heartbeat_at__lt=limit).update(
                status=ExportStatus.QUEUED, progress=0):
            audit_record(action="summaries.export.requeued", actor_name="requeue_stale_exports", obj=export,
                         changes={"silent_since": export.heartbeat_at.isoformat(), "attempts": export.attempts})
            transaction.on_commit(lambda pk=export.pk: _enqueue(pk))
            requeued.append(export.pk)
    return requeued


def _progress_write(export_id: int, percent: int) -> None:
    """Write an export's progress without disturbing the export's own reads.

    The exporters read in chunks, so the export's connection holds a read open while it reports
    progress. On SQLite a write from that connection then fails at once with "database is locked"
    whenever anyone else (a polling page saving its session, any request) has committed since the
    read began. Progress is therefore written on a short-lived connection of its own, in its own
    short transaction, with a bounded retry; a figure that still cannot be written is skipped (the next
    one, or the final state, replaces it). Inside a transaction (tests, a caller's atomic block) the
    export's own connection already holds the write lock, so it writes there."""
    if connection.in_atomic_block:
        Export.objects.filter(pk=export_id).update(progress=percent, heartbeat_at=timezone.now())
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    table, quote = Export._meta.db_table, own.ops.quote_name
    sql = (f"UPDATE {quote(table)} SET {quote('progress')} = %s, {quote('heartbeat_at')} = %s "  # noqa: S608 - names only
           f"WHERE {quote('id')} = %s")
    try:
        for attempt in range(PROGRESS_WRITE_ATTEMPTS):
            try:
                with own.cursor() as cursor:
                    cursor.execute(sql, [percent, own.ops.adapt_datetimefield_value(timezone.now()), export_id])
                return
            except OperationalError:
                time.sleep(0.05 * (attempt + 1))
        logger.warning("Export %s: progress %s%% not written (database busy)", export_id, percent)
    finally:
        own.close()


def export_downloaded(*, actor, export: Export) -> None:
    audit_record(action="summaries.export.downloaded", actor=actor, obj=export, changes={"kind": export.kind})


# --- the summaries exporters --------------------------------------------------------------------

class _CampaignExporter(BaseExporter):
    """A campaign's city-wide file: for the lead office of the campaign (summaries.city_report)."""

    permission = "summaries.city_report"

    def campaign(self):
        from campaigns.models import Campaign

        return Campaign.objects.get(slug=self.params["campaign"])

    def permission_object(self):
        from campaigns.models import Campaign

        return Campaign.objects.filter(slug=str(self.params.get("campaign", ""))).first()

    def clean_params(self) -> dict:
        from campaigns.models import Campaign

        slug = str(self.params.get("campaign", ""))
        if not Campaign.objects.filter(slug=slug).exists():
            raise ValidationError(_("There is no such campaign."))
        return {"campaign": slug}


class _OfficeExporter(_CampaignExporter):
    """One office's file: only the units routed to it and the summaries it may see (summaries.office)."""

    permission = "summaries.office"
    scope = "office"

    def office(self):
        from organisations.models import Office

        return Office.objects.filter(code=str(self.params.get("office", ""))).first()

    def permission_object(self):
        return self.office()

    def check(self, user) -> None:
        if self.office() is None:
            raise ValidationError(_("Choose the office the file is for."))
        super().check(user)

    def clean_params(self) -> dict:
        office = self.office()
        if office is None:
            raise ValidationError(_("Choose the office the file is for."))
        return {**super().clean_params(), "office": office.code}


@register
class ConsolidatedReportExporter(_OfficeExporter):
    identifier = "summaries.report"
    verbose_name = gettext_lazy("Consolidated report of the office (Word)")
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def write(self, *, export, progress):
        from .reports import consolidated_docx

        campaign, office = self.campaign(), self.office()
        return (f"{campaign.year}-{office.code}-consolidated-report.docx",
                consolidated_docx(campaign=campaign, office=office, progress=progress))


@register
class WorkbookExporter(_OfficeExporter):
    identifier = "summaries.workbook"
    verbose_name = gettext_lazy("Figures workbook of the office (Excel)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, *, export, progress):
        from .reports import workbook_xlsx

        campaign, office = self.campaign(), self.office()
        return (f"{campaign.year}-{office.code}-figures.xlsx",
                workbook_xlsx(campaign=campaign, office=office, progress=progress))


@register
class CityReportExporter(_CampaignExporter):
    identifier = "summaries.city_report"
    verbose_name = gettext_lazy("The city's joint report (Word)")
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def write(self, *, export, progress):
        from .reports import consolidated_docx

        campaign = self.campaign()
        return f"{campaign.year}-consolidated-report.docx", consolidated_docx(campaign=campaign, progress=progress)


@register
class CityWorkbookExporter(_CampaignExporter):
    identifier = "summaries.city_workbook"
    verbose_name = gettext_lazy("The city's figures workbook (Excel)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, *, export, progress):
        from .reports import workbook_xlsx

        campaign = self.campaign()
        return f"{campaign.year}-figures.xlsx", workbook_xlsx(campaign=campaign, progress=progress)


@register
class UpwardPackageExporter(_CampaignExporter):
    identifier = "summaries.upward"
    verbose_name = gettext_lazy("Upward package for the province (zip)")
    extension = "zip"
    content_type = "application/zip"

    def write(self, *, export, progress):
        from .reports import upward_zip

        campaign = self.campaign()
        return f"{campaign.year}-upward-package.zip", upward_zip(campaign=campaign, progress=progress)
