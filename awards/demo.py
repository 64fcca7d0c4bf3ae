"""A demo 「最美科技工作者」 selection: nominations in several states and a review for the demo user ``expert``.

Every demo nominee's name ends in （演示）; ID numbers and mobiles are made up (valid check digits) and
stored encrypted like real ones.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns.models import Campaign
from organisations.models import Unit

from . import personal
from .models import Assignment, Criterion, ExpertProfile, Nomination, Selection
from .services import DEFAULT_RUBRIC

DEMO_MARK = "（演示）"
S = Nomination.Status
# (name, gender, field, position, status)
DEMO_NOMINEES = [
    ("林海", "male", "海洋工程", "研究员", S.ELIGIBLE),
    ("陈晓", "female", "生物医药", "主任医师", S.ELIGIBLE),
    ("赵工", "male", "智能制造", "高级工程师", S.SUBMITTED),
    ("孙敏", "female", "农业科技", "副研究员", S.RETURNED),
    ("周磊", "male", "集成电路", "工程师", S.DRAFT),
]


def _id_number(seed: int) -> str:
    body = f"37020219{80 + seed:02d}0{(seed % 9) + 1}1{seed % 10}00{seed}"[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@transaction.atomic
def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    campaign = Campaign.objects.filter(slug="qingdao-2022").first()
    if campaign is None or Selection.objects.filter(campaign=campaign).exists():
        return []  # no campaign, or loaded before: keep what demonstrators changed since
    units = list(Unit.objects.filter(is_active=True).order_by("id")[:3])
    if len(units) < 2:
        return []
    selection = Selection.objects.create(
        campaign=campaign, title="青岛最美科技工作者", places=10, nomination_start=datetime.date(2022, 5, 11),
        nomination_end=datetime.date(2022, 5, 25), default_quota=2, max_age=60, young_share_min=30,
        reviews_required=3)
    Criterion.objects.bulk_create(Criterion(selection=selection, name=n, description=d, weight=w, max_score=m,
                                            order=i) for i, (n, d, w, m) in enumerate(DEFAULT_RUBRIC))
    nominations = []
    for i, (name, gender, field, position, status) in enumerate(DEMO_NOMINEES):
        id_number = _id_number(i + 1)
        nominations.append(Nomination.objects.create(
            selection=selection, unit=units[i % 2], status=status, name=f"{name}{DEMO_MARK}", gender=gender,
            birth_date=datetime.date(1978 + 2 * i, 3, 1), ethnicity="汉族", political_status="中共党员",
            workplace=units[i % 2].name, position=position, field=field,
            achievements=f"长期从事{field}研究与应用，取得多项创新成果。{DEMO_MARK}",
            deeds_summary=f"在{field}领域取得突出成绩{DEMO_MARK}", honours="青岛市科技进步奖",
            unit_opinion="同意推荐。", mobile_encrypted=personal.encrypt(f"1380000{i:04d}"),
            id_number_encrypted=personal.encrypt(id_number), id_hash=personal.id_hash(id_number),
            return_reason="请补充生活照片。" if status == S.RETURNED else ""))
    expert = get_user_model().objects.filter(username="expert").first()
    if expert is not None:
        ExpertProfile.objects.get_or_create(user=expert, defaults={"unit": units[2] if len(units) > 2 else None,
                                                                   "speciality": "海洋科学"})
        for nomination in nominations:
            if nomination.status == S.ELIGIBLE:
                Assignment.objects.get_or_create(nomination=nomination, expert=expert)
    if stdout is not None:
        stdout.write(f"Awards: a demo selection with {len(nominations)} nominations.")
    return []
