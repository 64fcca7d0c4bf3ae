"""Every write of publicity: the rules live here so the page and any other caller behave the same."""

import glob
import io
import tempfile
import uuid
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.permissions import can, require
from audit.services import audit_record
from core import clock, versioned_cache
from core.exceptions import next_state
from core.links import validate_link
from uploads.filetypes import PDF
from uploads.models import AssetUse
from uploads.services import asset_store

from . import media
from .models import (
    Article,
    ArticleKind,
    Channel,
    Coverage,
    CoverageLevel,
    Poster,
    PosterTarget,
    PosterTemplate,
    Video,
    VideoField,
    VideoLike,
    VideoState,
)

MB = 1024 * 1024


def video_max_seconds() -> int:
    return int(getattr(settings, "SCIDAY_VIDEO_MAX_SECONDS", 180))


def video_max_bytes() -> int:
    return int(getattr(settings, "SCIDAY_VIDEO_MAX_BYTES", 300 * MB))


# --- short videos ------------------------------------------------------------------------------------------------

VIDEO_TRANSITIONS: dict[tuple[str, str], str] = {
    (VideoState.SUBMITTED, "approve"): VideoState.APPROVED,
    (VideoState.SUBMITTED, "return"): VideoState.RETURNED,
    (VideoState.APPROVED, "return"): VideoState.RETURNED,  # taken down after publication, with a reason
}


def video_action_labels() -> dict[str, str]:
    return {"approve": _("Approve"), "return": _("Return")}


def _required(data: dict, names_labels) -> dict:
    errors = {}
    for name, label in names_labels:
        if not str(data.get(name) or "").strip():
            errors[name] = [_("Please fill in %(field)s.") % {"field": label}]
    return errors


def video_submit(*, campaign, data: dict, uploaded_file, actor=None, unit=None) -> Video:
    """Check a submitted video (fields, consent, size, and by content: a video container and codec, a
    duration within the cap), keep it and transcode it in the background. Raises ValidationError with every
    problem at once and stores nothing."""
    errors = _required(data, [("title", _("the title")), ("author", _("the author"))])
    if unit is None and not str(data.get("unit_name") or "").strip():
        errors["unit_name"] = [_("Please fill in %(field)s.") % {"field": _("the unit")}]
    if data.get("field") not in VideoField.values:
        errors["field"] = [_("Please choose the field.")]
    if not data.get("consent"):
        errors["consent"] = [_("Please confirm the consent line.")]
    if unit is not None and not can(actor, "publicity.unit", unit):
        errors["unit"] = [_("You can submit only for your own unit.")]
    if not media.ffmpeg_available():
        raise ValidationError(_("Video uploads are not available at the moment; please try again later."))
    if uploaded_file is None:
        errors["video"] = [_("Please choose a video file.")]
    elif uploaded_file.size > video_max_bytes():
        errors["video"] = [_("The video is too large: at most %(mb)d MB.") % {"mb": video_max_bytes() // MB}]

    with tempfile.TemporaryDirectory(prefix="sciday-video-") as folder:
        path, found = Path(folder) / "upload", None
        if "video" not in errors:
            with open(path, "wb") as out:
                for chunk in uploaded_file.chunks():
                    out.write(chunk)
            found = media.probe(path)
            if found is None:
                errors["video"] = [_("This file is not a video we can read. Please upload a video recorded by a "
                                     "phone or camera (MP4, MOV, MKV, WebM …).")]
            elif found.duration <= 0:
                errors["video"] = [_("The length of this video cannot be read.")]
            elif found.duration > video_max_seconds():
                errors["video"] = [
                    _("The video is %(seconds)d seconds long; at most %(max)d seconds are accepted.")
                    % {"seconds": round(found.duration), "max": video_max_seconds()}]
        if errors:
            raise ValidationError(errors)
        with open(path, "rb") as source, transaction.atomic():
            name = default_storage.save(f"publicity/originals/{uuid.uuid4().hex}", File(source))
            video = Video.objects.create(
                campaign=campaign, title=data["title"].strip()[:100], author=data["author"].strip()[:50],
                unit=unit, unit_name=(unit.name if unit else data["unit_name"].strip())[:100],
                field=data["field"], description=str(data.get("description") or "").strip()[:1000],
                original=name, original_format=f"{found.container} / {found.video_codec}"[:100],
                duration=found.duration, consent=True, state=VideoState.PROCESSING,
                submitted_by=actor if getattr(actor, "is_authenticated", False) else None)
            audit_record(action="publicity.video.submitted", actor=actor, obj=video,
                         actor_name="" if getattr(actor, "is_authenticated", False) else _("public submission"),
                         changes={"state": [None, video.state], "format": video.original_format,
                                  "duration": round(found.duration, 1)})
            from .tasks import video_transcode_task

            transaction.on_commit(lambda: video_transcode_task.enqueue(video.pk))
    return video


def video_transcode(*, video: Video) -> Video:
    """Make the H.264/AAC MP4 and the poster frame of a video (the worker runs this); the video then awaits review."""
    if video.state != VideoState.PROCESSING or not video.original:
        return video
    with tempfile.TemporaryDirectory(prefix="sciday-transcode-") as folder:
        source, target, frame = Path(folder) / "source", Path(folder) / "out.mp4", Path(folder) / "poster.jpg"
        with default_storage.open(video.original.name, "rb") as stored, open(source, "wb") as out:
            for chunk in stored.chunks():
                out.write(chunk)

        def progress(percent: int) -> None:
            Video.objects.filter(pk=video.pk).update(progress=percent)

        try:
            media.transcode(source, target, duration=video.duration, on_progress=progress)
            media.poster_frame(target, frame, duration=video.duration)
        except RuntimeError as error:
            Video.objects.filter(pk=video.pk).update(state=VideoState.FAILED)
            audit_record(action="publicity.video.transcode_failed", obj=video, actor_name=_("transcoder"),
                         changes={"state": [VideoState.PROCESSING, VideoState.FAILED], "error": str(error)[:300]})
            video.refresh_from_db()
            return video
        found = media.probe(target)
        with open(target, "rb") as mp4_file, open(frame, "rb") as jpg_file:
            mp4 = asset_store(uploaded_file=File(mp4_file, name="video.mp4"), use=AssetUse.VIDEO,
                              owner=video.submitted_by, unit=video.unit)
            poster = asset_store(uploaded_file=File(jpg_file, name="poster.jpg"), use=AssetUse.IMAGE,
                                 owner=video.submitted_by, unit=video.unit)
    with transaction.atomic():
        original = video.original.name
        video.mp4, video.poster, video.progress = mp4, poster, 100
        video.duration = found.duration if found else video.duration
        video.state, video.original = VideoState.SUBMITTED, ""
        video.save(update_fields=["mp4", "poster", "progress", "duration", "state", "original"])
        audit_record(action="publicity.video.transcoded", obj=video, actor_name=_("transcoder"),
                     changes={"state": [VideoState.PROCESSING, VideoState.SUBMITTED], "mp4": mp4.size})
        transaction.on_commit(lambda: default_storage.delete(original))
    return video


def video_review(*, actor, video: Video, action: str, reason: str = "") -> Video:
    """Approve or return a video (organisers); a return needs a reason. Audited."""
    require(actor, "publicity.manage")
    reason = (reason or "").strip()
    if action == "return" and not reason:
        raise ValidationError({"reason": [_("Please give the reason for the return.")]})
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        before = video.state
        target = next_state(VIDEO_TRANSITIONS, state=before, action=action, labels=dict(VideoState.choices),
                            action_labels=video_action_labels())
        video.state = target
        fields = ["state"]
        if target == VideoState.APPROVED:
            video.published_at, video.return_reason = clock.now(), ""
            fields += ["published_at", "return_reason"]
        else:
            video.return_reason, video.featured = reason[:500], False
            fields += ["return_reason", "featured"]
        video.save(update_fields=fields)
        for asset in (video.mp4, video.poster):
            if asset is not None:
                asset.is_public = target == VideoState.APPROVED
                asset.save(update_fields=["is_public"])
        audit_record(action=f"publicity.video.{action}", actor=actor, obj=video,
                     changes={"state": [before, target], **({"reason": reason} if reason else {})})
    return video


def video_feature(*, actor, video: Video, featured: bool) -> Video:
    require(actor, "publicity.manage")
    if featured and video.state != VideoState.APPROVED:
        raise ValidationError(_("Only a published video can be featured on the home page."))
    if video.featured != featured:
        Video.objects.filter(pk=video.pk).update(featured=featured)
        audit_record(action="publicity.video.featured" if featured else "publicity.video.unfeatured",
                     actor=actor, obj=video, changes={"featured": [video.featured, featured]})
        versioned_cache.bump(versioned_cache.CAMPAIGNS)  # the public home shows the featured videos
        video.featured = featured
    return video


def video_like(*, video: Video, device: str) -> bool:
    """One like per device (a keyed hash of it); True if this was a new like."""
    from core.device import device_hash

    if video.state != VideoState.APPROVED:
        return False
    try:
        with transaction.atomic():
            VideoLike.objects.create(video=video, device=device_hash("publicity.like", video.pk, device))
    except IntegrityError:
        return False
    Video.objects.filter(pk=video.pk).update(likes=F("likes") + 1)
    return True


def video_viewed(*, video: Video) -> None:
    Video.objects.filter(pk=video.pk).update(views=F("views") + 1)


# --- posters -----------------------------------------------------------------------------------------------------

TEMPLATE_POSITIONS = ("unit_x", "unit_y", "unit_size", "theme_x", "theme_y", "theme_size", "date_x", "date_y",
                      "date_size", "qr_x", "qr_y", "qr_size")


def poster_font_path() -> str:
    configured = getattr(settings, "SCIDAY_POSTER_FONT", "")
    if configured:
        return configured
    found = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK-Bold.ttc", recursive=True)
                   + glob.glob("/usr/share/fonts/**/NotoSansCJK*.ttc", recursive=True))
    if not found:
        raise ValidationError(_("The Chinese font for posters is not installed (fonts-noto-cjk)."))
    return found[0]


def poster_template_create(*, actor, campaign, name: str, background_file, positions: dict,
                           text_color: str = "#ffffff") -> PosterTemplate:
    require(actor, "publicity.manage")
    if not (name or "").strip():
        raise ValidationError({"name": [_("Please fill in %(field)s.") % {"field": _("the name")}]})
    if background_file is None:
        raise ValidationError({"background": [_("Please choose the background image.")]})
    with transaction.atomic():
        background = asset_store(uploaded_file=background_file, use=AssetUse.IMAGE, owner=actor, is_public=True)
        template = PosterTemplate.objects.create(
            campaign=campaign, name=name.strip()[:100], background=background, text_color=text_color or "#ffffff",
            **{k: int(v) for k, v in positions.items() if k in TEMPLATE_POSITIONS and v is not None})
        audit_record(action="publicity.poster_template.created", actor=actor, obj=template,
                     changes={"name": template.name})
    return template


def poster_target_url(*, campaign, unit, target: str, base_url: str) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    if target == PosterTarget.ACTIVITIES:
        return f"{base_url}{reverse('activities:list')}?{urlencode({'q': unit.name})}"
    return f"{base_url}{reverse('public:campaign', kwargs={'slug': campaign.slug})}"


def poster_render(*, template: PosterTemplate, unit_name: str, theme: str, date_text: str, url: str):
    """The poster as a Pillow image: the background, the three texts and the QR code where the template says."""
    from PIL import Image, ImageDraw, ImageFont

    with template.background.file.open("rb") as handle:
        image = Image.open(handle).convert("RGB")
    draw = ImageDraw.Draw(image)
    font = poster_font_path()
    for text, x, y, size in ((unit_name, template.unit_x, template.unit_y, template.unit_size),
                             (theme, template.theme_x, template.theme_y, template.theme_size),
                             (date_text, template.date_x, template.date_y, template.date_size)):
        draw.text((x, y), text, font=ImageFont.truetype(font, size, index=2), fill=template.text_color)
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    qr = Image.open(buffer).convert("RGB").resize((template.qr_size, template.qr_size), Image.NEAREST)
    image.paste(qr, (template.qr_x, template.qr_y))
    return image


def poster_make(*, actor, template: PosterTemplate, unit, theme: str, date_text: str, target: str,
                base_url: str) -> Poster:
    """A unit's poster as PNG (WeChat) and PDF (print), both public, shown in the gallery."""
    require(actor, "publicity.unit", unit)
    errors = _required({"theme": theme, "date_text": date_text}, [("theme", _("the theme")),
                                                                  ("date_text", _("the date"))])
    if target not in PosterTarget.values:
        errors["target"] = [_("Please choose where the QR code leads.")]
    if not template.is_active:
        errors["template"] = [_("This template is not offered.")]
    if errors:
        raise ValidationError(errors)
    url = poster_target_url(campaign=template.campaign, unit=unit, target=target, base_url=base_url)
    image = poster_render(template=template, unit_name=unit.name, theme=theme.strip(), date_text=date_text.strip(),
                          url=url)
    png, pdf = io.BytesIO(), io.BytesIO()
    image.save(png, "PNG")
    image.save(pdf, "PDF", resolution=150.0)
    with transaction.atomic():
        png_asset = asset_store(uploaded_file=ContentFile(png.getvalue(), name="poster.png"), use=AssetUse.IMAGE,
                                owner=actor, unit=unit, is_public=True)
        pdf_asset = asset_store(uploaded_file=ContentFile(pdf.getvalue(), name="poster.pdf"),
                                use=AssetUse.DOCUMENT, owner=actor, unit=unit, is_public=True)
        poster = Poster.objects.create(campaign=template.campaign, template=template, unit=unit,
                                       theme=theme.strip()[:60], date_text=date_text.strip()[:40], target=target,
                                       target_url=url, png=png_asset, pdf=pdf_asset, created_by=actor)
        audit_record(action="publicity.poster.made", actor=actor, obj=poster,
                     changes={"unit": unit.name, "target_url": url})
    return poster


# --- articles ----------------------------------------------------------------------------------------------------

def article_register(*, actor, campaign, data: dict, pdf_file=None, unit=None, city: bool = False) -> Article:
    """A unit registers what it published on its own channel, or organisers publish the city's own 倡议书."""
    if city:
        require(actor, "publicity.manage")
        unit = None
    else:
        if unit is None:
            raise ValidationError({"unit": [_("Please choose the unit.")]})
        require(actor, "publicity.unit", unit)
    errors = _required(data, [("title", _("the title"))])
    kind = ArticleKind.INITIATIVE if city else data.get("kind")
    if kind not in ArticleKind.values:
        errors["kind"] = [_("Please choose the kind.")]
    channel = "" if city else data.get("channel")
    if not city and channel not in Channel.values:
        errors["channel"] = [_("Please choose the channel.")]
    if not data.get("published_on"):
        errors["published_on"] = [_("Please give the date.")]
    try:
        link = validate_link(data.get("link"))
    except ValidationError as error:
        errors["link"] = error.messages
        link = ""
    text = str(data.get("text") or "").strip()
    if not (link or text or pdf_file):
        errors["text"] = [_("Give the link, the text or a PDF.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pdf = None
        if pdf_file is not None:
            pdf = asset_store(uploaded_file=pdf_file, use=AssetUse.DOCUMENT, owner=actor, unit=unit, is_public=True)
            if pdf.content_type != PDF:
                raise ValidationError({"pdf": [_("Only a PDF is accepted here.")]})
        article = Article.objects.create(campaign=campaign, unit=unit, kind=kind, title=data["title"].strip()[:200],
                                         channel=channel or "", published_on=data["published_on"], link=link,
                                         text=text, pdf=pdf, is_city=city, created_by=actor)
        audit_record(action="publicity.article.registered", actor=actor, obj=article,
                     changes={"kind": kind, "channel": channel, "unit": unit.name if unit else None})
    return article


# --- media coverage ----------------------------------------------------------------------------------------------

def coverage_record(*, actor, campaign, data: dict, unit=None) -> Coverage:
    """Record one report about the campaign; units record their own, organisers any (with or without a unit)."""
    if unit is None:
        require(actor, "publicity.manage")
    else:
        require(actor, "publicity.unit", unit)
    errors = _required(data, [("outlet", _("the outlet")), ("title", _("the title"))])
    if data.get("level") not in CoverageLevel.values:
        errors["level"] = [_("Please choose the level.")]
    if not data.get("published_on"):
        errors["published_on"] = [_("Please give the date.")]
    try:
        link = validate_link(data.get("link"))
    except ValidationError as error:
        errors["link"] = error.messages
        link = ""
    reach = data.get("reach")
    if reach not in (None, "") and (not str(reach).isdigit() or int(reach) > 2_000_000_000):
        errors["reach"] = [_("The reach is a whole number.")]
    for name in ("activity", "nomination", "video"):
        related = data.get(name)
        owner = related.selection.campaign_id if name == "nomination" and related is not None else getattr(
            related, "campaign_id", campaign.pk)
        if related is not None and owner != campaign.pk:
            errors[name] = [_("This belongs to another campaign.")]
    video = data.get("video")
    if video is not None and video.state != VideoState.APPROVED:
        errors["video"] = [_("Only a published video can be linked.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        coverage = Coverage.objects.create(
            campaign=campaign, unit=unit, outlet=data["outlet"].strip()[:100], level=data["level"],
            published_on=data["published_on"], title=data["title"].strip()[:200], link=link,
            reach=int(reach) if reach not in (None, "") else None, activity=data.get("activity"),
            nomination=data.get("nomination"), video=video, created_by=actor)
        audit_record(action="publicity.coverage.recorded", actor=actor, obj=coverage,
                     changes={"outlet": coverage.outlet, "level": coverage.level, "unit": unit.name if unit else None})
    return coverage


def coverage_delete(*, actor, coverage: Coverage) -> None:
    if coverage.unit is None or not can(actor, "publicity.unit", coverage.unit):
        require(actor, "publicity.manage")
    audit_record(action="publicity.coverage.deleted", actor=actor, obj=coverage, changes={"title": coverage.title})
    coverage.delete()

