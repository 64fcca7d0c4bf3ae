"""Every list page keeps a constant number of SQL queries as its rows grow: the inbox and the exports list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import UnitType
from organisations.tests.factories import UnitFactory
from summaries.models import Export, ExportStatus, SummaryState

from .factories import HighlightFactory, SummaryFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_inbox_keeps_a_constant_number_of_queries(login, qingdao, organiser):
    client = login(organiser)
    url = reverse("summaries:inbox")
    SummaryFactory(unit=UnitFactory(unit_type=UnitType.SOCIETY), state=SummaryState.SUBMITTED)
    small, _page = _queries(client, url)
    for n in range(30):
        summary = SummaryFactory(unit=UnitFactory(unit_type=UnitType.SOCIETY),
                                 state=SummaryState.SUBMITTED if n % 2 else SummaryState.ACCEPTED, is_late=n % 3 == 0)
        HighlightFactory(summary=summary)
    large, page = _queries(client, url)
    assert large <= small
    assert page.count('data-testid="inbox-row"') >= 25  # the rows are there (a page of them)


def test_the_exports_list_keeps_a_constant_number_of_queries(login, qingdao, organiser):
    client = login(organiser)
    url = reverse("summaries:exports")
    Export.objects.create(kind="report", owner=organiser, status=ExportStatus.DONE, progress=100, filename="a.docx")
    small, _page = _queries(client, url)
    for n in range(40):
        Export.objects.create(kind=("report", "workbook", "package")[n % 3], owner=organiser,
                              status=(ExportStatus.DONE, ExportStatus.RUNNING, ExportStatus.FAILED)[n % 3],
                              progress=50, filename=f"{n}.docx")
    large, page = _queries(client, url)
    assert large <= small
    assert page.count("<tr") > 20
