import datetime

import factory

from campaigns.models import Campaign
from core.crypto import encrypt_text
from exhibitions.models import BaseSlot, EducationBase, Exhibition, ExhibitionStop, GroupKind, Visit, VisitState
from exhibitions.services import CONTACT_PURPOSE
from organisations.models import District

DAY = datetime.date(2022, 5, 25)


class ExhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibition

    campaign = factory.LazyFunction(lambda: Campaign.objects.get(slug="qingdao-2022"))
    code = factory.Sequence(lambda n: f"exhibition-{n}")
    title = factory.Sequence(lambda n: f"科学家主题展{n}")
    organiser = "青岛市科学技术协会"


class StopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExhibitionStop

    exhibition = factory.SubFactory(ExhibitionFactory)
    host_name = factory.Sequence(lambda n: f"承办单位{n}")
    venue = "图书馆展厅"
    starts_on = DAY
    ends_on = DAY + datetime.timedelta(days=4)


class BaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationBase

    name = factory.Sequence(lambda n: f"科学家精神教育基地{n}")
    district = factory.LazyFunction(lambda: District.objects.get(code="shinan"))
    address = "福山路1号"
    exhibits = "科学家事迹展"
    opening_hours = "9:00-16:30"
    capacity_per_slot = 50
    contact_person = "刘老师"
    contact_phone = "0532-80000000"


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BaseSlot

    base = factory.SubFactory(BaseFactory)
    date = factory.Sequence(lambda n: DAY + datetime.timedelta(days=(n // 10) % 20))
    starts_at = factory.Sequence(lambda n: datetime.time(8 + n % 10, 0))
    ends_at = factory.LazyAttribute(lambda o: datetime.time(o.starts_at.hour, 59))
    capacity = factory.LazyAttribute(lambda o: o.base.capacity_per_slot)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    slot = factory.SubFactory(SlotFactory)
    base = factory.LazyAttribute(lambda o: o.slot.base)
    reference = factory.Sequence(lambda n: f"VT{n:06d}")
    group_name = factory.Sequence(lambda n: f"第{n}中学")
    group_kind = GroupKind.SCHOOL
    group_size = 10
    contact_encrypted = factory.LazyFunction(lambda: encrypt_text("王老师 13800138000", purpose=CONTACT_PURPOSE))
    contact_masked = "王** 138****8000"
    state = VisitState.REQUESTED
