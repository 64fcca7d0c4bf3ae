"""The demo data set: real Qingdao unit names, clearly fake contacts, and accounts whose password is
``sciday-demo``. It is for demonstrations only; ``load_demo`` refuses to run with DEBUG off."""

from django.contrib.auth import get_user_model
from django.db import transaction

from core.upsert import upsert
from organisations.models import District, Office, OfficeMembership, Unit, UnitMembership, UnitType

DEMO_PASSWORD = "sciday-demo"

# (username suffix, unit name, unit type)
OTHER_UNITS = [
    ("yixue", "青岛市医学会", UnitType.SOCIETY),
    ("nongxue", "青岛市农学会", UnitType.SOCIETY),
    ("jisuanji", "青岛市计算机学会", UnitType.SOCIETY),
    ("haiyang", "青岛市海洋学会", UnitType.SOCIETY),
    ("jixie", "青岛市机械工程学会", UnitType.SOCIETY),
    ("kepuzuojia", "青岛市科普作家协会", UnitType.SOCIETY),
    ("ouc", "中国海洋大学科协", UnitType.UNIVERSITY),
    ("qdu", "青岛大学科协", UnitType.UNIVERSITY),
    ("qust", "青岛科技大学科协", UnitType.UNIVERSITY),
    ("sdust", "山东科技大学科协", UnitType.UNIVERSITY),
    ("haier", "海尔集团科协", UnitType.ENTERPRISE),
    ("hisense", "海信集团科协", UnitType.ENTERPRISE),
    ("tsingtao", "青岛啤酒股份有限公司科协", UnitType.ENTERPRISE),
    ("crrc", "中车青岛四方机车车辆股份有限公司科协", UnitType.ENTERPRISE),
    ("qibebt", "中国科学院青岛生物能源与过程研究所", UnitType.INSTITUTE),
    ("fio", "自然资源部第一海洋研究所", UnitType.INSTITUTE),
    ("ysfri", "中国水产科学研究院黄海水产研究所", UnitType.INSTITUTE),
    ("qimt", "青岛市农业科学研究院", UnitType.INSTITUTE),
]

SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"


def _user(username: str, *, full_name: str, is_superuser: bool = False, is_expert: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
    user.full_name = full_name
    user.email = f"{username}@example.com"
    user.is_superuser = user.is_staff = is_superuser
    user.is_expert = is_expert
    user.is_active = True
    user.must_change_password = False
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def demo_units() -> list[tuple[str, str, str, District | None]]:
    """(username, unit name, unit type, district) for every demo unit."""
    rows = []
    for district in District.objects.order_by("order"):
        rows.append((f"coord-{district.code}-kx", f"{district.name}科协", UnitType.DISTRICT_ASSOCIATION, district))
        rows.append((f"coord-{district.code}-kjj", f"{district.name}科技局", UnitType.DISTRICT_BUREAU, district))
    districts = list(District.objects.order_by("order"))
    for i, (suffix, name, unit_type) in enumerate(OTHER_UNITS):
        # Societies, universities, enterprises and institutes are city-wide; their seat is recorded.
        rows.append((f"coord-{suffix}", name, unit_type, districts[i % len(districts)] if districts else None))
    return rows


@transaction.atomic
def load_units_and_accounts(stdout=None) -> list[tuple[str, str]]:
    """Units of every type and district, their coordinators, and the organiser/bureau/expert/admin logins."""
    logins = []
    offices = {o.code: o for o in Office.objects.all()}
    organiser = _user("organiser", full_name="组织人事部工作人员（演示）")
    OfficeMembership.objects.get_or_create(user=organiser, office=offices["qast-org-personnel"])
    logins.append(("organiser", "市科协组织人事部 office staff"))
    bureau = _user("bureau", full_name="科技人才处工作人员（演示）")
    OfficeMembership.objects.get_or_create(user=bureau, office=offices["qstb-talent"])
    logins.append(("bureau", "市科技局科技人才处 office staff"))
    _user("expert", full_name="评审专家（演示）", is_expert=True)
    logins.append(("expert", "expert reviewer"))
    _user("admin", full_name="系统管理员（演示）", is_superuser=True)
    logins.append(("admin", "site administrator"))
    for i, (username, name, unit_type, district) in enumerate(demo_units(), start=1):
        surname = SURNAMES[i % len(SURNAMES)]
        unit, _outcome = upsert(Unit, {"name": name}, {
            "unit_type": unit_type, "district": district,
            "contact_person": f"{surname}老师（演示）",
            "phone": f"0532-8{i:07d}",
            "email": f"unit{i:02d}@example.com",
            "is_active": True,
        })
        user = _user(username, full_name=f"{name}联络员（演示）")
        UnitMembership.objects.get_or_create(user=user, unit=unit)
        logins.append((username, name))
    return logins


load_demo_data = load_units_and_accounts
