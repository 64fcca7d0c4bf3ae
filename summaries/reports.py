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

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityPhoto, CheckIn, MediaCoverage
from campaigns.models import Campaign
from core import clock
from core.htmltext import html_to_text
from core.xlsx_stream import XlsxStreamWriter
from organisations.models import Office, Unit
from uploads.filetypes import EXTENSIONS

from . import selectors
from .charts import bar_chart
from .docxstyle import OfficialDocument
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
    """The consolidated report 汇总报告 as a 公文-style .docx: of one office (the units routed to it, the
    summaries it may see) or, without ``office``, the city's joint report (for the lead office)."""
    figures = selectors.campaign_figures(campaign=campaign, office=office)
    progress(20)
    doc = OfficialDocument()
    doc.title(_("Consolidated report on the %(title)s") % {"title": campaign.title})
    if office is not None:
        doc.body(_("This report of %(office)s covers the units whose summaries are routed to it.")
                 % {"office": office.name})
    doc.body(_("In line with the notice %(number)s, the units of the city held activities for the "
               "National S&T Workers' Day under the theme “%(theme)s” and sent their summaries. "
               "This report brings their figures, highlights and recommendations together.")
             % {"number": campaign.document_number or campaign.title, "theme": campaign.theme})

    doc.heading1("一、" + _("Overall figures"))
    doc.body(_("The units reported %(total)d activities, of which %(held)d were held and %(cancelled)d "
               "cancelled; %(participants)d people took part, online broadcasts were viewed %(views)d "
               "times, %(checkins)d people checked in and the media reported %(coverage)d times.")
             % {"total": figures["total"], "held": figures["held"], "cancelled": figures["cancelled"],
                "participants": figures["participants"], "views": figures["online_views"],
                "checkins": figures["checkins"], "coverage": figures["coverage"]})
    doc.table([_("Figure"), _("Number")], [[label, value] for label, value in totals_rows(figures)])
    sections = [
        ("（一）" + _("By activity category"), _("Activities by category"), figures["by_category"]),
        ("（二）" + _("By mode of holding"), _("Activities by mode"), figures["by_mode"]),
        ("（三）" + _("By unit type"), _("Activities by unit type"), figures["by_unit_type"]),
        ("（四）" + _("By district"), _("Activities by district"), figures["by_district"]),
    ]
    for index, (heading, chart_title, rows) in enumerate(sections):
        doc.heading2(heading)
        doc.table([_("Group"), _("Activities")], [list(row) for row in rows])
        doc.picture(bar_chart(chart_title, rows))
        progress(30 + index * 8)

    doc.heading1("二、" + _("Recommended activities"))
    recommended = list(selectors.recommended_activities(campaign=campaign, office=office)[:500])
    if recommended:
        doc.table([_("Unit"), _("Activity"), _("Category"), _("Recommendation")], [
            [a.unit.name, a.title, a.category.name, a.get_state_display()] for a in recommended])
    else:
        doc.body(_("No activity has been recommended yet."))
    progress(70)

    doc.heading1("三、" + _("Highlights"))
    highlights = list(selectors.starred_highlights(campaign=campaign, office=office))
    if not highlights:
        doc.body(_("No highlight has been starred yet."))
    for index, highlight in enumerate(highlights):
        number = CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)
        doc.heading2(f"（{number}）{highlight.title}（{highlight.summary.unit.name}）")
        doc.body(highlight.text)
    progress(80)

    doc.heading1("四、" + _("How the summaries came in"))
    summaries = Summary.objects.filter(campaign=campaign)
    if office is not None:
        summaries = summaries.filter(office=office)
    counts = summaries.order_by().values("state").annotate(n=Count("id"))
    by_state = {row["state"]: row["n"] for row in counts}
    doc.body(_("Summaries submitted: %(submitted)d; accepted: %(accepted)d; returned for revision: "
               "%(returned)d; still in draft: %(draft)d.")
             % {"submitted": by_state.get(SummaryState.SUBMITTED, 0),
                "accepted": by_state.get(SummaryState.ACCEPTED, 0),
                "returned": by_state.get(SummaryState.RETURNED, 0), "draft": by_state.get(SummaryState.DRAFT, 0)})
    late = selectors.late_and_missing(campaign=campaign, office=office)
    if late:
        doc.table([_("Unit"), _("Receiving office"), _("Summary status"), _("Deadline")], [
            [row["unit"].name, row["office"].name,
             _state_label(row["status"]) + (_("(late)") if row["late"] else ""), f"{row['deadline']:%Y-%m-%d}"]
            for row in late])
    else:
        doc.body(_("Every unit sent its summary on time."))
    progress(95)
    return doc.save()


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
    progress(95)
    return doc.save()


# --- the workbook ----------------------------------------------------------------------------------

def workbook_xlsx(*, campaign: Campaign, office: Office | None = None, progress: Progress = _noop) -> bytes:
    """The same figures as an .xlsx: sheets units, summaries, activities, coverage. Written as it goes by
    core.xlsx_stream (one row of 100,000 activities at a time; openpyxl alone would take longer than the
    whole export is allowed)."""
    buffer = BytesIO()
    with XlsxStreamWriter(buffer) as book:
        _workbook_sheets(book, campaign, office, progress)
    return buffer.getvalue()


def _workbook_sheets(book: XlsxStreamWriter, campaign: Campaign, office: Office | None, progress: Progress) -> None:
    """With ``office``: only the units routed to it, their activities and the summaries it receives."""
    counted = selectors.counted_activities(campaign=campaign)
    units = Unit.objects.filter(is_active=True)
    summary_rows = Summary.objects.filter(campaign=campaign)
    if office is not None:
        units = selectors.routed_units(campaign=campaign, office=office)
        counted = counted.filter(unit__in=units)
        summary_rows = summary_rows.filter(office=office)
    per_unit = {row["unit_id"]: row for row in counted.order_by().values("unit_id").annotate(
        total=Count("id"), held=Count("id", filter=Q(state__in=selectors.HELD_STATES)),
        participants=Coalesce(Sum("actual_participants"), 0), online_views=Coalesce(Sum("online_views"), 0))}
    checkins = dict(CheckIn.objects.filter(activity__in=counted).order_by().values("activity__unit_id")
                    .annotate(n=Count("id")).values_list("activity__unit_id", "n"))
    coverage = dict(MediaCoverage.objects.filter(activity__in=counted).order_by().values("activity__unit_id")
                    .annotate(n=Count("id")).values_list("activity__unit_id", "n"))
    summaries = {s.unit_id: s for s in summary_rows.select_related("office")}
    type_labels = dict(Unit._meta.get_field("unit_type").choices)
    offices = {rule.unit_type: rule.office for rule in campaign.routing_rules.select_related("office")}

    sheet = book.add_sheet("units")
    sheet.append([_("Unit"), _("Unit type"), _("District"), _("Receiving office"), _("Summary status"),
                  _("Late"), _("Activities reported"), _("Activities held"), _("Participants"), _("Online views"),
                  _("Check-ins"), _("Media reports")])
    for unit in units.select_related("district").order_by("unit_type", "name"):
        row = per_unit.get(unit.pk, {})
        summary = summaries.get(unit.pk)
        office = offices.get(unit.unit_type)
        sheet.append([unit.name, str(type_labels.get(unit.unit_type, unit.unit_type)),
                      unit.district.name if unit.district else "", office.name if office else "",
                      _state_label(summary.state if summary else selectors.NOT_STARTED),
                      _("yes") if summary and summary.is_late else "", row.get("total", 0), row.get("held", 0),
                      row.get("participants", 0), row.get("online_views", 0), checkins.get(unit.pk, 0),
                      coverage.get(unit.pk, 0)])
    progress(30)

    sheet = book.add_sheet("summaries")
    sheet.append([_("Unit"), _("Summary status"), _("Late"), _("Submitted at"), _("Receiving office"),
                  _("Highlights"), _("Starred highlights")])
    # an office sees a draft's status on its board, never what it holds
    listed = summary_rows.exclude(state=SummaryState.DRAFT) if office is not None else summary_rows
    for summary in (listed.select_related("unit", "office")
                    .annotate(n=Count("highlights"), starred=Count("highlights", filter=Q(highlights__is_starred=True)))
                    .order_by("unit__name")):
        sheet.append([summary.unit.name, _state_label(summary.state), _("yes") if summary.is_late else "",
                      timezone.localtime(summary.submitted_at).strftime("%Y-%m-%d %H:%M") if summary.submitted_at else "",
                      summary.office.name if summary.office else "", summary.n, summary.starred])
    progress(40)

    sheet = book.add_sheet("activities")
    sheet.append([_("Activity id"), _("Unit"), _("Activity"), _("Category"), _("Mode"), _("State"), _("Starts"),
                  _("Participants"), _("Online views"), _("Check-ins"), _("Media reports")])
    mode_labels = {k: str(v) for k, v in Activity._meta.get_field("mode").choices}
    state_labels = {k: str(v) for k, v in Activity._meta.get_field("state").choices}
    checkin_count = CheckIn.objects.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(
        n=Count("id")).values("n")
    coverage_count = MediaCoverage.objects.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(
        n=Count("id")).values("n")
    rows = (counted.order_by("pk").annotate(checkin_n=Coalesce(Subquery(checkin_count), 0),
                                            coverage_n=Coalesce(Subquery(coverage_count), 0))
            .values_list("pk", "unit__name", "title", "category__name", "mode", "state", "starts_at",
                         "actual_participants", "online_views", "checkin_n", "coverage_n"))
    total = counted.count() or 1
    for index, row in enumerate(rows.iterator(chunk_size=2000)):
        sheet.append([row[0], row[1], row[2], row[3], mode_labels.get(row[4], row[4]),
                      state_labels.get(row[5], row[5]), timezone.localtime(row[6]).strftime("%Y-%m-%d %H:%M"),
                      row[7] or 0, row[8] or 0, row[9], row[10]])
        if index % 10000 == 0:
            progress(40 + int(50 * index / total))

    sheet = book.add_sheet("coverage")
    sheet.append([_("Activity id"), _("Unit"), _("Outlet"), _("Report title"), _("Link"), _("Date")])
    for row in (MediaCoverage.objects.filter(activity__in=counted).order_by("activity_id", "date", "pk")
                .values_list("activity_id", "activity__unit__name", "outlet", "title", "link", "date")
                .iterator(chunk_size=2000)):
        sheet.append([row[0], row[1], row[2], row[3], row[4], row[5].isoformat()])
    progress(95)


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
