"""Every list page keeps a constant number of SQL queries as its rows grow: the expert's reviews and the
organisers' objections."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import personal
from awards.models import Assignment, Nomination, Objection
from awards.tests.factories import NominationFactory, expert

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_reviews_list_keeps_a_constant_number_of_queries(selection, login, unit_a, unit_b):
    reviewer = expert("expert-q")
    client = login(reviewer)
    url = reverse("awards:reviews")

    def add(n):
        for i in range(n):
            nomination = NominationFactory(selection=selection, unit=(unit_a, unit_b)[i % 2],
                                           status=Nomination.Status.ELIGIBLE)
            Assignment.objects.create(nomination=nomination, expert=reviewer,
                                      status=(Assignment.Status.ASSIGNED, Assignment.Status.SCORED)[i % 2])

    add(1)
    small, _page = _queries(client, url)
    add(30)
    large, page = _queries(client, url)
    assert large <= small
    assert page.count("/awards/reviews/") >= 25  # a page of them


def test_the_objections_list_keeps_a_constant_number_of_queries(selection, login, organiser, unit_a, unit_b):
    client = login(organiser)
    url = reverse("awards:objections", args=[selection.pk])

    def add(n):
        for i in range(n):
            nomination = NominationFactory(selection=selection, unit=(unit_a, unit_b)[i % 2],
                                           status=Nomination.Status.FINALIST)
            Objection.objects.create(nomination=nomination, name=f"王{i}", facts="请核实",
                                     phone_encrypted=personal.encrypt("13700001111"))

    add(1)
    small, _page = _queries(client, url)
    add(30)
    large, page = _queries(client, url)
    assert large <= small
    assert page.count("data-testid=\"objection-") >= 25
