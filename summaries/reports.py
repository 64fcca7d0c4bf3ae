"""The files made from summaries: the city's consolidated report (.docx), each unit's summary (.docx),
the workbook (.xlsx) and the upward package for the province (.zip).

Every builder takes ``progress`` (a callable receiving 0–100) and returns bytes. The documents are
Chinese whatever the requester's language: the exporters render them under zh-hans.
"""

import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable
from io import BytesIO
from pathlib import PurePosixPath

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityPhoto
from campaigns.models import Campaign
from core import clock
from core.htmltext import html_to_text
from organisations.models import Office
from uploads.filetypes import EXTENSIONS

from . import selectors
from .docxstyle import OfficialDocument, date_text
from .models import AttachmentKind, Summary, SummaryState

Progress = Callable[[int], None]
CHINESE_NUMBERS = "一二三四五六七八九十"
PACKAGE_SCHEMA_VERSION = "1.0"
MAX_PACKAGE_PHOTOS = 9


def _noop(_percent: int) -> None:
    pass


def totals_rows(figures: dict) -> list[tuple[str, int]]:
    """The headline figures, in the order the report's first table shows them."""
    return [
        (_("Activities reported"), figures["total"]),
        (_("Activities held"), figures["held"]),
        (_("Activities cancelled"), figures["cancelled"]),
        (_("Participants"), figures["participants"]),
        (_("Online views"), figures["online_views"]),
        (_("Check-ins"), figures["checkins"]),
        (_("Media reports"), figures["coverage"]),
        (_("Activities recommended"), figures["recommended"]),
        (_("Activities recommended upward"), figures["recommended_up"]),
    ]


def _state_label(state: str) -> str:
    if state == selectors.NOT_STARTED:
        return _("Not started")
    return str(dict(SummaryState.choices).get(state, state))


# --- the consolidated report -------------------------------------------------------------------

def consolidated_docx(*, campaign: Campaign, office: Office | None = None, progress: Progress = _noop) -> bytes:
    """The consolidated report 汇总报告 as a 公文-style .docx covering every section of the notice
    (summaries.cityreport), each table naming the sheet of the workbook beside it that holds its rows: of one
    office (the units routed to it, the summaries it may see) or, without ``office``, the city's joint report
    (for the lead office)."""
    from .cityreport import report_docx

    progress(10)
    return report_docx(campaign=campaign, office=office, progress=progress)


# --- one unit's summary --------------------------------------------------------------------------

def _photo_bytes(asset) -> bytes | None:
    try:
        with asset.file.storage.open(asset.file.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def summary_docx(*, summary: Summary, progress: Progress = _noop) -> bytes:
    """One unit's summary as its own 公文-style .docx, with its figures and photos."""
    figures = selectors.unit_figures(campaign=summary.campaign, unit=summary.unit)
    doc = OfficialDocument()
    doc.title(_("%(unit)s: summary of the %(title)s") % {"unit": summary.unit.name, "title": summary.campaign.title})
    doc.heading1("一、" + _("Activities carried out"))
    doc.body(summary.work_done)
    doc.heading1("二、" + _("Results achieved"))
    doc.body(summary.results)
    doc.heading1("三、" + _("Highlights"))
    for index, highlight in enumerate(summary.highlights.all()):
        number = CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)
        doc.heading2(f"（{number}）{highlight.title}")
        doc.body(highlight.text)
    doc.heading1("四、" + _("Typical experience"))
    doc.body(summary.experience)
    doc.heading1("五、" + _("Opinions and suggestions"))
    doc.body(summary.suggestions)
    doc.heading1("六、" + _("Figures"))
    doc.table([_("Figure"), _("Number")], [[label, value] for label, value in totals_rows(figures)])
    photos = [a.asset for a in summary.attachments.all() if a.kind == AttachmentKind.PHOTO and a.asset.is_image]
    if photos:
        doc.heading1("七、" + _("Photos"))
        for asset in photos:
            data = _photo_bytes(asset)
            if data:
                doc.picture(data, width_mm=120)
    # 落款: the unit and the day it submitted (today for a draft)
    day = timezone.localtime(summary.submitted_at).date() if summary.submitted_at else clock.today()
    doc.closing(summary.unit.name, date_text(day))
    progress(95)
    return doc.save()


# --- the workbook ----------------------------------------------------------------------------------

def workbook_xlsx(*, campaign: Campaign, office: Office | None = None, progress: Progress = _noop) -> bytes:
    """The workbook beside the consolidated report: one sheet per table of the report (Chinese names, the
    header frozen, widths fitted, dates as date cells), each holding the rows its figures count
    (summaries.cityreport). Of one office, or without ``office`` of the city."""
    from .cityreport import report_xlsx

    progress(10)
    return report_xlsx(campaign=campaign, office=office)


# --- the upward package ----------------------------------------------------------------------------

def upward_manifest_and_files(*, campaign: Campaign, report: bytes) -> tuple[dict, list[tuple[str, bytes]]]:
    """The manifest (see docs/upward-package.md) and the files the package holds beside it."""
    figures = selectors.campaign_figures(campaign=campaign)
    report_name = "report/consolidated-report.docx"
    files: list[tuple[str, bytes]] = [(report_name, report)]
    activities = list(Activity.objects.filter(campaign=campaign, state="recommended_up")
                      .select_related("unit", "category").order_by("unit__name", "starts_at", "pk")
                      .annotate(checkin_n=Count("checkins", distinct=True),
                                coverage_n=Count("coverage", distinct=True)))
    photos = defaultdict(list)
    for photo in (ActivityPhoto.objects.filter(activity__in=[a.pk for a in activities])
                  .select_related("asset").order_by("activity_id", "pk")):
        if len(photos[photo.activity_id]) < MAX_PACKAGE_PHOTOS:
            photos[photo.activity_id].append(photo.asset)
    entries = []
    for activity in activities:
        folder = f"activities/{activity.pk}"
        description_name = f"{folder}/description.txt"
        files.append((description_name, html_to_text(activity.description).encode("utf-8")))
        photo_entries = []
        for index, asset in enumerate(photos[activity.pk], start=1):
            data = _photo_bytes(asset)
            if data is None:
                continue
            name = f"{folder}/photo-{index}.{EXTENSIONS.get(asset.content_type, 'bin')}"
            files.append((name, data))
            photo_entries.append({"file": name, "content_type": asset.content_type,
                                  "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        entries.append({
            "id": activity.pk, "title": activity.title, "unit": activity.unit.name,
            "unit_type": activity.unit.unit_type, "category": activity.category.name, "mode": activity.mode,
            "starts_at": timezone.localtime(activity.starts_at).isoformat(),
            "ends_at": timezone.localtime(activity.ends_at).isoformat(),
            "description_file": description_name,
            "figures": {"participants": activity.actual_participants or 0,
                        "online_views": activity.online_views or 0,
                        "checkins": activity.checkin_n, "coverage": activity.coverage_n},
            "photos": photo_entries,
        })
    manifest = {
        "schema_version": PACKAGE_SCHEMA_VERSION,
        "generated_at": timezone.localtime(clock.now()).isoformat(),
        "campaign": {"slug": campaign.slug, "year": campaign.year, "title": campaign.title,
                     "document_number": campaign.document_number},
        "report": {"file": report_name, "sha256": hashlib.sha256(report).hexdigest()},
        "totals": {"activities": figures["total"], "held": figures["held"], "cancelled": figures["cancelled"],
                   "participants": figures["participants"], "online_views": figures["online_views"],
                   "checkins": figures["checkins"], "coverage": figures["coverage"],
                   "recommended": figures["recommended"], "recommended_up": figures["recommended_up"]},
        "activities": entries,
    }
    return manifest, files


def upward_zip(*, campaign: Campaign, progress: Progress = _noop) -> bytes:
    """The package for the province: manifest.json, the consolidated report, upward-recommended activities."""
    report = consolidated_docx(campaign=campaign, progress=lambda p: progress(p // 2))
    manifest, files = upward_manifest_and_files(campaign=campaign, report=report)
    progress(70)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, data in files:
            archive.writestr(str(PurePosixPath(name)), data)
    progress(95)
    return buffer.getvalue()
