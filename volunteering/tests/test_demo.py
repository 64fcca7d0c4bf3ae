from decimal import Decimal

from django.core.management import call_command

from volunteering import selectors
from volunteering.models import RequestStatus, ServiceRequest, ServiceTeam


def test_the_demo_has_teams_requests_in_several_states_and_confirmed_hours(db, settings):
    settings.DEBUG = True
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    call_command("load_demo", quiet_logins=True)
    teams = ServiceTeam.objects.filter(name__endswith="（演示）")
    assert teams.count() == 6 and teams.get(name="医学科普服务团（演示）").unit.name == "青岛市医学会"
    states = set(ServiceRequest.objects.values_list("status", flat=True))
    assert {RequestStatus.SUBMITTED, RequestStatus.MATCHED, RequestStatus.SCHEDULED, RequestStatus.SERVED,
            RequestStatus.CONFIRMED, RequestStatus.CLOSED} <= states
    assert sum(t.confirmed_hours for t in selectors.teams_visible(user=None)) > Decimal("0")
    call_command("load_demo", quiet_logins=True)
    assert ServiceTeam.objects.filter(name__endswith="（演示）").count() == 6
