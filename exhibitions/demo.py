"""Demo exhibitions and education bases (clearly marked 演示): the two 2022 exhibitions with a few stops,
three demo bases with slots around the key day, and bookings in every state."""

import datetime

from django.db import transaction

from campaigns.models import Campaign
from organisations.models import District, Unit

from .models import BaseSlot, EducationBase, ExhibitionStop, GroupKind, Visit, VisitState
from .services import CONTACT_PURPOSE, exhibitions_seed

DEMO_BASES = [
    ("shinan", "青岛海洋科技馆科学家精神教育基地（演示）", "市南区福山路1号（演示地址）",
     "中国海洋科学家群像、“向海图强”科研成就展、科考船模型", "周二至周日 9:00-16:30（周一闭馆）", 60),
    ("laoshan", "崂山科学家精神教育基地（演示）", "崂山区科苑纬一路1号（演示地址）",
     "院士工作站科研历程、青年科技工作者创新成果", "周一至周五 9:00-17:00", 40),
    ("xihaian", "西海岸新区科学家精神教育基地（演示）", "西海岸新区长江中路1号（演示地址）",
     "老一辈科学家手稿与实物、“两弹一星”精神专题", "周三至周日 9:00-16:00", 30),
]
STOPS = [  # (exhibition code, district code, venue, first day offset from the key day, days, visitors)
    ("party-scientists", "shinan", "市南区科协报告厅", -15, 5, 860),
    ("party-scientists", "shibei", "市北区图书馆展厅", -9, 6, 1240),
    ("party-scientists", "xihaian", "西海岸新区科技馆", 0, 7, None),
    ("role-models", "laoshan", "崂山区科创中心大厅", -12, 6, 530),
    ("role-models", "chengyang", "城阳区文化中心", -3, 7, None),
]
GROUPS = [
    ("青岛第二中学（演示）", GroupKind.SCHOOL, 40), ("崂山区实验小学（演示）", GroupKind.SCHOOL, 30),
    ("海洋学会青年科技工作者（演示）", GroupKind.GROUP, 20), ("海尔集团研发中心（演示）", GroupKind.UNIT, 25),
    ("市北区社区科普志愿队（演示）", GroupKind.GROUP, 15), ("青岛大学附属中学（演示）", GroupKind.SCHOOL, 35),
]
STATES = [VisitState.VISITED, VisitState.VISITED, VisitState.NO_SHOW, VisitState.CONFIRMED, VisitState.REQUESTED,
          VisitState.DECLINED, VisitState.CANCELLED, VisitState.REQUESTED]


def _unit(name: str):
    return Unit.objects.filter(name=name).first()


@transaction.atomic
def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    from core.crypto import encrypt_text

    campaign = Campaign.objects.filter(slug="qingdao-2022").first()
    if campaign is None or EducationBase.objects.exists():
        return []
    exhibitions = {e.code: e for e in exhibitions_seed(campaign=campaign)}
    districts = {d.code: d for d in District.objects.all()}
    key_day = campaign.key_day
    for code, district, venue, offset, days, visitors in STOPS:
        if district not in districts:
            continue
        start = key_day + datetime.timedelta(days=offset)
        ExhibitionStop.objects.create(
            exhibition=exhibitions[code], host_unit=_unit(f"{districts[district].name}科协"),
            venue=f"{venue}（演示）", district=districts[district], starts_on=start,
            ends_on=start + datetime.timedelta(days=days - 1), visitors=visitors)
    visit_no = 0
    for district, name, address, exhibits, hours, capacity in DEMO_BASES:
        if district not in districts:
            continue
        base = EducationBase.objects.create(
            name=name, district=districts[district], address=address, exhibits=exhibits, opening_hours=hours,
            capacity_per_slot=capacity, contact_person="刘老师（演示）", contact_phone="0532-80000000",
            managing_unit=_unit(f"{districts[district].name}科协"))
        for offset in (-6, -2, 0, 3, 7):
            day = key_day + datetime.timedelta(days=offset)
            for start, end in ((datetime.time(9), datetime.time(10, 30)), (datetime.time(14), datetime.time(15, 30))):
                slot = BaseSlot.objects.create(base=base, date=day, starts_at=start, ends_at=end, capacity=capacity)
                group, kind, size = GROUPS[visit_no % len(GROUPS)]
                size = min(size, capacity)
                state = STATES[visit_no % len(STATES)] if offset < 0 else (
                    VisitState.CONFIRMED if visit_no % 2 else VisitState.REQUESTED)
                visit_no += 1
                Visit.objects.create(
                    base=base, slot=slot, reference=f"VDEMO{visit_no:04d}", group_name=group, group_kind=kind,
                    group_size=size, state=state, booked_by=None,
                    contact_encrypted=encrypt_text(f"张老师 1380000{visit_no:04d}", purpose=CONTACT_PURPOSE),
                    contact_masked=f"张** 138****{visit_no:04d}",
                    visitors=size - visit_no % 4 if state == VisitState.VISITED else None,
                    decline_reason="该时段已安排内部活动，请改约其他时段。" if state == VisitState.DECLINED else "")
    if stdout is not None:
        stdout.write(f"Exhibitions: 2 exhibitions, {ExhibitionStop.objects.count()} stops; "
                     f"{EducationBase.objects.count()} demo education bases, {Visit.objects.count()} bookings.")
    return []
