"""A survey response retried with one idempotency key (a timeout, a 502) is one response, one answer."""

import json

import pytest
from django.test import Client

from idempotency.testing import answer, assert_one_answer, sent_at_once
from surveys.models import Response


def _sender(survey, payload, key):
    return lambda client: client.post(f"/test-api/surveys/{survey.pk}/responses", json.dumps(payload),
                                      content_type="application/json", headers={"Idempotency-Key": key})


def test_a_response_retried_is_one_response(live, api_client, survey, open_link, full_answers):
    payload = {"token": open_link.token, "consent": True, "answers": full_answers}
    # Each send from a new client, as a retry that never got the first answer's device cookie.
    send = _sender(survey, payload, "s-1")
    first, second = answer(send(Client())), answer(send(Client()))
    assert first == second and first[0] == 201
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_response_sent_twice_at_once_is_one_response(live, api_client, survey, open_link, full_answers):
    payload = {"token": open_link.token, "consent": True, "answers": full_answers}
    assert_one_answer(sent_at_once(_sender(survey, payload, "s-2")))
    assert Response.objects.count() == 1
