"""Exhibitions 巡展 and Scientist Spirit Education Bases 科学家精神教育基地 with their booked visits."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.i18n import localized


class Exhibition(models.Model):
    """A touring exhibition of the campaign (主题展), shown by one host after another."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="exhibitions")
    code = models.SlugField(_("code"), max_length=40,
                            help_text=_("Stable identifier used by the API; unique within the campaign."))
    title = models.CharField(_("exhibition title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    organiser = models.CharField(_("exhibition organiser"), max_length=200)
    description = models.TextField(_("exhibition description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    ended_on = models.DateField(_("tour ended on"), null=True, blank=True,
                                help_text=_("Set when the organisers end the tour: no new stops are added."))
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="unique_exhibition_code_per_campaign")]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exhibitions:detail", args=[self.pk])

    @property
    def label(self):
        return localized(self, "title")


class ExhibitionStop(models.Model):
    """One stop of an exhibition's tour: a host unit shows it at its own venue for some days."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="stops")
    host_unit = models.ForeignKey("organisations.Unit", verbose_name=_("host unit"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="exhibition_stops")
    host_name = models.CharField(_("host (if not a unit)"), max_length=200, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    district = models.ForeignKey("organisations.District", verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="exhibition_stops")
    starts_on = models.DateField(_("first day of the stop"))
    ends_on = models.DateField(_("last day of the stop"))
    visitors = models.PositiveIntegerField(_("visitor count"), null=True, blank=True)
    activity = models.ForeignKey("activities.Activity", verbose_name=_("linked activity"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="exhibition_stops",
                                 help_text=_("An approved activity, so that the stop appears on the public calendar."))
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exhibition stop")
        verbose_name_plural = _("exhibition stops")
        ordering = ["exhibition", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")),
                                   name="exhibition_stop_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.exhibition} · {self.host}"

    @property
    def host(self) -> str:
        return self.host_unit.name if self.host_unit_id else self.host_name


class ExhibitionPhoto(models.Model):
    """A photo of an exhibition stop (stored through the upload service, public)."""

    stop = models.ForeignKey(ExhibitionStop, on_delete=models.CASCADE, related_name="photos")
    asset = models.ForeignKey("uploads.Asset", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    created_at = ClockDateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("exhibition photo")
        verbose_name_plural = _("exhibition photos")
        ordering = ["stop", "id"]

    def __str__(self):
        return str(self.asset)


class EducationBase(models.Model):
    """A Scientist Spirit Education Base 科学家精神教育基地 that receives organised group visits.

    Its bookings are decided by the organisers (office staff) or by a coordinator of its managing unit.
    """

    name = models.CharField(_("base name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    district = models.ForeignKey("organisations.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="education_bases")
    address = models.CharField(_("address"), max_length=200)
    exhibits = models.TextField(_("what the base shows"))
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    capacity_per_slot = models.PositiveIntegerField(_("visitors per slot"))
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    managing_unit = models.ForeignKey("organisations.Unit", verbose_name=_("managing unit"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="education_bases")
    is_active = models.BooleanField(_("open to visits"), default=True, db_index=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("education base")
        verbose_name_plural = _("education bases")
        ordering = ["district__order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exhibitions:base_detail", args=[self.pk])

    def get_manage_url(self) -> str:
        return reverse("exhibitions:base_manage", args=[self.pk])

    @property
    def label(self):
        return localized(self)


class BaseSlot(models.Model):
    """A visiting slot of a base: a date, a time range and how many visitors it takes.

    The base persists from year to year; its slots (and so their visits) belong to one campaign."""

    base = models.ForeignKey(EducationBase, on_delete=models.CASCADE, related_name="slots")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="base_slots")
    date = models.DateField(_("visit date"), db_index=True)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    capacity = models.PositiveIntegerField(_("slot capacity"))

    class Meta:
        verbose_name = _("visiting slot")
        verbose_name_plural = _("visiting slots")
        ordering = ["base", "date", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["base", "date", "starts_at"], name="unique_base_slot"),
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="base_slot_times_ordered"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class VisitState(models.TextChoices):
    """Where a booked visit stands (see services.VISIT_TRANSITIONS)."""

    REQUESTED = "requested", _("Visit requested")  # 待确认
    CONFIRMED = "confirmed", _("Visit confirmed")  # 已确认
    DECLINED = "declined", _("Visit declined")  # 已婉拒
    VISITED = "visited", _("Visited (checked in)")  # 已参观
    NO_SHOW = "no_show", _("Did not come")  # 未到
    CANCELLED = "cancelled", _("Visit cancelled")  # 已取消


# The states whose group sizes count against a slot's capacity.
HOLDING_STATES = (VisitState.REQUESTED, VisitState.CONFIRMED)


class GroupKind(models.TextChoices):
    SCHOOL = "school", _("School")  # 学校
    UNIT = "unit", _("Work unit")  # 单位
    GROUP = "group", _("Other group")  # 其他团体


class Visit(models.Model):
    """A group's booking of a visit to an education base in one slot (参观预约)."""

    base = models.ForeignKey(EducationBase, on_delete=models.PROTECT, related_name="visits")
    slot = models.ForeignKey(BaseSlot, on_delete=models.PROTECT, related_name="visits")
    reference = models.CharField(_("booking reference"), max_length=20, unique=True)
    group_name = models.CharField(_("group name"), max_length=200)
    group_kind = models.CharField(_("kind of group"), max_length=10, choices=GroupKind.choices)
    group_size = models.PositiveIntegerField(_("group size"))
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("booking unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="base_visits")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    contact_encrypted = models.TextField(_("contact (encrypted)"), blank=True)
    contact_masked = models.CharField(_("contact (masked)"), max_length=100, blank=True)
    note = models.CharField(_("note to the base"), max_length=300, blank=True)
    state = models.CharField(_("booking state"), max_length=20, choices=VisitState.choices,
                             default=VisitState.REQUESTED, db_index=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    visitors = models.PositiveIntegerField(_("visitors who came"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = ClockDateTimeField(_("booked"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("base visit")
        verbose_name_plural = _("base visits")
        ordering = ["slot__date", "slot__starts_at", "id"]
        indexes = [models.Index(fields=["base", "state"]), models.Index(fields=["slot", "state"])]

    def __str__(self):
        return f"{self.group_name} → {self.base}"

    def get_absolute_url(self) -> str:
        return reverse("exhibitions:visit_manage", args=[self.pk])
