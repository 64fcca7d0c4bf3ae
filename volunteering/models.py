"""Volunteer S&T service 科技为民志愿服务: service teams, volunteers, programmes, requests and hours.

Who acts for whom (accounts):
- A **service team** belongs to a unit (usually a municipal society). The coordinators of that unit
  act for the team: they accept and schedule requests, record services and confirm hours. No
  separate "team account" exists; a coordinator of another unit can do nothing for the team.
- The team's **leader** and **members** are Volunteer records, not user accounts. "The leader
  confirms the hours" means: a coordinator of the team's unit confirms them in the leader's name.
- A **volunteer** sees their own services and hours on a public page opened by a personal link
  (``Volunteer.token``, unguessable); they need no account.
- **Requesters** (enterprises, communities, schools, villages) have no account either: they file a
  request through the public form and follow it with a receipt code shown once (stored hashed).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import clock
from core.i18n import localized


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class ExpertiseField(models.Model):
    """A field of expertise 专业领域 (科普教育, 医疗卫生…): a list the organisers keep."""

    name = models.CharField(_("field name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return localized(self)


class Programme(models.Model):
    """A named volunteer action 科普行动 (「银铃科普行动」…) with its audience; organisers may add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("programme name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    audience = models.CharField(_("target audience"), max_length=100)
    audience_en = models.CharField(_("English target audience"), max_length=200, blank=True)
    description = models.TextField(_("programme description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("volunteer programme")
        verbose_name_plural = _("volunteer programmes")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return localized(self)


class Volunteer(models.Model):
    """A S&T volunteer 科技志愿者, kept by a unit (whose coordinators manage the record).

    The mobile number is stored Fernet-encrypted (core.crypto) and shown masked (138****1234);
    ``mobile_digest`` (a keyed hash) finds duplicates without decrypting. ``registry_number`` is the
    number in the national 科技志愿服务信息平台, the register of record. Hours count only once confirmed.
    """

    class Gender(models.TextChoices):
        MALE = "male", pgettext_lazy("gender", "Male")
        FEMALE = "female", pgettext_lazy("gender", "Female")

    unit = models.ForeignKey("organisations.Unit", verbose_name=_("managing unit"), on_delete=models.PROTECT,
                             related_name="volunteers")
    name = models.CharField(_("volunteer name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    workplace = models.CharField(_("workplace"), max_length=100, blank=True)
    field = models.ForeignKey(ExpertiseField, verbose_name=_("field of expertise"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="volunteers")
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    mobile_encrypted = models.TextField(_("mobile (encrypted)"), blank=True)
    mobile_digest = models.CharField(_("mobile digest"), max_length=64, blank=True, db_index=True)
    mobile_masked = models.CharField(_("mobile (masked)"), max_length=20, blank=True)
    registry_number = models.CharField(_("national registry number"), max_length=40, blank=True, db_index=True)
    token = models.CharField(_("personal link token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["unit_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registry_number"], condition=~models.Q(registry_number=""),
                                    name="unique_volunteer_registry_number"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteering:volunteer_detail", args=[self.pk])

    @property
    def mobile(self) -> str:
        from core.crypto import decrypt_text

        return decrypt_text(self.mobile_encrypted)


class ServiceTeam(models.Model):
    """A S&T service team 科技服务团 of a unit: its fields, the districts it serves, leader and members.

    The coordinators of ``unit`` act for the team (see the module docstring); ``leader`` and
    ``members`` are Volunteer records of any unit.
    """

    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="service_teams")
    name = models.CharField(_("team name"), max_length=100, unique=True)
    description = models.TextField(_("what the team offers"), blank=True)
    fields = models.ManyToManyField(ExpertiseField, verbose_name=_("fields of expertise"), related_name="teams")
    districts = models.ManyToManyField("organisations.District", verbose_name=_("districts served"),
                                       related_name="service_teams")
    leader = models.ForeignKey(Volunteer, verbose_name=_("team leader"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="led_teams")
    members = models.ManyToManyField(Volunteer, verbose_name=_("team members"), blank=True,
                                     related_name="teams")
    is_active = models.BooleanField(_("team active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now)

    class Meta:
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("volunteering:team_detail", args=[self.pk])


class RequestStatus(models.TextChoices):
    """Where a request for service is; the moves are ``services.TRANSITIONS``."""

    SUBMITTED = "submitted", pgettext_lazy("service request", "Submitted")  # 已提交
    MATCHED = "matched", pgettext_lazy("service request", "Matched")  # 已对接: a team accepted it
    SCHEDULED = "scheduled", pgettext_lazy("service request", "Scheduled")  # 已排期
    SERVED = "served", pgettext_lazy("service request", "Served")  # 已服务: a service record exists
    CONFIRMED = "confirmed", pgettext_lazy("service request", "Confirmed by requester")  # 需求方已确认
    CLOSED = "closed", pgettext_lazy("service request", "Closed")  # 已关闭, with a reason


OPEN_REQUEST_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.MATCHED, RequestStatus.SCHEDULED,
                         RequestStatus.SERVED)


class RequesterKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")  # 企业
    COMMUNITY = "community", _("Community")  # 社区
    SCHOOL = "school", _("School")  # 学校
    VILLAGE = "village", _("Village")  # 村
    OTHER = "other", _("Other requester")  # 其他


class ServiceRequest(models.Model):
    """A request for service 服务需求 from an enterprise, community, school or village.

    Filed through the public form (contact encrypted, receipt code stored as a keyed hash, consent
    time kept) or entered by office staff. A team of another unit sees it while it is open for
    matching; once matched, only the organisers and the matched team's unit see it.
    """

    reference_prefix = "FW"

    requester_kind = models.CharField(_("requester type"), max_length=20, choices=RequesterKind.choices)
    organisation = models.CharField(_("requesting organisation"), max_length=100)
    need = models.TextField(_("what is needed"))
    field = models.ForeignKey(ExpertiseField, verbose_name=_("field of expertise"), on_delete=models.PROTECT,
                              related_name="requests")
    district = models.ForeignKey("organisations.District", verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="service_requests")
    programme = models.ForeignKey(Programme, verbose_name=_("volunteer programme"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="requests")
    # The programmes persist from year to year; their activity (the requests) belongs to a campaign.
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="service_requests")
    preferred_from = models.DateField(_("preferred from"), null=True, blank=True)
    preferred_to = models.DateField(_("preferred until"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_encrypted = models.TextField(_("contact phone (encrypted)"), blank=True)
    receipt_digest = models.CharField(_("receipt code digest"), max_length=64, blank=True, db_index=True)
    consent_at = models.DateTimeField(_("personal information consent given"), null=True, blank=True)
    status = models.CharField(_("request status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.SUBMITTED, db_index=True)
    team = models.ForeignKey(ServiceTeam, verbose_name=_("service team"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="requests")
    scheduled_for = models.DateField(_("scheduled date"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("filed"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("request for service")
        verbose_name_plural = _("requests for service")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.reference} {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("volunteering:request_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"FW-{self.pk or 0:06d}"

    @property
    def contact_masked(self) -> str:
        from core.crypto import decrypt_text, mask_contact

        return mask_contact(decrypt_text(self.contact_encrypted)) if self.contact_encrypted else ""


class RequestEvent(models.Model):
    """One line of a request's history, shown to staff and to the requester."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("previous status"), max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("new status"), max_length=20, choices=RequestStatus.choices)
    note = models.TextField(_("note"), blank=True)
    actor_name = models.CharField(_("recorded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=clock.now)

    class Meta:
        verbose_name = _("request history entry")
        verbose_name_plural = _("request history entries")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request_id} {self.action}"


class ServiceRecord(models.Model):
    """One service a team carried out 服务记录: when, where, who came and whom it reached."""

    team = models.ForeignKey(ServiceTeam, verbose_name=_("service team"), on_delete=models.PROTECT,
                             related_name="records")
    request = models.ForeignKey(ServiceRequest, verbose_name=_("request for service"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="records")
    programme = models.ForeignKey(Programme, verbose_name=_("volunteer programme"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="records")
    date = models.DateField(_("service date"), db_index=True)
    place = models.CharField(_("service place"), max_length=200)
    summary = models.TextField(pgettext_lazy("service record", "what was done"), blank=True)
    beneficiaries = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    beneficiary_kind = models.CharField(_("kind of beneficiaries"), max_length=100, blank=True)
    photos = models.ManyToManyField("uploads.Asset", verbose_name=_("photos"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=clock.now)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.team} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("volunteering:record_detail", args=[self.pk])


class ServiceHours(models.Model):
    """A volunteer's hours at one service (one hour, one point). Only confirmed hours count.

    A coordinator of the team's unit confirms them in the leader's name (``confirmed_by``).
    """

    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="hours")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT,
                                  related_name="hours")
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    confirmed_at = models.DateTimeField(_("hours confirmed"), null=True, blank=True, db_index=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["record_id", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "volunteer"], name="unique_hours_per_record")]

    def __str__(self):
        return f"{self.volunteer} {self.hours}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
