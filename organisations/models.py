from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.i18n import localized


class UnitType(models.TextChoices):
    """The kinds of participating unit that the 2022 notice addresses."""

    DISTRICT_ASSOCIATION = "district_association", _("District association for science and technology")  # 区市科协
    DISTRICT_BUREAU = "district_bureau", _("District science and technology bureau")  # 区市科技局
    SOCIETY = "society", _("Municipal society, association or research society")  # 市级学会/协会/研究会
    UNIVERSITY = "university", _("University association for science and technology")  # 高校科协
    ENTERPRISE = "enterprise", _("Enterprise association for science and technology")  # 企业科协
    INSTITUTE = "institute", _("Research institute")  # 科研院所
    # At the province level (settings.SCIDAY_LEVEL = "province") the units are the cities' association and bureau.
    CITY_ASSOCIATION = "city_association", _("City association for science and technology")  # 市科协
    CITY_BUREAU = "city_bureau", _("City science and technology bureau")  # 市科技局
    # At the nation level the units are the provinces' association and department.
    PROVINCE_ASSOCIATION = "province_association", _("Provincial association for science and technology")  # 省科协
    PROVINCE_DEPARTMENT = "province_department", _("Provincial science and technology department")  # 省科技厅


# The Chinese label of each unit type as the notice writes it; the xlsx import accepts these.
UNIT_TYPE_CHINESE = {
    UnitType.DISTRICT_ASSOCIATION: "区市科协",
    UnitType.DISTRICT_BUREAU: "区市科技局",
    UnitType.SOCIETY: "市级学会/协会/研究会",
    UnitType.UNIVERSITY: "高校科协",
    UnitType.ENTERPRISE: "企业科协",
    UnitType.INSTITUTE: "科研院所",
    UnitType.CITY_ASSOCIATION: "市科协",
    UnitType.CITY_BUREAU: "市科技局",
    UnitType.PROVINCE_ASSOCIATION: "省科协",
    UnitType.PROVINCE_DEPARTMENT: "省科技厅",
}
# The unit types in play at each level (settings.SCIDAY_LEVEL): routing, filters and the import template offer
# these; the others exist in the data model so that every level runs the same code.
LEVEL_UNIT_TYPES = {
    "city": [UnitType.DISTRICT_ASSOCIATION, UnitType.DISTRICT_BUREAU, UnitType.SOCIETY, UnitType.UNIVERSITY,
             UnitType.ENTERPRISE, UnitType.INSTITUTE],
    "province": [UnitType.CITY_ASSOCIATION, UnitType.CITY_BUREAU, UnitType.SOCIETY, UnitType.UNIVERSITY,
                 UnitType.ENTERPRISE, UnitType.INSTITUTE],
    "nation": [UnitType.PROVINCE_ASSOCIATION, UnitType.PROVINCE_DEPARTMENT, UnitType.SOCIETY, UnitType.UNIVERSITY,
               UnitType.ENTERPRISE, UnitType.INSTITUTE],
}


def level_unit_types() -> list[str]:
    """The unit type codes in play at this deployment's level."""
    from django.conf import settings

    return [str(t) for t in LEVEL_UNIT_TYPES[getattr(settings, "SCIDAY_LEVEL", "city")]]


def level_unit_type_choices() -> list[tuple[str, str]]:
    labels = dict(UnitType.choices)
    return [(t, labels[t]) for t in level_unit_types()]


# Unit types that belong to one district and must name it.
DISTRICT_UNIT_TYPES = {UnitType.DISTRICT_ASSOCIATION, UnitType.DISTRICT_BUREAU}
# Unit types that stand for a whole city (at the province level) or province (at the nation level) and carry its
# region code instead of a district.
REGION_UNIT_TYPES = {UnitType.CITY_ASSOCIATION, UnitType.CITY_BUREAU, UnitType.PROVINCE_ASSOCIATION,
                     UnitType.PROVINCE_DEPARTMENT}


class District(models.Model):
    """One of the ten districts and county-level cities of Qingdao (区市)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return localized(self)


class Office(models.Model):
    """A receiving office of the organisers (市科协组织人事部, 市科技局科技人才处)."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Stable identifier used by the API."))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    organisation = models.CharField(_("parent organisation"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return localized(self)


class Unit(models.Model):
    """An organisation that takes part in a campaign: it reports activities and files a summary."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices, db_index=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    region_code = models.CharField(
        _("region code"), max_length=6, blank=True, db_index=True,
        help_text=_("GB/T 2260 administrative division code of the city the unit stands for, e.g. 370200 "
                    "(at the province level, instead of a district)."))
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["unit_type", "district__order", "name"]

    def __str__(self):
        return self.name


class UnitMembership(models.Model):
    """A unit coordinator's link to a unit they act for (a person may coordinate several)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unique_unit_membership")]

    def __str__(self):
        return f"{self.user} @ {self.unit}"


class OfficeMembership(models.Model):
    """Office staff's link to their office; office staff are the campaign's organisers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_memberships")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="unique_office_membership")]

    def __str__(self):
        return f"{self.user} @ {self.office}"
