from organisations.models import UnitType
from organisations.tests.factories import UnitFactory


def test_anonymous_is_sent_to_login(client):
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_coordinator_sees_their_units_and_to_dos(login, coordinator_a, unit_a, unit_b):
    unit_a.email = ""
    unit_a.save()
    body = login(coordinator_a).get("/workbench/").content.decode()
    assert "市南区科协" in body
    assert "市北区科技局" not in body
    assert 'data-testid="todos"' in body and "电子邮箱" in body or "e-mail" in body


def test_office_staff_see_the_units_routed_to_their_office(login, bureau, organiser, qingdao):
    UnitFactory.create_batch(3, unit_type=UnitType.DISTRICT_BUREAU)
    UnitFactory.create_batch(2, unit_type=UnitType.UNIVERSITY)
    UnitFactory(unit_type=UnitType.DISTRICT_BUREAU, is_active=False)
    bureau_page = login(bureau).get("/workbench/")
    assert bureau_page.status_code == 200
    overview = bureau_page.context["office_overview"]
    assert [(block["office"].code, block["total"]) for block in overview] == [("qstb-talent", 3)]
    organiser_page = login(organiser).get("/workbench/")
    overview = organiser_page.context["office_overview"]
    assert [(block["office"].code, block["total"]) for block in overview] == [("qast-org-personnel", 2)]


def test_office_staff_cannot_open_the_site_administration(login, bureau, admin_user):
    assert login(bureau).get("/admin/").status_code == 403
    assert login(bureau).get("/admin/organisations/unit/").status_code == 403
    assert login(admin_user).get("/admin/").status_code == 200


def test_the_workbench_has_a_constant_number_of_queries(organiser, coordinator_a):
    """Each capability adds a fixed number of queries for its to-dos; none grows with the data."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"organiser": Client(), "coordinator": Client()}
    clients["organiser"].force_login(organiser)
    clients["coordinator"].force_login(coordinator_a)
    counts = {}
    for n in (5, 100):
        UnitFactory.create_batch(n)
        for role, client in clients.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/workbench/").status_code == 200
            counts[(role, n)] = len(queries)
    assert counts[("organiser", 5)] == counts[("organiser", 100)] <= 40
    assert counts[("coordinator", 5)] == counts[("coordinator", 100)] <= 40
