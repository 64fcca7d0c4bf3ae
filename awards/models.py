"""「青岛最美科技工作者」: selection settings, nominations, expert review, public notice and release."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField


class Selection(models.Model):
    """The settings and stage of one campaign's 「最美科技工作者」 selection (评选)."""

    class Stage(models.TextChoices):
        OPEN = "open", _("Nomination and review")
        NOTICE = "notice", _("Public notice (公示)")
        RELEASED = "released", _("Released")

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="award_selection")
    title = models.CharField(_("selection title"), max_length=100, default="青岛最美科技工作者")
    places = models.PositiveSmallIntegerField(_("number of places"), default=10)
    nomination_start = models.DateField(_("nominations open"))
    nomination_end = models.DateField(_("nominations close"))
    default_quota = models.PositiveSmallIntegerField(_("nominations per unit"), default=2)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True,
                                               help_text=_("Age at the close of nominations; empty for no limit."))
    exclude_senior_officials = models.BooleanField(
        _("exclude officials at department/bureau level and above (厅局级及以上)"), default=True)
    exclude_previous_winners = models.BooleanField(_("previous winners are not eligible"), default=True)
    young_share_min = models.PositiveSmallIntegerField(
        _("minimum share of nominees under 45 (%)"), null=True, blank=True,
        help_text=_("Only a warning: shown to organisers and units when the share is lower."))
    achievements_max_chars = models.PositiveIntegerField(_("maximum length of main achievements"), default=1500)
    reviews_required = models.PositiveSmallIntegerField(_("expert reviews per nomination"), default=3)
    drop_extremes = models.BooleanField(
        _("drop the highest and lowest total when five or more experts scored"), default=True)
    notice_working_days = models.PositiveSmallIntegerField(_("public notice length in working days"), default=5)
    stage = models.CharField(_("selection stage"), max_length=10, choices=Stage.choices, default=Stage.OPEN)
    decision_reason = models.TextField(_("reason for departing from the ranking"), blank=True)
    decided_at = models.DateTimeField(_("committee decision made"), null=True, blank=True)
    notice_text = models.TextField(_("public notice text"), blank=True)
    notice_start = models.DateField(_("public notice starts"), null=True, blank=True)
    notice_end = models.DateField(_("public notice ends"), null=True, blank=True)
    announcement_text = models.TextField(_("announcement text"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("award selection")
        verbose_name_plural = _("award selections")
        ordering = ["-campaign__year", "-id"]

    def __str__(self):
        return f"{self.campaign.year}年{self.title}"

    def get_absolute_url(self):
        return reverse("awards:selection", kwargs={"pk": self.pk})


class UnitQuota(models.Model):
    """A unit's own number of nominations, overriding the selection's default (推荐名额)."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="+")
    quota = models.PositiveSmallIntegerField(_("nomination quota"))

    class Meta:
        verbose_name = _("unit nomination quota")
        verbose_name_plural = _("unit nomination quotas")
        constraints = [models.UniqueConstraint(fields=["selection", "unit"], name="awards_unique_unit_quota")]

    def __str__(self):
        return f"{self.unit} {self.quota}"


class Criterion(models.Model):
    """One line of the scoring rubric (评分标准): a weight and a maximum score."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    description = models.CharField(_("criterion description"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring rubric")
        ordering = ["selection", "order", "id"]

    def __str__(self):
        return self.name


class ExpertProfile(models.Model):
    """An expert reviewer's link to the unit they work at, for the conflict-of-interest rule (回避)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("expert's unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    speciality = models.CharField(_("speciality"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self):
        return str(self.user)


class Nomination(models.Model):
    """A unit's nomination (推荐表) of one S&T worker, from draft to winner; ID number and mobile are encrypted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft nomination")
        SUBMITTED = "submitted", _("Submitted for eligibility check")
        RETURNED = "returned", _("Returned for completion")
        ELIGIBLE = "eligible", _("Passed the eligibility check")
        REJECTED = "rejected", _("Not eligible")
        FINALIST = "finalist", _("Finalist (public notice)")
        WINNER = "winner", _("Winner")
        DROPPED = "dropped", _("Not confirmed after the notice")

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("nominating unit"), on_delete=models.PROTECT,
                             related_name="award_nominations")
    status = models.CharField(_("nomination status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    name = models.CharField(_("nominee's name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    political_status = models.CharField(_("political status"), max_length=30, blank=True)
    workplace = models.CharField(_("workplace"), max_length=100, blank=True,
                                 help_text=_("The nominee's employer, as it should be published."))
    position = models.CharField(_("position and title"), max_length=100, blank=True)
    field = models.CharField(_("field of work"), max_length=100, blank=True)
    is_senior_official = models.BooleanField(_("official at department/bureau level or above"), default=False)
    mobile_encrypted = models.TextField(blank=True, editable=False)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_photo = models.ForeignKey("uploads.Asset", verbose_name=_("2-inch ID photo"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    life_photos = models.ManyToManyField("uploads.Asset", verbose_name=_("life photos"), blank=True,
                                         related_name="+")
    video = models.ForeignKey("uploads.Asset", verbose_name=_("video (3–5 minutes)"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    consent = models.ForeignKey("uploads.Asset", verbose_name=_("signed consent of the nominee"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    consent_publish = models.BooleanField(
        _("the consent covers publishing the profile"), default=True,
        help_text=_("Tick if the signed consent allows the photo, story and video to stay published."))
    achievements = models.TextField(_("main achievements"), blank=True)
    deeds_summary = models.CharField(_("deeds summary for the public notice"), max_length=300, blank=True)
    honours = models.TextField(_("honours"), blank=True)
    unit_opinion = models.TextField(_("opinion of the nominating unit"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["selection", "unit__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "id_hash"], condition=~models.Q(id_hash=""),
                                    name="awards_one_nomination_per_person"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("awards:nomination", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("awards:profile", kwargs={"public_id": self.public_id})

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Assignment(models.Model):
    """One expert's review of one nomination: the scores on the rubric and a comment."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("To be scored")
        SCORED = "scored", _("Scored")
        DECLINED = "declined", _("Declined (conflict of interest)")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="award_assignments")
    status = models.CharField(_("review status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    total = models.DecimalField(_("expert's total"), max_digits=7, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("expert's comment"), blank=True)
    decline_reason = models.TextField(_("declared conflict of interest"), blank=True)
    assigned_at = ClockDateTimeField(auto_now_add=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["nomination", "id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "expert"], name="awards_one_review_each")]

    def __str__(self):
        return f"{self.expert} → {self.nomination}"


class Score(models.Model):
    """An expert's score on one criterion."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="awards_one_score_each")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Objection(models.Model):
    """A written, real-name objection to a finalist during the public notice (异议), private to organisers."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Under investigation")
        UPHELD = "upheld", _("Objection upheld")
        NOT_UPHELD = "not_upheld", _("Objection not upheld")

    nomination = models.ForeignKey(Nomination, verbose_name=_("finalist"), on_delete=models.CASCADE,
                                   related_name="objections")
    name = models.CharField(_("objector's real name"), max_length=50)
    phone_encrypted = models.TextField(blank=True, editable=False)
    facts = models.TextField(_("facts and reasons"))
    attachments = models.ManyToManyField("uploads.Asset", verbose_name=_("objection attachments"), blank=True,
                                         related_name="+")
    outcome = models.CharField(_("objection outcome"), max_length=12, choices=Outcome.choices,
                               default=Outcome.RECEIVED)
    investigation = models.TextField(_("investigation record"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = ClockDateTimeField(_("filed"), auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} → {self.nomination}"
