"""The ledger of urgent problems 急难愁盼问题台账: what S&T workers raise and how each is handled."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import clock


class Status(models.TextChoices):
    """Where a problem is in the ledger; the moves between them are ``services.TRANSITIONS``."""

    RAISED = "raised", pgettext_lazy("problem status", "Raised")  # 已登记: received, not yet looked at
    ACCEPTED = "accepted", pgettext_lazy("problem status", "Accepted")  # 已受理: organisers will handle it
    DECLINED = "declined", pgettext_lazy("problem status", "Declined")  # 不予受理: with a reason; final
    ASSIGNED = "assigned", pgettext_lazy("problem status", "Assigned")  # 已交办: a responsible unit has it
    IN_PROGRESS = "in_progress", pgettext_lazy("problem status", "In progress")  # 办理中: progress noted
    RESOLVED = "resolved", pgettext_lazy("problem status", "Resolved")  # 已办结: awaiting the submitter
    REOPENED = "reopened", pgettext_lazy("problem status", "Reopened")  # 重新办理: the submitter objected
    CLOSED = "closed", pgettext_lazy("problem status", "Closed")  # 已销号: confirmed or not objected to


# Problems still being handled (for "in progress" counts and the overdue rule).
OPEN_STATUSES = (Status.RAISED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)
# Problems shown on the public results page.
PUBLIC_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Category(models.TextChoices):
    """What a problem is about, as the young S&T workers' survey groups them."""

    FUNDING = "funding", _("Research funding")  # 科研经费
    EVALUATION = "evaluation", _("Evaluation and assessment")  # 评价考核
    HOUSING = "housing", _("Housing")  # 住房
    SCHOOLING = "schooling", _("Children's schooling")  # 子女入学
    TALENT_POLICY = "talent_policy", _("Talent policy")  # 人才政策
    SERVICES = "services", _("Services and support")  # 服务保障
    OTHER = "other", _("Other")  # 其他


class Source(models.TextChoices):
    """How a problem reached the ledger."""

    SURVEY = "survey", _("Survey answer")  # 问卷调查：组织者由开放题答案一键转入
    ONLINE = "online", _("Submitted online")  # 科技工作者网上提交
    PHONE = "phone", _("By phone")  # 电话反映
    SYMPOSIUM = "symposium", _("At a symposium")  # 座谈会
    OTHER = "other", _("Other channel")  # 其他渠道


class Problem(models.Model):
    """One urgent problem of S&T workers in the ledger: what it is, who handles it and by when."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("problem as raised"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER,
                                db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, db_index=True)
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="problems",
                                 help_text=_("The campaign during which the problem was raised."))
    source_label = models.CharField(_("source details"), max_length=200, blank=True)
    # A generic reference to where it came from (a survey answer's id), so that no app imports another.
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RAISED,
                              db_index=True)
    responsible_unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("responsible unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="problems",
    )
    responsible_office = models.ForeignKey(
        "organisations.Office", verbose_name=_("responsible office"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="problems",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    public_summary = models.TextField(
        _("public summary"), blank=True,
        help_text=_("Written by staff for the public results page; the problem as raised is never shown there."),
    )
    resolution = models.TextField(_("what was done"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # The submitter's contact for feedback, Fernet-encrypted (core.crypto); shown masked.
    contact_encrypted = models.TextField(_("contact (encrypted)"), blank=True)
    # An HMAC of the receipt code shown once at submission; the code itself is never stored.
    receipt_digest = models.CharField(_("receipt code digest"), max_length=64, blank=True, db_index=True)
    consent_at = models.DateTimeField(_("personal information consent given"), null=True, blank=True)
    evidence = models.ManyToManyField("uploads.Asset", verbose_name=_("evidence"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("raised"), default=clock.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        """The staff page of the problem in the ledger."""
        return reverse("problems:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The ledger number staff quote on the phone: WT-000042."""
        return f"WT-{self.pk or 0:06d}"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.status in OPEN_STATUSES and self.due_date < clock.today())

    @property
    def contact_masked(self) -> str:
        from core.crypto import decrypt_text, mask_contact

        return mask_contact(decrypt_text(self.contact_encrypted)) if self.contact_encrypted else ""

    @property
    def responsible_label(self) -> str:
        if self.responsible_unit_id:
            return self.responsible_unit.name
        if self.responsible_office_id:
            return self.responsible_office.label
        return ""


class ProblemEvent(models.Model):
    """One line of a problem's history: a transition with its note (progress, reason, what was done)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("previous status"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    on_date = models.DateField(_("date"), default=clock.today)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(_("recorded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=clock.now)

    class Meta:
        verbose_name = _("problem history entry")
        verbose_name_plural = _("problem history entries")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.problem_id}: {self.action}"

    @property
    def action_label(self) -> str:
        from .services import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))
