"""What the API sends and receives; field names are the stable contract for integrations."""

from datetime import date, datetime

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class OfficeOut(Schema):
    code: str = Field(description="Stable identifier of the office.")
    name: str
    name_en: str


class ActivityFormOut(Schema):
    name: str
    name_en: str


class CategoryOut(Schema):
    number: int
    code: str
    name: str
    name_en: str
    forms: list[ActivityFormOut]

    @staticmethod
    def resolve_forms(obj):
        return list(obj.forms.all())


class RoutingRuleOut(Schema):
    unit_type: str
    office: OfficeOut


class ContactOut(Schema):
    office: str = Field(description="The code of the office.")
    person: str
    phone: str
    email: str

    @staticmethod
    def resolve_office(obj):
        return obj.office.code


class CampaignSummaryOut(Schema):
    slug: str
    year: int
    title: str
    title_en: str
    theme: str
    key_day: date
    window_start: date
    window_end: date
    summary_deadline: date


class CampaignOut(CampaignSummaryOut):
    theme_en: str
    edition: int | None = Field(description="Which National S&T Workers' Day this is (2022: 6, 2027: 11).")
    edition_label: str = Field(description="The count of the Day in words, e.g. 第11个全国科技工作者日.")
    is_published: bool
    document_number: str
    issuers: str
    issue_date: date | None
    late_policy: str
    service_opens: date
    survey_opens: date
    categories: list[CategoryOut]
    routing_rules: list[RoutingRuleOut]
    offices: list[OfficeOut]
    contacts: list[ContactOut]

    @staticmethod
    def resolve_edition_label(obj):
        from django.utils.translation import gettext

        if not obj.edition:
            return ""
        return gettext("the %(n)sth National S&T Workers' Day") % {"n": obj.edition}

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())

    @staticmethod
    def resolve_routing_rules(obj):
        return list(obj.routing_rules.all())

    @staticmethod
    def resolve_offices(obj):
        """Every office the campaign refers to, by its routing rules and its contacts."""
        offices = {rule.office.pk: rule.office for rule in obj.routing_rules.all()}
        offices.update({contact.office.pk: contact.office for contact in obj.contacts.all()})
        return [offices[pk] for pk in sorted(offices)]

    @staticmethod
    def resolve_contacts(obj):
        return list(obj.contacts.all())


class DistrictOut(Schema):
    code: str
    name: str
    name_en: str


class UnitOut(Schema):
    id: int
    name: str
    unit_type: str
    district: DistrictOut | None
    contact_person: str
    phone: str
    email: str
    is_active: bool
    updated_at: datetime


class UnitFilters(Schema):
    unit_type: str | None = None
    district: str | None = Field(None, description="District code, such as shinan.")
    active: bool | None = None
    q: str | None = Field(None, description="Part of the unit's name.")


class TokenIn(Schema):
    username: str
    password: str
    name: str = Field(..., min_length=1, max_length=60, description="What the token is for.")
    otp_code: str = Field("", max_length=10, description="The 6-digit code of your authenticator app: required "
                          "for organisers when the site requires two-step verification (SCIDAY_REQUIRE_STAFF_OTP).")


class TokenOut(Schema):
    token: str = Field(description="The secret: shown this once, keep it safe.")
    name: str
    prefix: str
    created_at: datetime


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str] = Field(description="admin, office_staff, coordinator, expert")
    units: list[int]
    offices: list[str]
