"""The official working calendar: public holidays 法定节假日, adjusted working days 调休, and which years are covered."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    OFFICIAL = "official", _("Official (chinesecalendar package)")
    ORGANISER = "organiser", _("Entered by the organisers")


class Holiday(models.Model):
    """One day that differs from the Monday–Friday rule: a public holiday or an adjusted working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", pgettext_lazy("calendar day", "Holiday (no work)")
        WORKDAY = "workday", pgettext_lazy("calendar day", "Adjusted working day")

    date = models.DateField(_("calendar date"), unique=True)
    kind = models.CharField(_("kind of day"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday name"), max_length=50)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ORGANISER)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"


class CalendarYear(models.Model):
    """A year whose whole holiday arrangement is in the calendar. Working-day arithmetic refuses any other year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    package_version = models.CharField(_("package version"), max_length=20, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("covered calendar year")
        verbose_name_plural = _("covered calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
