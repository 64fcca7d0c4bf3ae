import pytest

from accounts.tests.factories import coordinator_of
from organisations.models import District, UnitType
from organisations.tests.factories import UnitFactory

from .factories import ServiceTeamFactory, VolunteerFactory


@pytest.fixture
def society_a(qingdao):
    return UnitFactory(name="青岛市医学会（测）", unit_type=UnitType.SOCIETY, district=None)


@pytest.fixture
def society_b(qingdao):
    return UnitFactory(name="青岛市计算机学会（测）", unit_type=UnitType.SOCIETY, district=None)


@pytest.fixture
def coord_sa(society_a):
    return coordinator_of(society_a, username="coord-sa")


@pytest.fixture
def coord_sb(society_b):
    return coordinator_of(society_b, username="coord-sb")


@pytest.fixture
def team_a(society_a):
    members = [VolunteerFactory(unit=society_a, name=n) for n in ("张医生", "王护士", "刘药师")]
    team = ServiceTeamFactory(unit=society_a, name="医学科普服务团", members=members, leader=members[0])
    return team


@pytest.fixture
def team_b(society_b):
    return ServiceTeamFactory(unit=society_b, name="计算机科普服务团",
                              districts=[District.objects.get(code="shinan"), District.objects.get(code="shibei")])
