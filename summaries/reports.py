"""The files made from summaries: the city's consolidated report (.docx), each unit's summary (.docx),
the workbook (.xlsx) and the upward package for the province (.zip).

Every builder takes ``progress`` (a callable receiving 0–100) and returns bytes. The documents are
Chinese whatever the requester's language: the exporters render them under zh-hans.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from core import clock
from organisations.models import Office

from . import selectors
from .docxstyle import OfficialDocument, date_text
from .models import AttachmentKind, Summary, SummaryState

Progress = Callable[[int], None]
CHINESE_NUMBERS = "一二三四五六七八九十"


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

def upward_zip(*, campaign: Campaign, progress: Progress = _noop) -> bytes:
    """The package for the level above, version 2 (docs/upward-package.md; built by rollup.package, the same
    builder the 「上报」 push uses): manifest.json, the report and workbook, summaries, recommended activities
    with photos, video and coverage, released role models, every file with its SHA-256."""
    from rollup.package import package_bytes

    return package_bytes(campaign=campaign, progress=progress)
