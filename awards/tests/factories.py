import datetime

import factory

from accounts.tests.factories import UserFactory
from awards import personal
from awards.models import Criterion, ExpertProfile, Nomination, Selection
from uploads.models import Asset, AssetUse


def valid_id(seed: int) -> str:
    """A valid 18-digit ID number (correct check digit) for ``seed``."""
    body = f"3702021985{(seed % 12) + 1:02d}{(seed % 28) + 1:02d}{seed % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


class SelectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Selection
        skip_postgeneration_save = True

    campaign = factory.SubFactory("campaigns.tests.factories.CampaignFactory")
    places = 2
    nomination_start = datetime.date(2022, 5, 11)
    nomination_end = datetime.date(2022, 5, 20)
    default_quota = 2
    reviews_required = 1

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            Criterion.objects.create(selection=obj, name="科技创新贡献", weight=1, max_score=60, order=0)
            Criterion.objects.create(selection=obj, name="社会影响", weight=1, max_score=40, order=1)


def asset(use=AssetUse.IMAGE, unit=None, **kwargs) -> Asset:
    content_type = {"image": "image/png", "video": "video/mp4"}.get(use, "application/pdf")
    return Asset.objects.create(use=use, content_type=content_type, size=10, sha256="0" * 64,
                                file=f"uploads/test/{use}.bin", unit=unit, **kwargs)


class NominationFactory(factory.django.DjangoModelFactory):
    """A complete 推荐表 (ready to submit); ``id_number`` and ``mobile`` are stored encrypted."""

    class Meta:
        model = Nomination
        skip_postgeneration_save = True

    class Params:
        id_number = factory.Sequence(lambda n: valid_id(n + 1))
        mobile = "13812341234"

    selection = factory.SubFactory(SelectionFactory)
    unit = factory.SubFactory("organisations.tests.factories.UnitFactory")
    name = factory.Sequence(lambda n: f"候选人{n}")
    gender = Nomination.Gender.FEMALE
    birth_date = datetime.date(1985, 3, 1)
    ethnicity = "汉族"
    political_status = "中共党员"
    workplace = "青岛海洋科学研究所"
    position = "研究员"
    field = "海洋科学"
    achievements = "长期从事海洋观测技术研究。"
    deeds_summary = "攻克深海观测关键技术。"
    honours = "山东省科技进步奖"
    unit_opinion = "同意推荐。"
    id_number_encrypted = factory.LazyAttribute(lambda o: personal.encrypt(o.id_number))
    id_hash = factory.LazyAttribute(lambda o: personal.id_hash(o.id_number))
    mobile_encrypted = factory.LazyAttribute(lambda o: personal.encrypt(o.mobile))
    id_photo = factory.LazyAttribute(lambda o: asset(unit=o.unit))
    consent = factory.LazyAttribute(lambda o: asset(AssetUse.DOCUMENT, unit=o.unit))

    @factory.post_generation
    def photos(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.life_photos.set([asset(unit=obj.unit) for _ in range(3)])


def expert(username="expert-t", unit=None):
    user = UserFactory(username=username, is_expert=True)
    ExpertProfile.objects.create(user=user, unit=unit)
    return user
