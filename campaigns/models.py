from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.i18n import localized
from organisations.models import Office, UnitType


class Campaign(models.Model):
    """One year's National S&T Workers' Day campaign of a city, as its joint notice announces it."""

    class LatePolicy(models.TextChoices):
        ALLOW_FLAGGED = "allow_flagged", _("Late summaries are accepted and flagged late")
        CLOSED = "closed", _("Late summaries are refused")

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    issuers = models.CharField(_("issuers"), max_length=200, help_text=_("The issuing organisations, one per line."))
    issuers_en = models.CharField(_("English issuers"), max_length=300, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    theme = models.CharField(_("theme"), max_length=100)
    theme_en = models.CharField(_("English theme"), max_length=200, blank=True)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True,
                                               help_text=_("Which National S&T Workers' Day this is (2022 is the 6th)."))
    key_day = models.DateField(_("key day"))
    window_start = models.DateField(_("window start"))
    window_end = models.DateField(_("window end"))
    summary_deadline = models.DateField(_("summary deadline"))
    service_opens_on = models.DateField(
        _("volunteer service opens on"), null=True, blank=True,
        help_text=_("Volunteer service (科技志愿服务) may start before the activity window (the notice: "
                    "「5月上旬起」). Empty: 1 May of the campaign's year."))
    survey_opens_on = models.DateField(
        _("survey opens on"), null=True, blank=True,
        help_text=_("When the campaign's survey opens. Empty: with the activity window."))
    late_policy = models.CharField(_("late summaries"), max_length=20, choices=LatePolicy.choices,
                                   default=LatePolicy.ALLOW_FLAGGED)
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("English introduction"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    lead_office = models.ForeignKey(
        Office, verbose_name=_("lead office"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The office whose staff may export the city's joint report and the upward package. Empty: "
                    "the office that receives the district associations' summaries (the city association's)."))
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(window_start__lte=models.F("window_end")),
                                   name="campaign_window_ordered"),
        ]

    def __str__(self):
        return self.title

    @property
    def label(self):
        return localized(self, "title")

    @property
    def service_opens(self) -> date:
        """The first day of volunteer service: ``service_opens_on``, by default 1 May of the year (never after the window)."""
        return self.service_opens_on or min(date(self.year, 5, 1), self.window_start)

    @property
    def survey_opens(self) -> date:
        """The first day of the campaign's survey: ``survey_opens_on``, by default the window's start."""
        return self.survey_opens_on or self.window_start

    @property
    def theme_label(self):
        return localized(self, "theme")

    def report_lead_office(self) -> Office | None:
        """The lead office of the joint report: the one set, else the city association's office (the
        office the routing rules name for the district associations)."""
        if self.lead_office_id:
            return self.lead_office
        return self.office_for(UnitType.DISTRICT_ASSOCIATION)

    def office_for(self, unit_type: str) -> Office | None:
        """The office that receives the summaries of units of ``unit_type`` in this campaign."""
        rule = next((r for r in self.routing_rules.all() if r.unit_type == unit_type), None)
        return rule.office if rule else None


class Category(models.Model):
    """One of the campaign's main activity categories (the notice's section 四)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    follows_service_window = models.BooleanField(
        _("follows the volunteer service window"), default=False,
        help_text=_("Its activities may take place from the day volunteer service opens, not only in the "
                    "activity window."))

    class Meta:
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="unique_category_number"),
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_category_code"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return localized(self)

    @property
    def description_label(self):
        return localized(self, "description")


class ActivityForm(models.Model):
    """A form an activity of a category can take (座谈会, 短视频, 科普进社区…): configuration, not code."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="forms")
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity form")
        verbose_name_plural = _("activity forms")
        ordering = ["category", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="unique_form_name")]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return localized(self)


class RoutingRule(models.Model):
    """Which office receives the summaries of one unit type in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="routing_rules")
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit_type"], name="unique_routing_rule")]

    def __str__(self):
        return f"{self.get_unit_type_display()} → {self.office}"


class CampaignContact(models.Model):
    """A contact person the notice names for questions and summaries (联系方式)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contacts")
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    person = models.CharField(_("contact person"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("campaign contact")
        verbose_name_plural = _("campaign contacts")
        ordering = ["campaign", "order", "id"]

    def __str__(self):
        return f"{self.office} {self.person}"
