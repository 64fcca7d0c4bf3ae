"""Fixtures shared by every app's tests: the seeded 2022 campaign and the people who use it."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory, coordinator_of, staff_of

_DB_FIXTURES = ("db", "transactional_db", "live_server", "django_db_reset_sequences")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """What data migrations seed (holidays, programmes…) is there in every test that uses the
    database: a transactional test (every browser test) flushes the tables when it ends."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not any(name in request.fixturenames for name in _DB_FIXTURES):
        return
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from core.registry import app_hooks

    for ensure in app_hooks("reference", "ensure_reference_data"):
        ensure()


@pytest.fixture
def qingdao(db):
    """The 2022 Qingdao campaign exactly as ``manage.py load_campaign`` loads it."""
    from campaigns.models import Campaign
    from campaigns.seeding import campaign_load_seed

    campaign_load_seed(slug="qingdao-2022")
    return Campaign.objects.get(slug="qingdao-2022")


@pytest.fixture
def offices(qingdao):
    from organisations.models import Office

    return {o.code: o for o in Office.objects.all()}


@pytest.fixture
def organiser(offices):
    """Office staff of 市科协组织人事部 (an organiser)."""
    return staff_of(offices["qast-org-personnel"], username="organiser-t")


@pytest.fixture
def bureau(offices):
    """Office staff of 市科技局科技人才处."""
    return staff_of(offices["qstb-talent"], username="bureau-t")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-t", is_superuser=True, is_staff=True)


@pytest.fixture
def unit_a(qingdao):
    from organisations.models import District, UnitType
    from organisations.tests.factories import UnitFactory

    return UnitFactory(name="市南区科协", unit_type=UnitType.DISTRICT_ASSOCIATION,
                       district=District.objects.get(code="shinan"))


@pytest.fixture
def unit_b(qingdao):
    from organisations.models import District, UnitType
    from organisations.tests.factories import UnitFactory

    return UnitFactory(name="市北区科技局", unit_type=UnitType.DISTRICT_BUREAU,
                       district=District.objects.get(code="shibei"))


@pytest.fixture
def coordinator_a(unit_a):
    return coordinator_of(unit_a, username="coord-a")


@pytest.fixture
def coordinator_b(unit_b):
    return coordinator_of(unit_b, username="coord-b")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    """``login(user)``: the test client logged in as ``user`` (the real login path is tested elsewhere)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
