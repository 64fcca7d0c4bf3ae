"""A problem report sent twice with one idempotency key (a double click, a retry) is one report."""

import pytest

from idempotency.testing import assert_one_answer, form_key, sent_at_once, sent_twice
from problems.models import Problem

DATA = {"category": "housing", "description": "租房补贴迟迟未到账。", "contact": "13812345678", "consent": "on"}


def _sender(key):
    return lambda client: client.post("/problems/submit/", {**DATA, "idempotency_key": key})


def test_the_form_sent_twice_makes_one_report(client, qingdao):
    key = form_key(client.get("/problems/submit/"))
    first, second = sent_twice(_sender(key), client)
    assert first == second and first[0] == 302
    assert Problem.objects.count() == 1


def test_the_api_call_retried_makes_one_report(settings, login, organiser):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"

    def send(client):
        return client.post("/api/v1/problems/", {"category": "talent_policy", "description": "不了解人才项目申报",
                                                 "source": "symposium"},
                           content_type="application/json", headers={"Idempotency-Key": "p-1"})

    first, second = sent_twice(send, login(organiser))
    assert first == second and first[0] == 201
    assert Problem.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_form_sent_twice_at_once_makes_one_report(qingdao):
    assert_one_answer(sent_at_once(_sender("a" * 32)))
    assert Problem.objects.count() == 1
