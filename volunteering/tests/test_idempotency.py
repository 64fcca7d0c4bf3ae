"""A service request sent twice with one idempotency key (a double click, a retry) is one request."""

import pytest
from django.urls import reverse

from idempotency.testing import assert_one_answer, form_key, sent_at_once, sent_twice
from organisations.models import District
from volunteering.models import ServiceRequest

from .factories import field_named


def _sender(key):
    data = {"requester_kind": "community", "organisation": "八大湖街道社区", "need": "科普进社区",
            "field": field_named().pk, "district": District.objects.get(code="shinan").pk,
            "contact_name": "李主任", "contact_phone": "13700001111", "consent": "on", "idempotency_key": key}
    return lambda client: client.post(reverse("volunteering:request_public"), data)


def test_the_form_sent_twice_makes_one_request(client, qingdao):
    key = form_key(client.get(reverse("volunteering:request_public")))
    first, second = sent_twice(_sender(key), client)
    assert first == second and first[0] == 302
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_form_sent_twice_at_once_makes_one_request(qingdao):
    assert_one_answer(sent_at_once(_sender("b" * 32)))
    assert ServiceRequest.objects.count() == 1
