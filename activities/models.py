"""Activities 活动: what the units hold for the campaign, from registration to upward recommendation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import ClockDateTimeField


class Mode(models.TextChoices):
    """How an activity is held."""

    ONLINE = "online", _("Online")  # 线上
    OFFLINE = "offline", _("Offline")  # 线下
    HYBRID = "hybrid", _("Online and offline")  # 线上线下


class State(models.TextChoices):
    """Where an activity stands in its lifecycle (see services.TRANSITIONS)."""

    DRAFT = "draft", _("Draft")  # 草稿
    SUBMITTED = "submitted", _("Submitted")  # 已提交
    RETURNED = "returned", _("Returned for changes")  # 退回修改
    APPROVED = "approved", _("Approved")  # 已通过
    HELD = "held", _("Held")  # 已举办
    RECOMMENDED = "recommended", _("Recommended")  # 推荐
    RECOMMENDED_UP = "recommended_up", _("Recommended upward")  # 上报
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


class Audience(models.TextChoices):
    """Who an activity is for."""

    YOUNG_WORKERS = "young_workers", _("Young S&T workers")  # 青年科技工作者
    WORKERS = "workers", _("S&T workers")  # 科技工作者
    YOUTH = "youth", _("Young people")  # 青少年
    ELDERLY = "elderly", _("Elderly people")  # 老年人
    RESIDENTS = "residents", _("Community residents")  # 社区居民
    RURAL = "rural", _("Rural residents")  # 农村群众
    EMPLOYEES = "employees", _("Company employees")  # 企业职工
    STUDENTS = "students", _("Students")  # 学生
    PUBLIC = "public", _("General public")  # 社会公众


class PlanKind(models.TextChoices):
    """The three plans an offline activity must carry before it is submitted."""

    EPIDEMIC = "epidemic", _("Epidemic-prevention plan")  # 疫情防控预案
    SECURITY = "security", _("Security plan")  # 安保方案
    EMERGENCY = "emergency", _("Emergency plan")  # 应急预案


# States in which the unit may change the details (an approved activity then goes back to review).
EDITABLE_STATES = {State.DRAFT, State.RETURNED, State.APPROVED}
# States whose activities have been approved at least once and are shown publicly.
# Approved at least once and not cancelled: what the dashboard counts and its lists filter (state=counted).
APPROVED_STATES = (State.APPROVED, State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP)
COUNTED = "counted"
PUBLIC_STATES = {State.APPROVED, State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP, State.CANCELLED}


class Activity(models.Model):
    """One activity a unit reports for a campaign (活动), with its review and outcome."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="activities")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("host unit"), on_delete=models.PROTECT,
                             related_name="activities")
    category = models.ForeignKey("campaigns.Category", verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="activities")
    form = models.ForeignKey("campaigns.ActivityForm", verbose_name=_("form"), on_delete=models.PROTECT,
                             related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, db_index=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    district = models.ForeignKey("organisations.District", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="activities")
    address = models.CharField(_("address"), max_length=200, blank=True)
    platform = models.CharField(_("online platform"), max_length=100, blank=True)
    link = models.URLField(_("online link"), max_length=500, blank=True)
    audiences = models.JSONField(_("target audiences"), default=list, blank=True)
    expected_participants = models.PositiveIntegerField(_("expected participants"), default=0)
    joint_st_week = models.BooleanField(_("joint S&T Week activity"), default=False, db_index=True)
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    show_contact_phone = models.BooleanField(_("show the contact phone publicly"), default=False)
    description = models.TextField(_("description"), blank=True)
    cover = models.ForeignKey("uploads.Asset", verbose_name=_("cover image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    partner_units = models.CharField(_("partner units"), max_length=300, blank=True)
    frugality_pledge = models.BooleanField(_("frugality pledge"), default=False)

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The activity as the organisers last reviewed it (approved or returned): what a resubmission changed
    # is shown to the reviewer against it (services.review_changes).
    reviewed_snapshot = models.JSONField(_("as last reviewed"), null=True, blank=True, editable=False)
    published = models.JSONField(_("published version"), null=True, blank=True,
                                 help_text=_("The public fields as last approved."))
    # The searchable and sortable part of ``published``, as columns written with it at approval: the public
    # list, calendar and API filter on these, never on the live values (which may be under a new review).
    public_title = models.CharField(_("published title"), max_length=200, blank=True)
    public_unit = models.CharField(_("published host unit"), max_length=200, blank=True)
    public_venue = models.CharField(_("published address"), max_length=200, blank=True)
    public_category = models.ForeignKey("campaigns.Category", verbose_name=_("published category"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    public_district = models.ForeignKey("organisations.District", verbose_name=_("published district"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    public_mode = models.CharField(_("published mode"), max_length=10, blank=True)
    public_starts_at = models.DateTimeField(_("published start"), null=True, blank=True)
    public_ends_at = models.DateTimeField(_("published end"), null=True, blank=True)
    public_joint_st_week = models.BooleanField(_("published joint S&T Week flag"), default=False)
    public_cover = models.CharField(_("published cover"), max_length=36, blank=True,
                                    help_text=_("The public id of the cover image as last approved."))

    actual_participants = models.PositiveIntegerField(_("actual participants"), null=True, blank=True)
    online_views = models.PositiveIntegerField(_("online views"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    video = models.ForeignKey("uploads.Asset", verbose_name=_("video"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    checkin_open = models.BooleanField(_("check-in open"), default=True)
    checkin_nonce = models.PositiveIntegerField(_("check-in code version"), default=0)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["campaign", "state", "starts_at"]),
            models.Index(fields=["state", "submitted_at", "id"], name="activity_review_order"),
            # The public list's order; only published activities have a public start.
            models.Index(fields=["public_starts_at", "id"], name="activity_public_order",
                         condition=models.Q(public_starts_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lte=models.F("ends_at")),
                                   name="activity_times_ordered"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:manage_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def is_offline(self) -> bool:
        return self.mode in (Mode.OFFLINE, Mode.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.HYBRID)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class ActivityPlan(models.Model):
    """One of the three plans of an offline activity; private to the unit and the organisers."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    asset = models.ForeignKey("uploads.Asset", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity plan")
        verbose_name_plural = _("activity plans")
        ordering = ["activity", "kind"]
        constraints = [models.UniqueConstraint(fields=["activity", "kind"], name="unique_activity_plan")]

    def __str__(self):
        return f"{self.activity} · {self.get_kind_display()}"


class ActivityPhoto(models.Model):
    """A photo of a held activity, reported with its outcome."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    asset = models.ForeignKey("uploads.Asset", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    is_highlight = models.BooleanField(_("highlight"), default=False,
                                       help_text=_("Starred: shown first on the public page, marked as a highlight."))
    created_at = ClockDateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "id"]

    def __str__(self):
        return str(self.asset)


class MediaCoverage(models.Model):
    """A media report about an activity (媒体报道): outlet, title, link and date."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="coverage")
    outlet = models.CharField(_("outlet"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")
        ordering = ["activity", "date", "id"]

    def __str__(self):
        return f"{self.outlet}: {self.title}"


class CheckIn(models.Model):
    """One person's check-in 签到 at an offline activity: by QR code from their own phone (one person per
    phone number and per device), or added by the host unit on the check-in list (补签, for people without
    a phone; counted apart)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="checkins")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    # Keyed hash of the browser's device id for this activity (core.device); empty for 补签.
    device_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    is_manual = models.BooleanField(_("added by the host"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("added by"))
    created_at = ClockDateTimeField(_("checked in"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phone"], condition=~models.Q(phone=""),
                                    name="unique_checkin_phone_given"),
            models.UniqueConstraint(fields=["activity", "device_hash"], condition=models.Q(device_hash__isnull=False),
                                    name="unique_checkin_device"),
        ]

    def __str__(self):
        return f"{self.name} @ {self.activity}"
