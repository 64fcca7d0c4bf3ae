"""Files of the selection: the 推荐表 and committee list and notice (.docx, 公文 fonts), the unit's 汇总表 and the
ranking (.xlsx), the winner's poster (.png). Every download is audited; the ID number and mobile are masked
unless the user holds ``awards.reveal_personal``."""

import datetime
import io
import textwrap
from pathlib import Path
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from PIL import Image, ImageDraw, ImageFont

from accounts.permissions import can, is_organiser, require, unit_ids
from audit.services import audit_record
from core import clock
from core.spreadsheets import sheet_append
from core.xlsx_stream import fitted_widths
from summaries.docxstyle import OfficialDocument, date_text

from . import personal, selectors
from .models import Nomination, Selection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CJK_FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"]


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _audit(user, obj, kind: str, revealed: bool) -> None:
    audit_record(action="awards.export.downloaded", actor=user, obj=obj,
                 changes={"export": kind, "personal_revealed": revealed})


# --- Word ----------------------------------------------------------------------------------------------

def _document(title: str) -> OfficialDocument:
    """A 公文 (summaries.docxstyle: GB/T 9704-2012 page, grid, fonts, page numbers odd right / even left)."""
    document = OfficialDocument()
    document.title(title)
    return document


def _body(document: OfficialDocument, text: str) -> None:
    document.body(text)


def _heading(document: OfficialDocument, text: str) -> None:
    """A 1.-level heading (仿宋, bold), kept with the paragraph after it."""
    document.heading3(text)


def _table(document: OfficialDocument, rows: list[list[str]], header: bool = True) -> None:
    document.table(rows[0], rows[1:], header_row=header)


def _save(document: OfficialDocument) -> bytes:
    return document.save()


def _closing(document: OfficialDocument, selection: Selection) -> None:
    """落款: the campaign's issuers and today's date."""
    document.closing(selection.campaign.issuers, date_text(clock.today()))


def nomination_docx(nomination: Nomination, *, reveal: bool) -> bytes:
    document = _document(f"{nomination.selection.campaign.year}年“{nomination.selection.title}”推荐表")
    birth = nomination.birth_date.strftime("%Y年%m月") if nomination.birth_date else ""
    rows = [
        [_("nominee's name"), nomination.name, _("gender"), nomination.get_gender_display()],
        [_("date of birth"), birth, _("ethnicity"), nomination.ethnicity],
        [_("political status"), nomination.political_status, _("field of work"), nomination.field],
        [_("workplace"), selectors.workplace(nomination), _("position and title"), nomination.position],
        [_("mobile number"), personal.nominee_mobile(nomination, reveal=reveal),
         _("ID number"), personal.nominee_id_number(nomination, reveal=reveal)],
    ]
    _table(document, rows, header=False)
    for label, text in ((_("main achievements"), nomination.achievements), (_("honours"), nomination.honours),
                        (_("opinion of the nominating unit"), nomination.unit_opinion)):
        _heading(document, label)
        _body(document, text)
    _body(document, f"{_('nominating unit')}：{nomination.unit.name}（盖章）")
    return _save(document)


def nomination_docx_response(*, user, nomination: Nomination) -> HttpResponse:
    require(user, "nomination.view", nomination)
    reveal = can(user, "awards.reveal_personal", nomination)
    _audit(user, nomination, "nomination.docx", reveal)
    return _download(nomination_docx(nomination, reveal=reveal), f"推荐表-{nomination.name}.docx", DOCX)


def committee_docx(selection: Selection, *, reveal: bool) -> bytes:
    document = _document(f"{selection.campaign.year}年“{selection.title}”评审结果（提交评审委员会）")
    rows = [[_("Rank"), _("nominee's name"), _("workplace"), _("position and title"), _("combined score"),
             _("number of reviews")]]
    for row in selectors.ranking(selection):
        n = row.nomination
        rows.append([f"{row.rank}{'（并列）' if row.tied else ''}", n.name, selectors.workplace(n), n.position,
                     str(row.score), str(len(row.totals))])
    if len(rows) > 1:
        _table(document, rows)
    if selection.decision_reason:
        _heading(document, _("reason for departing from the ranking"))
        _body(document, selection.decision_reason)
    _closing(document, selection)
    return _save(document)


def committee_docx_response(*, user, selection: Selection) -> HttpResponse:
    require(user, "awards.manage")
    reveal = can(user, "awards.reveal_personal")
    _audit(user, selection, "committee.docx", reveal)
    return _download(committee_docx(selection, reveal=reveal),
                     f"{selection.campaign.year}年{selection.title}评审结果（排名）.docx", DOCX)


def default_notice_text(selection: Selection) -> str:
    return (f"经单位推荐、资格审查、专家评审和评审委员会审定，拟确定以下同志为{selection.campaign.year}年"
            f"“{selection.title}”。现予以公示，公示期为{selection.notice_working_days}个工作日。公示期间，"
            "任何单位和个人如有异议，请以书面形式实名反映，并提供联系方式和必要的证明材料。")


def default_announcement(selection: Selection) -> str:
    return (f"经公示无异议，{selection.campaign.year}年“{selection.title}”名单正式发布。希望受到表彰的同志"
            "珍惜荣誉、再接再厉，广大科技工作者以他们为榜样，创新争先、自立自强。")


def notice_docx(selection: Selection) -> bytes:
    document = _document(f"关于{selection.campaign.year}年“{selection.title}”拟推选对象的公示")
    _body(document, selection.notice_text or default_notice_text(selection))
    if selection.notice_start:
        _body(document, f"公示时间：{selection.notice_start:%Y年%-m月%-d日}至{selection.notice_end:%Y年%-m月%-d日}")
    for i, n in enumerate(selectors.finalists(selection).order_by("name"), start=1):
        _heading(document, f"{i}. {n.name}　{selectors.workplace(n)}{n.position}")
        _body(document, n.deeds_summary)
    _body(document, objection_text(selection))
    _closing(document, selection)
    return _save(document)


def objection_text(selection: Selection) -> str:
    """Where and how to object: to whom (the campaign's first contact and its office), by which means, until
    when (the notice's last day)."""
    contact = selection.campaign.contacts.select_related("office").first()
    parts = ["公示期间如有异议，请以书面形式实名反映（单位提出异议的须加盖公章），并提供联系方式和必要的证明材料"]
    if selection.notice_end:
        parts.append(f"，于{date_text(selection.notice_end)}17:00前")
    if contact is not None:
        where = "".join(x for x in (contact.office.organisation, contact.office.name) if x)
        parts.append(f"送达或寄送{where}。联系人：{contact.person}，电话：{contact.phone}")
        if contact.email:
            parts.append(f"，电子邮箱：{contact.email}")
    return "".join(parts) + "。"


def notice_docx_response(*, user, selection: Selection) -> HttpResponse:
    require(user, "awards.manage")
    _audit(user, selection, "notice.docx", False)
    return _download(notice_docx(selection), "公示.docx", DOCX)


# --- Excel ---------------------------------------------------------------------------------------------

# How a date cell shows: 出生年月 as on the 推荐表 (1985年07月), other dates in full.
MONTH_FORMAT = 'yyyy"年"mm"月"'
DATE_FORMAT = "yyyy-mm-dd"


def _xlsx(sheets: list[tuple[str, list[list]]], *, month_columns=(), text_columns=()) -> bytes:
    """Sheets with the header row bold and frozen and the columns as wide as their contents; texts (ID numbers,
    phones) stay text, numbers numbers, dates date cells. ``month_columns`` (headers) show a date as its year and
    month; ``text_columns`` (headers) are formatted as text, so that a number typed into them stays text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet_append(sheet, row)  # text typed by the units is never a formula ("=…" stays text)
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = fitted_widths(rows[0], rows[1:])
        for index, header in enumerate(rows[0]):
            letter = get_column_letter(index + 1)
            if header in month_columns:
                widths[index] = max(widths[index], 12)
            sheet.column_dimensions[letter].width = widths[index]
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                if header in text_columns:
                    cell.number_format = "@"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = MONTH_FORMAT if header in month_columns else DATE_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summary_rows(nominations, *, reveal: bool) -> list[list]:
    rows = [[_("nominating unit"), _("nominee's name"), _("gender"), _("date of birth"), _("ethnicity"),
             _("political status"), _("workplace"), _("position and title"), _("field of work"),
             _("mobile number"), _("ID number"), _("nomination status")]]
    for n in nominations:
        rows.append([n.unit.name, n.name, n.get_gender_display(), n.birth_date,
                     n.ethnicity, n.political_status, selectors.workplace(n), n.position, n.field,
                     personal.nominee_mobile(n, reveal=reveal), personal.nominee_id_number(n, reveal=reveal),
                     n.get_status_display()])
    return rows


def summary_xlsx_response(*, user, selection: Selection) -> HttpResponse:
    """The unit's 汇总表 (a coordinator: their units; an organiser: every unit)."""
    require(user, "awards.view")
    nominations = selectors.nominations_visible(user=user, selection=selection)
    if not is_organiser(user) and not unit_ids(user):
        nominations = nominations.none()
    reveal = can(user, "awards.reveal_personal")
    _audit(user, selection, "summary.xlsx", reveal)
    content = _xlsx([("汇总表", summary_rows(nominations, reveal=reveal))], month_columns=(_("date of birth"),),
                    text_columns=(_("mobile number"), _("ID number")))
    return _download(content, f"{selection.title}推荐汇总表.xlsx", XLSX)


def ranking_xlsx_response(*, user, selection: Selection) -> HttpResponse:
    require(user, "awards.manage")
    reveal = can(user, "awards.reveal_personal")
    rows = [[_("Rank"), _("tie"), _("nominee's name"), _("nominating unit"), _("combined score"), _("experts' totals"),
             _("reviews complete"), _("nomination status")]]
    for row in selectors.ranking(selection):
        rows.append([row.rank, "是" if row.tied else "", row.nomination.name, row.nomination.unit.name,
                     float(row.score), "、".join(str(t) for t in row.totals), "是" if row.complete else "否",
                     row.nomination.get_status_display()])
    scores = [[_("nominee's name"), _("expert"), _("criterion"), _("score")]]
    from .models import Score

    for score in (Score.objects.filter(assignment__nomination__selection=selection)
                  .select_related("assignment__nomination", "assignment__expert", "criterion")
                  .order_by("assignment__nomination__name", "assignment__expert__username", "criterion__order")):
        scores.append([score.assignment.nomination.name, str(score.assignment.expert), score.criterion.name,
                       float(score.value)])
    _audit(user, selection, "ranking.xlsx", reveal)
    return _download(_xlsx([("排名", rows), ("评分明细", scores)]), "评审排名.xlsx", XLSX)


# --- poster --------------------------------------------------------------------------------------------

def _poster_font(size: int):
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def poster_png(nomination: Nomination) -> bytes:
    """A 1080×1600 poster: the exhibition's title, the winner's photo, name, workplace and deeds."""
    width, height = 1080, 1600
    image = Image.new("RGB", (width, height), (176, 30, 36))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, width - 40, height - 40), outline=(240, 200, 120), width=6)
    draw.text((width // 2, 130), "榜样的力量", font=_poster_font(84), fill=(250, 220, 150), anchor="mm")
    draw.text((width // 2, 230), "最美科技工作者风采展", font=_poster_font(52), fill="white", anchor="mm")
    photo_box = (width // 2 - 220, 320, width // 2 + 220, 880)
    if nomination.id_photo_id and nomination.consent_publish:
        try:
            with nomination.id_photo.file.open("rb") as handle, Image.open(handle) as photo:
                photo = photo.convert("RGB")
                photo.thumbnail((photo_box[2] - photo_box[0], photo_box[3] - photo_box[1]))
                image.paste(photo, (width // 2 - photo.width // 2, photo_box[1]))
        except (OSError, ValueError):
            draw.rectangle(photo_box, fill=(220, 220, 220))
    else:
        draw.rectangle(photo_box, fill=(220, 220, 220))
    draw.text((width // 2, 960), nomination.name, font=_poster_font(80), fill="white", anchor="mm")
    draw.text((width // 2, 1050), f"{selectors.workplace(nomination)} {nomination.position}"[:40],
              font=_poster_font(36), fill=(250, 230, 200), anchor="mm")
    y = 1130
    for line in textwrap.wrap(nomination.deeds_summary, 24)[:8]:
        draw.text((100, y), line, font=_poster_font(36), fill="white")
        y += 52
    draw.text((width // 2, height - 100), f"{nomination.selection.campaign.year}年{nomination.selection.title}",
              font=_poster_font(36), fill=(250, 220, 150), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
