"""An objection sent twice with one idempotency key (a double click, a retry) is one objection."""

import datetime

import pytest
from django.urls import reverse

from awards import services
from awards.models import Nomination, Objection
from awards.tests.factories import NominationFactory
from idempotency.testing import assert_one_answer, form_key, sent_at_once, sent_twice

S = Nomination.Status


def _published(selection, organiser, settings):
    from .test_issue17 import _score

    finalist = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张三")
    _score(organiser, finalist, 90)
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[finalist.pk])
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2022, 6, 1), text="公示")
    return finalist


def _sender(selection, finalist, key):
    url = reverse("awards:public_notice", args=[selection.campaign.slug])
    data = {"nomination": finalist.pk, "name": "王五", "phone": "13700001111", "facts": "有出入", "idempotency_key": key}
    return lambda client: client.post(url, data)


def test_the_objection_sent_twice_is_one_objection(selection, organiser, settings, client):
    finalist = _published(selection, organiser, settings)
    key = form_key(client.get(reverse("awards:public_notice", args=[selection.campaign.slug])))
    first, second = sent_twice(_sender(selection, finalist, key), client)
    assert first == second and first[0] == 302
    assert Objection.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_objection_sent_twice_at_once_is_one_objection(selection, organiser, settings):
    finalist = _published(selection, organiser, settings)
    assert_one_answer(sent_at_once(_sender(selection, finalist, "c" * 32)))
    assert Objection.objects.count() == 1
