"""The campaign's publicity (notice 四(一), 五(二)): short videos by young S&T workers, 5·30 posters made from
templates, 倡议书 and commentary articles, and media coverage at campaign level. Every record belongs to its
campaign."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ClockDateTimeField


class VideoField(models.TextChoices):
    """The field of science or technology a video is about (for the gallery's filter)."""

    INFORMATION = "information", _("Information technology")
    MARINE = "marine", _("Marine science")
    LIFE = "life", _("Life and health")
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    ENERGY = "energy", _("Energy and materials")
    AGRICULTURE = "agriculture", _("Agriculture")
    POPULAR = "popular", _("Popular science")
    OTHER = "other", pgettext_lazy("video field", "Other")


class VideoState(models.TextChoices):
    PROCESSING = "processing", _("Transcoding")
    FAILED = "failed", _("Transcoding failed")
    SUBMITTED = "submitted", _("Awaiting review")
    APPROVED = "approved", _("Published")
    RETURNED = "returned", _("Returned")


class Video(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="videos")
    title = models.CharField(_("title"), max_length=100)
    author = models.CharField(_("author"), max_length=50)
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="videos")
    unit_name = models.CharField(_("unit name"), max_length=100)
    field = models.CharField(_("field"), max_length=20, choices=VideoField.choices)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    original = models.FileField(_("uploaded file"), max_length=255, blank=True)
    original_format = models.CharField(_("uploaded format"), max_length=100, blank=True)
    mp4 = models.ForeignKey("uploads.Asset", verbose_name=_("video"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    poster = models.ForeignKey("uploads.Asset", verbose_name=_("poster frame"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    duration = models.FloatField(_("duration in seconds"), default=0)
    progress = models.PositiveSmallIntegerField(_("transcoding progress (%)"), default=0)
    state = models.CharField(_("state"), max_length=20, choices=VideoState.choices, default=VideoState.PROCESSING,
                             db_index=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    consent = models.BooleanField(_("consent"), default=False)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    views = models.PositiveIntegerField(_("views"), default=0)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    published_at = models.DateTimeField(pgettext_lazy("time", "published"), null=True, blank=True)

    class Meta:
        verbose_name = _("short video")
        verbose_name_plural = _("short videos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "state", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:video", kwargs={"pk": self.pk})


class VideoLike(models.Model):
    """One like per device and video: only a keyed hash of the device id is kept."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="like_rows")
    device = models.CharField(max_length=64)
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["video", "device"], name="publicity_one_like_per_device")]

    def __str__(self):
        return f"{self.video_id}:{self.device[:8]}"


class PosterTemplate(models.Model):
    """An organiser's poster background and where the texts and the QR code go (in pixels of the background)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="poster_templates")
    name = models.CharField(_("name"), max_length=100)
    background = models.ForeignKey("uploads.Asset", verbose_name=_("background image"), on_delete=models.PROTECT,
                                   related_name="+")
    text_color = models.CharField(_("text colour"), max_length=7, default="#ffffff")
    unit_x = models.PositiveIntegerField(_("unit name: left"), default=60)
    unit_y = models.PositiveIntegerField(_("unit name: top"), default=120)
    unit_size = models.PositiveIntegerField(_("unit name: font size"), default=56)
    theme_x = models.PositiveIntegerField(_("theme: left"), default=60)
    theme_y = models.PositiveIntegerField(_("theme: top"), default=260)
    theme_size = models.PositiveIntegerField(_("theme: font size"), default=44)
    date_x = models.PositiveIntegerField(_("date: left"), default=60)
    date_y = models.PositiveIntegerField(_("date: top"), default=360)
    date_size = models.PositiveIntegerField(_("date: font size"), default=36)
    qr_x = models.PositiveIntegerField(_("QR code: left"), default=60)
    qr_y = models.PositiveIntegerField(_("QR code: top"), default=460)
    qr_size = models.PositiveIntegerField(_("QR code: size"), default=240)
    is_active = models.BooleanField(_("offered to units"), default=True)
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poster template")
        verbose_name_plural = _("poster templates")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class PosterTarget(models.TextChoices):
    ACTIVITIES = "activities", _("The unit's activities")
    CAMPAIGN = "campaign", _("The campaign")


class Poster(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="posters")
    template = models.ForeignKey(PosterTemplate, verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="posters")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="posters")
    theme = models.CharField(_("theme"), max_length=60)
    date_text = models.CharField(_("date"), max_length=40)
    target = models.CharField(_("QR code leads to"), max_length=20, choices=PosterTarget.choices)
    target_url = models.URLField(_("QR code address"), max_length=500)
    png = models.ForeignKey("uploads.Asset", verbose_name=_("PNG"), null=True, on_delete=models.SET_NULL,
                            related_name="+")
    pdf = models.ForeignKey("uploads.Asset", verbose_name=_("PDF"), null=True, on_delete=models.SET_NULL,
                            related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(_("made"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("poster")
        verbose_name_plural = _("posters")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.unit} · {self.theme}"


class Channel(models.TextChoices):
    WEBSITE = "website", _("Website")
    WECHAT = "wechat", _("WeChat official account")
    NEWSPAPER = "newspaper", _("Newspaper")


class ArticleKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative (倡议书)")
    COMMENTARY = "commentary", _("Commentary article")


class Article(models.Model):
    """A 倡议书 or commentary article a unit published on its own channel, or the city's own 倡议书 (no unit)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="articles")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="articles")
    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices)
    title = models.CharField(_("title"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    published_on = models.DateField(_("published on"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    text = models.TextField(pgettext_lazy("article", "text"), blank=True)
    pdf = models.ForeignKey("uploads.Asset", verbose_name=_("PDF"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    is_city = models.BooleanField(_("the city's own"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:article", kwargs={"pk": self.pk})


class CoverageLevel(models.TextChoices):
    CENTRAL = "central", _("Central media")
    PROVINCIAL = "provincial", _("Provincial media")
    CITY = "city", _("City media")
    DISTRICT = "district", _("District media")
    NEW_MEDIA = "new_media", _("New media")


class Coverage(models.Model):
    """One report about the campaign in the media, optionally about an activity, a winner or a video."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="coverage")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("recorded for unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="coverage")
    outlet = models.CharField(_("outlet"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=CoverageLevel.choices)
    published_on = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    reach = models.PositiveIntegerField(_("reach (readers or views)"), null=True, blank=True)
    activity = models.ForeignKey("activities.Activity", verbose_name=_("activity"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="campaign_coverage")
    nomination = models.ForeignKey("awards.Nomination", verbose_name=_("winner"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="coverage")
    video = models.ForeignKey(Video, verbose_name=_("short video"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="coverage")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return f"{self.outlet}: {self.title}"
