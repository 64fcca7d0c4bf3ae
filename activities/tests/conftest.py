import pytest

from activities.tests.factories import ActivityFactory, pdf_file


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_activity(unit_a):
    def _make(**kwargs):
        kwargs.setdefault("unit", unit_a)
        return ActivityFactory(**kwargs)

    return _make


@pytest.fixture
def ready_offline(make_activity, coordinator_a):
    """An offline draft of unit A with its three plans and the pledge: ready to submit."""
    from activities import services
    from activities.models import Mode, PlanKind
    from organisations.models import District

    activity = make_activity(mode=Mode.OFFLINE, platform="", link="", district=District.objects.get(code="shinan"),
                             address="香港中路100号", frugality_pledge=True)
    for kind in PlanKind.values:
        services.activity_plan_attach(actor=coordinator_a, activity=activity, kind=kind,
                                      uploaded_file=pdf_file(f"{kind}.pdf"))
    return activity
