"""Summaries 活动总结: each unit's electronic summary of its campaign, routed to an office, and the
city's consolidated report built from them; plus the generic background export machinery."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField


class SummaryState(models.TextChoices):
    """Where a unit's summary stands (see services.TRANSITIONS)."""

    DRAFT = "draft", _("Summary draft")  # 草稿
    SUBMITTED = "submitted", _("Summary submitted")  # 已报送
    RETURNED = "returned", _("Summary returned for revision")  # 退回修改
    ACCEPTED = "accepted", _("Summary accepted")  # 已采用


class AttachmentKind(models.TextChoices):
    """What a summary attachment is."""

    PHOTO = "photo", _("Summary photo")  # 照片
    VIDEO = "video", _("Summary video")  # 视频
    DOCUMENT = "document", _("Summary document")  # 文字材料


class Summary(models.Model):
    """One unit's electronic summary of one campaign (活动总结), written in the notice's sections."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="summaries")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="summaries")
    office = models.ForeignKey("organisations.Office", verbose_name=_("receiving office"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="summaries",
                               help_text=_("The office the campaign's routing rules name for the unit's type."))
    state = models.CharField(_("state"), max_length=20, choices=SummaryState.choices, default=SummaryState.DRAFT,
                             db_index=True)
    work_done = models.TextField(_("activities carried out"), blank=True)  # 活动开展情况
    results = models.TextField(_("results achieved"), blank=True)  # 工作成效
    experience = models.TextField(_("typical experience"), blank=True)  # 典型经验
    suggestions = models.TextField(_("opinions and suggestions"), blank=True)  # 意见建议
    return_reason = models.TextField(_("reason for return"), blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("unit summary")
        verbose_name_plural = _("unit summaries")
        ordering = ["campaign", "unit__unit_type", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="unique_summary_per_unit")]
        indexes = [models.Index(fields=["campaign", "office", "state"])]

    def __str__(self):
        return f"{self.unit} · {self.campaign.year}"

    def get_absolute_url(self) -> str:
        return reverse("summaries:edit", args=[self.campaign.slug, self.unit_id])

    @property
    def is_editable(self) -> bool:
        return self.state in (SummaryState.DRAFT, SummaryState.RETURNED)


class Highlight(models.Model):
    """A highlight 亮点 of a summary: a title, its text and the activities it draws on."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="highlights")
    title = models.CharField(_("highlight title"), max_length=200)
    text = models.TextField(_("highlight text"))
    activities = models.ManyToManyField("activities.Activity", verbose_name=_("activities drawn on"), blank=True,
                                        related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_starred = models.BooleanField(_("starred by the office"), default=False, db_index=True)

    class Meta:
        verbose_name = _("summary highlight")
        verbose_name_plural = _("summary highlights")
        ordering = ["summary", "order", "id"]

    def __str__(self):
        return self.title


class Attachment(models.Model):
    """A photo, video or document of a summary, stored through the upload service."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("attachment kind"), max_length=20, choices=AttachmentKind.choices)
    asset = models.ForeignKey("uploads.Asset", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("summary attachment")
        verbose_name_plural = _("summary attachments")
        ordering = ["summary", "kind", "id"]

    def __str__(self):
        return str(self.asset)


class Extension(models.Model):
    """A later summary deadline an office granted one unit, with its reason (延期)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="+")
    until = models.DateField(_("extended until"))
    reason = models.TextField(_("reason for the extension"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = ClockDateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("summary deadline extension")
        verbose_name_plural = _("summary deadline extensions")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="unique_summary_extension")]

    def __str__(self):
        return f"{self.unit} → {self.until}"


class Reminder(models.TextChoices):
    """The automatic reminders about the summary deadline."""

    DAYS_7 = "d7", _("7 days before the summary deadline")
    DAYS_3 = "d3", _("3 days before the summary deadline")
    DAYS_1 = "d1", _("1 day before the summary deadline")
    OVERDUE = "overdue", _("The day after the summary deadline")


class ReminderSent(models.Model):
    """That one reminder went to one unit: the unique constraint makes the job send it at most once."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    reminder = models.CharField(_("reminder"), max_length=10, choices=Reminder.choices)
    sent_at = ClockDateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("summary reminder sent")
        verbose_name_plural = _("summary reminders sent")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "reminder"],
                                               name="unique_summary_reminder")]

    def __str__(self):
        return f"{self.unit} · {self.reminder}"


class ExportStatus(models.TextChoices):
    """Where a background export stands."""

    QUEUED = "queued", _("Export queued")
    RUNNING = "running", _("Export running")
    DONE = "done", _("Export ready")
    FAILED = "failed", _("Export failed")


class Export(models.Model):
    """One file a user asked for (a report, a workbook, a package), made in the background.

    Generic: ``kind`` names an exporter of ``summaries.exports.REGISTRY``; any app may register one.
    """

    kind = models.CharField(_("export kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("export status"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), max_length=255, blank=True)
    filename = models.CharField(_("download name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
                              related_name="exports")
    created_at = ClockDateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # How many times a worker has started it (a failure is retried with backoff: summaries.exports), and
    # when its worker last said it is alive (real time: a stale RUNNING export is re-queued by
    # ``manage.py requeue_stale_exports``).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
