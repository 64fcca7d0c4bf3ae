import factory

from organisations.models import District, Office, OfficeMembership, Unit, UnitMembership, UnitType


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")
    order = factory.Sequence(lambda n: n)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"测试处室{n}")
    name_en = factory.Sequence(lambda n: f"Test Office {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    unit_type = UnitType.SOCIETY
    district = factory.SubFactory(DistrictFactory)
    contact_person = "张老师"
    phone = "13800138000"
    email = factory.Sequence(lambda n: f"unit{n}@example.com")


class UnitMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitMembership

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    unit = factory.SubFactory(UnitFactory)


class OfficeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeMembership

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    office = factory.SubFactory(OfficeFactory)
