import pytest


@pytest.fixture
def at(settings):
    """``at("2022-06-10T10:00")``: move sciday's clock (Asia/Shanghai)."""

    def _at(when: str):
        settings.SCIDAY_CLOCK = when if "+" in when else f"{when}+08:00"

    return _at


@pytest.fixture
def activities_a(unit_a, qingdao):
    """Activities of unit_a: two held (one offline with check-ins and coverage), one cancelled, one draft."""
    import datetime

    from activities.models import CheckIn, MediaCoverage, Mode, State
    from activities.tests.factories import ActivityFactory

    held_online = ActivityFactory(unit=unit_a, state=State.HELD, actual_participants=120, online_views=3000)
    held_offline = ActivityFactory(unit=unit_a, state=State.RECOMMENDED_UP, mode=Mode.OFFLINE, actual_participants=80,
                                   address="青岛市市南区香港中路", description="青年科技工作者座谈会。")
    cancelled = ActivityFactory(unit=unit_a, state=State.CANCELLED)
    draft = ActivityFactory(unit=unit_a, state=State.DRAFT, actual_participants=999)
    for n in range(3):
        CheckIn.objects.create(activity=held_offline, name=f"张{n}", phone=f"1391234567{n}")
    MediaCoverage.objects.create(activity=held_offline, outlet="青岛日报", title="科技工作者日", date=datetime.date(2022, 5, 31))
    return {"held_online": held_online, "held_offline": held_offline, "cancelled": cancelled, "draft": draft}
