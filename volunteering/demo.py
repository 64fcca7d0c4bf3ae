"""Demo volunteer service: teams of the demo societies, volunteers, requests in every state and service
records with confirmed hours. Every name is marked （演示）; the phone numbers are fake (1380000xxxx)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from core import clock
from organisations.models import District, Unit

from .models import ExpertiseField, Programme, RequestStatus, ServiceTeam
from .services import (
    hours_confirm,
    record_create,
    request_requester_confirm,
    request_submit,
    request_transition,
    team_create,
    volunteer_create,
)

DEMO_MARK = "（演示）"
# (coordinator, unit, team name, fields, district codes)
TEAMS = [
    ("coord-yixue", "青岛市医学会", "医学科普服务团", ["医疗卫生", "科普教育"], ["shinan", "shibei", "licang"]),
    ("coord-jisuanji", "青岛市计算机学会", "信息技术科普服务团", ["信息技术", "科普教育"], ["shinan", "laoshan", "xihaian"]),
    ("coord-nongxue", "青岛市农学会", "农业科技服务团", ["农业技术"], ["jimo", "pingdu", "laixi", "jiaozhou"]),
    ("coord-haiyang", "青岛市海洋学会", "海洋科普服务团", ["海洋科学", "科普教育"], ["shinan", "xihaian"]),
    ("coord-kepuzuojia", "青岛市科普作家协会", "科普创作服务团", ["科普教育"], ["shibei", "licang", "chengyang"]),
    ("coord-jixie", "青岛市机械工程学会", "装备制造企业服务团", ["机械制造", "企业创新"], ["chengyang", "jiaozhou"]),
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林"
TITLES = ["主任医师", "高级工程师", "副教授", "研究员", "工程师", "教授"]
# (kind, organisation, need, field, district code, programme code, target state)
REQUESTS = [
    ("community", "八大湖街道社区", "科普进社区：为老年居民讲解防范电信诈骗和智能手机使用", "科普教育", "shinan",
     "silver-bell", RequestStatus.CONFIRMED),
    ("school", "市北区实验小学", "课后科学实验课，每周一次，面向三年级学生", "科普教育", "shibei", "double-reduction",
     RequestStatus.SERVED),
    ("village", "即墨区某村委会", "大棚蔬菜病虫害防治技术指导", "农业技术", "jimo", "", RequestStatus.SCHEDULED),
    ("community", "李沧区某社区", "老年人慢性病健康讲座", "医疗卫生", "licang", "silver-bell", RequestStatus.MATCHED),
    ("school", "崂山区某幼儿园", "海洋生物科普进校园", "海洋科学", "laoshan", "dandelion", RequestStatus.SUBMITTED),
    ("enterprise", "城阳区某机械企业", "数控设备改造技术咨询", "机械制造", "chengyang", "", RequestStatus.SUBMITTED),
    ("community", "西海岸新区某社区", "青少年编程兴趣课", "信息技术", "xihaian", "dandelion", RequestStatus.CLOSED),
]


@transaction.atomic
def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    if ServiceTeam.objects.filter(name__endswith=DEMO_MARK).exists():
        return []  # loaded before: keep what demonstrators changed since
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="coord-")}
    organiser = get_user_model().objects.filter(username="organiser").first()
    units = {u.name: u for u in Unit.objects.filter(name__in=[t[1] for t in TEAMS])}
    fields = {f.name: f for f in ExpertiseField.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    programmes = {p.code: p for p in Programme.objects.all()}
    if organiser is None or not units:
        return []
    today = clock.today()
    teams = {}
    phone = 0
    for username, unit_name, team_name, field_names, district_codes in TEAMS:
        unit, user = units.get(unit_name), users.get(username)
        if unit is None or user is None:
            continue
        members = []
        for i in range(5):
            phone += 1
            members.append(volunteer_create(
                actor=user, unit=unit, name=f"{SURNAMES[phone % len(SURNAMES)]}{'明华丽强芳伟静'[i % 7]}{DEMO_MARK}",
                mobile=f"1380000{phone:04d}", gender="male" if i % 2 else "female", workplace=unit_name,
                field=fields.get(field_names[0]), title=TITLES[phone % len(TITLES)],
                registry_number=f"DEMO{phone:06d}" if i % 2 == 0 else ""))
        teams[unit_name] = (team_create(
            actor=user, unit=unit, name=f"{team_name}{DEMO_MARK}", description=f"{unit_name}组建的{team_name}。",
            fields=[fields[n] for n in field_names if n in fields],
            districts=[districts[c] for c in district_codes if c in districts],
            members=members, leader=members[0]), user)
    if not teams:
        return []
    for i, (kind, organisation, need, field_name, district_code, programme_code, target) in enumerate(REQUESTS):
        req, code = request_submit(
            requester_kind=kind, organisation=f"{organisation}{DEMO_MARK}", need=need, field=fields[field_name],
            district=districts[district_code], contact_name=f"{SURNAMES[i]}主任{DEMO_MARK}",
            contact_phone=f"1380001{i:04d}", consent=True, programme=programmes.get(programme_code),
            preferred_from=today + timedelta(days=3), preferred_to=today + timedelta(days=20))
        if target == RequestStatus.SUBMITTED:
            continue
        if target == RequestStatus.CLOSED:
            request_transition(actor=organiser, request=req, action="close", note="需求方已另行安排（演示）。")
            continue
        team, user = next(((t, u) for t, u in teams.values()
                           if fields[field_name] in t.fields.all()), next(iter(teams.values())))
        request_transition(actor=user, request=req, action="match", team=team)
        if target == RequestStatus.MATCHED:
            continue
        day = today - timedelta(days=2 + i)
        request_transition(actor=user, request=req, action="schedule", scheduled_for=day)
        if target == RequestStatus.SCHEDULED:
            continue
        members = list(team.members.order_by("id"))[:3]
        record = record_create(actor=user, team=team, request=req, date=day, place=f"{organisation}活动室",
                               summary=f"{need}（演示）", beneficiaries=40 + i * 5,
                               beneficiary_kind="老年居民" if programme_code == "silver-bell" else "学生",
                               attendance=[(m, Decimal("2.5")) for m in members])
        hours_confirm(actor=user, record=record, hour_ids=[h.pk for h in record.hours.all()][:2])
        if target == RequestStatus.CONFIRMED:
            request_requester_confirm(request=req, receipt_code=code, note="服务很好，谢谢（演示）。")
    # A few services the teams carried out on their own initiative, with every hour confirmed.
    for j, (team, user) in enumerate(teams.values()):
        members = list(team.members.order_by("id"))
        record = record_create(actor=user, team=team, date=today - timedelta(days=5 + j),
                               place="新时代文明实践中心（演示）", programme=list(programmes.values())[j % 3],
                               beneficiaries=60, beneficiary_kind="社区居民",
                               attendance=[(m, Decimal("3")) for m in members])
        hours_confirm(actor=user, record=record, hour_ids=[h.pk for h in record.hours.all()])
    if stdout is not None:
        stdout.write(f"Volunteer service: {len(teams)} demo teams, {len(REQUESTS)} requests.")
    return []
