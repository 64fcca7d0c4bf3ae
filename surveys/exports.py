"""Exports of a survey: raw responses (.xlsx with a codebook sheet, .csv and its codebook) and the
results report (.docx, official-document fonts).

The raw files carry no identity: a running number, the date, the channel and the unit and district,
where a unit or district with fewer than MIN_GROUP respondents in the file is merged into "other"
(privacy.guard), so the microdata cannot single a small unit out. The report carries only the
guarded aggregates of ``selectors.survey_results`` and ``selectors.crosstab``.
"""

import io
import tempfile
from collections.abc import Iterator

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import clock
from core.spreadsheets import csv_writer
from core.xlsx_stream import XlsxStreamWriter, fitted_widths
from organisations.models import District, Unit
from summaries.docxstyle import OfficialDocument, date_text

from . import selectors
from .models import Answer, Question, QuestionKind, Survey
from .privacy import guard

OTHER = "其他（合并的小组）"


def _columns(questions: list[Question]) -> list[tuple[str, Question, int | None, str]]:
    """(variable, question, option code for a 0/1 column, what) for each data column."""
    columns = []
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            columns += [(f"{q.code}_{o.code}", q, o.code, "flag") for o in q.options.all()]
        else:
            what = "code" if q.is_choice or q.kind == QuestionKind.SCALE else (
                "number" if q.kind == QuestionKind.NUMBER else "text")
            columns.append((q.code, q, None, what))
        if q.allow_other:
            columns.append((f"{q.code}_other", q, None, "other"))
    return columns


def codebook_rows(questions: list[Question]) -> list[list]:
    rows = [[_("variable"), _("question"), _("type"), _("value"), _("label")]]
    rows.append(["id", _("running number"), "", "", ""])
    rows.append(["date", _("date submitted"), "", "", ""])
    rows.append(["channel", _("channel"), "", "open / unit / code", ""])
    rows.append(["unit", _("unit"), "", "", OTHER])
    rows.append(["district", _("district"), "", "", OTHER])
    for variable, q, option_code, what in _columns(questions):
        kind = q.get_kind_display()
        if what == "flag":
            option = next(o for o in q.options.all() if o.code == option_code)
            rows.append([variable, f"{q.text}：{option.label}", kind, "1 / 0", _("chosen / not chosen")])
        elif what == "code":
            rows.append([variable, q.text, kind, "", ""])
            rows += [["", "", "", o.code, o.label] for o in q.options.all()]
        elif what == "other":
            rows.append([variable, f"{q.text}（{_('other, please specify')}）", _("text"), "", ""])
        else:
            rows.append([variable, q.text, kind, "", ""])
    return rows


# Answers and responses are read in chunks of this many rows: memory stays constant whatever the count.
CHUNK = 5000


def _slots(questions: list[Question], columns: list) -> dict[int, tuple]:
    """For each question id: (what an answer writes, its column or {option code: column}, its "other"
    column or None), worked out once rather than once an answer."""
    position = {c[0]: i for i, c in enumerate(columns)}
    slots = {}
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            what, where = "flag", {o.code: position[f"{q.code}_{o.code}"] for o in q.options.all()}
        elif q.is_choice or q.kind == QuestionKind.SCALE:
            what, where = "code", position[q.code]
        elif q.kind == QuestionKind.NUMBER:
            what, where = "number", position[q.code]
        else:
            what, where = "text", position[q.code]
        other = position[f"{q.code}_other"] if q.allow_other and q.kind != QuestionKind.LONG_TEXT else None
        slots[q.pk] = (what, where, other)
    return slots


def _labels(counts: dict, names: dict) -> dict:
    """{id: what the export shows} for the units (or districts) counted in ``counts``: the name, or "other"
    for a group too small to show (privacy.guard)."""
    shown = guard(counts)
    return {key: names.get(key, "") if shown.get(key) is not None else OTHER for key in counts if key}


def raw_rows(*, survey: Survey, questions: list[Question], filters: selectors.Filters) -> Iterator[list]:
    """The header, then one row per response, streamed from two queries ordered by response (merged as
    they are read, never held in memory). The date is a date (a date cell in the workbook, YYYY-MM-DD in
    the CSV)."""
    columns = _columns(questions)
    yield ["id", "date", "channel", "unit", "district", *[c[0] for c in columns]]
    responses = filters.responses(survey)
    unit_counts = dict(responses.values_list("unit").annotate(n=_count()).order_by())
    district_counts = dict(responses.values_list("district").annotate(n=_count()).order_by())
    unit_names = dict(Unit.objects.filter(pk__in=[k for k in unit_counts if k]).values_list("pk", "name"))
    unit_labels = _labels(unit_counts, unit_names)
    district_labels = _labels(district_counts, dict(District.objects.values_list("pk", "name")))
    template = [0 if c[3] == "flag" else None for c in columns]
    slots = _slots(questions, columns)
    answers = iter(Answer.objects.filter(response__in=responses.values("pk"))
                   .values_list("response_id", "question_id", "option_code", "number", "text")
                   .order_by("response_id", "id").iterator(chunk_size=CHUNK))
    zone = timezone.get_current_timezone()
    pending = next(answers, None)
    for number, (rid, submitted, channel, unit_id, district_id) in enumerate(
            responses.values_list("id", "submitted_at", "channel", "unit_id", "district_id")
            .order_by("id").iterator(chunk_size=CHUNK), start=1):
        values = template.copy()
        while pending is not None and pending[0] <= rid:
            if pending[0] == rid:
                slot = slots.get(pending[1])
                if slot is not None:
                    what, where, other = slot
                    _rid, _qid, code, num, text = pending
                    if what == "flag":
                        values[where[code]] = 1
                    elif what == "code":
                        values[where] = code
                    elif what == "number":
                        values[where] = num
                    else:
                        values[where] = text
                    if other is not None and text:
                        values[other] = text
            pending = next(answers, None)
        yield [number, submitted.astimezone(zone).date(), channel,
               unit_labels.get(unit_id, OTHER) if unit_id else "",
               district_labels.get(district_id, OTHER) if district_id else "", *values]


def _count():
    from django.db.models import Count

    return Count("id")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_download(handle, filename: str, content_type: str) -> FileResponse:
    """Send a temporary file in blocks (FileResponse closes it at the end)."""
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def export_xlsx(*, survey, questions, filters) -> FileResponse:
    """The responses and the codebook in a workbook written to a temporary file as the rows come.

    core.xlsx_stream rather than openpyxl: for 100,000 responses openpyxl's write-only mode alone takes more
    CPU time than the brief allows the whole export (bench/exports.py)."""
    rows = raw_rows(survey=survey, questions=questions, filters=filters)
    codebook = codebook_rows(questions)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    header = next(rows)
    # Rows are streamed, so the data columns are sized by their variable names (codes and 0/1 flags are short;
    # the unit column holds names); the codebook is at hand and is measured.
    widths = {i: max(8, len(name) + 3) for i, name in enumerate(header)}
    widths.update({1: 12, 2: 9, 3: 28, 4: 14})
    with XlsxStreamWriter(handle) as workbook:
        workbook.add_sheet(pgettext("workbook sheet", "Responses"), header=header, widths=widths,
                           freeze_header=True).extend(rows)
        workbook.add_sheet(pgettext("workbook sheet", "Codebook"), header=codebook[0],
                           widths=fitted_widths(codebook[0], codebook[1:]), freeze_header=True).extend(codebook[1:])
    return _file_download(handle, f"{survey.slug}-responses.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _csv_file(rows):
    """A temporary file holding ``rows`` as UTF-8 CSV with a byte-order mark (Excel and SPSS read it);
    the csv module writes None as an empty field."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    text.write("\ufeff")
    csv_writer(text).writerows(rows)  # open answers come from anonymous respondents: "=…" stays text
    text.flush()
    text.detach()
    return handle


def _csv(rows) -> bytes:
    handle = _csv_file(rows)
    handle.seek(0)
    with handle:
        return handle.read()


def export_csv(*, survey, questions, filters) -> FileResponse:
    return _file_download(_csv_file(raw_rows(survey=survey, questions=questions, filters=filters)),
                          f"{survey.slug}-responses.csv", "text/csv; charset=utf-8")


def export_codebook_csv(*, survey, questions, filters) -> HttpResponse:
    return _download(_csv(codebook_rows(questions)), f"{survey.slug}-codebook.csv", "text/csv; charset=utf-8")


# --- the report -------------------------------------------------------------------------------

def _shown(value) -> str:
    return "<5" if value is None else str(value)


# Fonts that draw Chinese, where the server has one; without, the chart labels are the option codes.
CJK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


def _chart_font(size: int):
    from PIL import ImageFont

    for path in CJK_FONTS:
        try:
            return ImageFont.truetype(path, size), True
        except OSError:
            continue
    return ImageFont.load_default(), False


def _wrapped(text: str, font, width: int) -> list[str]:
    """``text`` as lines no wider than ``width`` pixels (broken between characters)."""
    lines, line = [], ""
    for ch in text:
        if line and font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines or [""]


def bar_chart_png(options: list[dict]) -> bytes | None:
    """A horizontal bar chart of the guarded counts (a hidden count draws no bar and reads <5)."""
    from PIL import Image, ImageDraw

    if not options or not any(o["count"] for o in options):
        return None
    font, cjk = _chart_font(22)
    label_width, bar_width, line_height = 300, 480, 28
    # Each label whole, wrapped onto as many lines as it needs within the label column (never cut off).
    labels = [_wrapped(option["label"] if cjk else str(option["code"]), font, label_width - 20) for option in options]
    heights = [max(40, 12 + line_height * len(lines)) for lines in labels]
    image = Image.new("RGB", (label_width + bar_width + 90, sum(heights) + 20), "white")
    draw = ImageDraw.Draw(image)
    top = max(o["count"] or 0 for o in options) or 1
    y = 10
    for i, option in enumerate(options):
        row = heights[i]
        for n, line in enumerate(labels[i]):
            draw.text((10, y + 6 + n * line_height), line, fill="#222", font=font)
        length = int(bar_width * (option["count"] or 0) / top)
        if length:
            draw.rectangle([label_width, y + 6, label_width + length, y + row - 8], fill="#1f5fa8")
        draw.text((label_width + length + 8, y + 6), _shown(option["count"]), fill="#444", font=font)
        y += row
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def export_docx(*, survey, questions, filters, crosstab: dict | None = None) -> HttpResponse:
    """The results report as a 公文 (summaries.docxstyle): 一、 overall, 二、 each question (1. …), 三、 the
    cross-tabulation; page numbers and the 落款 (the campaign's issuers and today's date)."""
    results = selectors.survey_results(survey=survey, questions=questions, filters=filters)
    document = OfficialDocument()
    document.title(f"{survey.title}结果报告")
    document.heading1("一、" + pgettext("survey report", "Overall"))
    if results.too_small:
        document.body(_("Fewer than 5 respondents match these filters, so no results are shown."))
    else:
        document.body(_("%(n)s young S&T workers answered the survey. Groups of fewer than 5 respondents are not "
                        "shown separately (shown as <5 or merged into “other”).") % {"n": results.respondents})
        document.heading1("二、" + _("Answers to each question"))
        for number, q in enumerate(results.questions, start=1):
            document.heading3(f"{number}. {q['text']}")
            if q["options"]:
                document.table([_("Answer"), _("Respondents"), _("Percent")],
                               [[o["label"], _shown(o["count"]), "" if o["percent"] is None else f"{o['percent']}%"]
                                for o in q["options"]])
                chart = bar_chart_png(q["options"])
                if chart:
                    document.picture(chart, width_mm=140)
                if q["multiple"]:
                    document.body(_("Several answers could be chosen, so the percentages add up to more than "
                                    "100%."))
            if q["mean"] is not None:
                document.body(_("Mean: %(mean)s (answered by %(n)s).") % {"mean": q["mean"], "n": q["answered"]})
            if q["kind"] in ("short_text", "long_text"):
                document.body(_("%(n)s written answers (see the raw data export).") % {"n": _shown(q["answered"])})
        if crosstab:
            document.heading1("三、" + _("%(target)s by %(by)s") % {"target": crosstab["target"]["text"],
                                                                   "by": crosstab["by"]["text"]})
            document.table([crosstab["by"]["text"], _("Respondents"), *[c["label"] for c in crosstab["columns"]]],
                           [[r["label"], _shown(r["size"]), *[_shown(c["count"]) for c in r["cells"]]]
                            for r in crosstab["rows"]])
    document.closing(survey.campaign.issuers, date_text(clock.today()))
    return _download(document.save(), f"{survey.slug}-report.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


EXPORTERS = {
    "xlsx": export_xlsx,
    "csv": export_csv,
    "codebook.csv": export_codebook_csv,
    "docx": export_docx,
}
