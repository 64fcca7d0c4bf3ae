"""One meaning per message (issue 14 item 5): the group that books a visit reads 「团体」 on the visits page, not the
report's 「分组」 (a breakdown), whatever catalogue Django merges first."""

import re

import pytest
from django.urls import reverse

from exhibitions.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_the_visits_table_heads_the_booking_group_as_a_group_of_visitors(login, organiser, slot_a):
    VisitFactory(slot=slot_a, group_name="第一中学")
    page = login(organiser).get(reverse("exhibitions:visits")).content.decode()
    headers = re.findall(r"<th>(.*?)</th>", page.split('data-testid="visit-table"', 1)[1].split("</thead>")[0])
    assert "团体" in headers and "分组" not in headers
    assert "第一中学" in page
