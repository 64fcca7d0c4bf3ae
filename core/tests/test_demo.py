import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import User
from organisations.models import District, Unit, level_unit_types


def test_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", quiet_logins=True)
    assert not User.objects.filter(username="organiser").exists()


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"  # load_demo builds the demo around the demo clock
    call_command("load_demo", quiet_logins=True)


def test_demo_covers_every_unit_type_and_district(demo):
    assert Unit.objects.count() >= 30
    # every unit type a city has (the province and nation types belong to those levels' deployments)
    assert set(Unit.objects.values_list("unit_type", flat=True)) == set(level_unit_types())
    assert District.objects.exclude(units=None).count() == 10


def test_demo_accounts_follow_the_naming_and_log_in(demo, rf):
    for username in ["organiser", "bureau", "expert", "admin", "coord-shinan-kx", "coord-shinan-kjj",
                     "coord-xihaian-kx", "coord-laixi-kjj", "coord-ouc", "coord-haier"]:
        user = User.objects.get(username=username)
        assert user.check_password("sciday-demo"), username
    assert User.objects.get(username="coord-shinan-kx").unit_memberships.get().unit.name == "市南区科协"
    assert User.objects.get(username="coord-shinan-kjj").unit_memberships.get().unit.name == "市南区科技局"
    assert User.objects.get(username="organiser").office_memberships.get().office.name == "市科协组织人事部"
    assert User.objects.get(username="bureau").office_memberships.get().office.name == "市科技局科技人才处"
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="expert").is_expert
    # Every unit has exactly one demo coordinator.
    assert all(unit.memberships.count() == 1 for unit in Unit.objects.all())
    request = rf.post("/accounts/login/")
    assert authenticate(request, username="coord-ouc", password="sciday-demo") is not None


def test_demo_twice_keeps_one_of_each(demo):
    units, users = Unit.objects.count(), User.objects.count()
    call_command("load_demo", quiet_logins=True)
    assert (Unit.objects.count(), User.objects.count()) == (units, users)


def test_no_account_with_a_known_password_exists_without_the_demo(qingdao):
    assert User.objects.count() == 0
