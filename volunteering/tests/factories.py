import factory

from core.crypto import encrypt_text, mask_contact
from organisations.models import District
from organisations.tests.factories import UnitFactory
from volunteering.models import (
    ExpertiseField,
    Programme,
    RequesterKind,
    RequestStatus,
    ServiceHours,
    ServiceRecord,
    ServiceRequest,
    ServiceTeam,
    Volunteer,
)
from volunteering.services import mobile_digest, receipt_digest


def field_named(name: str = "科普教育") -> ExpertiseField:
    return ExpertiseField.objects.get_or_create(name=name)[0]


def programme_coded(code: str = "silver-bell") -> Programme:
    return Programme.objects.get(code=code)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    class Params:
        mobile = factory.Sequence(lambda n: f"139{n:08d}")

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"志愿者{n}")
    title = "工程师"
    field = factory.LazyFunction(field_named)
    mobile_encrypted = factory.LazyAttribute(lambda o: encrypt_text(o.mobile))
    mobile_digest = factory.LazyAttribute(lambda o: mobile_digest(o.mobile))
    mobile_masked = factory.LazyAttribute(lambda o: mask_contact(o.mobile))


class ServiceTeamFactory(factory.django.DjangoModelFactory):
    """A team; ``fields``/``districts`` take lists, default 科普教育 and 市南区."""

    class Meta:
        model = ServiceTeam
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"科技服务团{n}")

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if create:
            obj.fields.set(extracted if extracted is not None else [field_named()])

    @factory.post_generation
    def districts(obj, create, extracted, **kwargs):
        if create:
            obj.districts.set(extracted if extracted is not None else [District.objects.get(code="shinan")])

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequest

    class Params:
        receipt = None

    requester_kind = RequesterKind.COMMUNITY
    organisation = factory.Sequence(lambda n: f"八大湖街道第{n}社区")
    need = "科普进社区：为老年居民讲解防范电信诈骗"
    field = factory.LazyFunction(field_named)
    district = factory.LazyFunction(lambda: District.objects.get(code="shinan"))
    contact_name = "李主任"
    contact_encrypted = factory.LazyFunction(lambda: encrypt_text("13700001111"))
    status = RequestStatus.SUBMITTED
    receipt_digest = factory.LazyAttribute(lambda o: receipt_digest(o.receipt) if o.receipt else "")


class ServiceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    team = factory.SubFactory(ServiceTeamFactory)
    date = factory.Faker("date_between", start_date="-30d", end_date="today")
    place = "社区党群服务中心"
    beneficiaries = 30
    beneficiary_kind = "老年居民"


class ServiceHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceHours

    record = factory.SubFactory(ServiceRecordFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    hours = 2
