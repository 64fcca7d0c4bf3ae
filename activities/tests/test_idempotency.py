"""A QR check-in sent twice with one idempotency key (a retry on a weak signal) is one check-in, one answer."""

import pytest
from django.urls import reverse

from activities import services
from activities.models import CheckIn
from idempotency.testing import assert_one_answer, form_key, sent_at_once, sent_twice


@pytest.fixture
def open_checkin(settings, ready_offline, coordinator_a, organiser):
    services.activity_submit(actor=coordinator_a, activity=ready_offline)
    activity = services.activity_approve(actor=organiser, activity=ready_offline)
    settings.SCIDAY_CLOCK = "2022-05-28T08:30+08:00"
    return activity


def _sender(activity, key):
    url = reverse("activities:checkin", args=[services.checkin_code(activity)])
    return lambda client: client.post(url, {"name": "王小明", "phone": "13811110001", "idempotency_key": key})


def test_the_check_in_sent_twice_is_one_check_in_with_the_same_answer(client, open_checkin):
    key = form_key(client.get(reverse("activities:checkin", args=[services.checkin_code(open_checkin)])))
    first, second = sent_twice(_sender(open_checkin, key), client)
    assert first == second and first[0] == 200 and b"checkin-done" in first[2]
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_check_in_sent_twice_at_once_is_one_check_in(open_checkin):
    assert_one_answer(sent_at_once(_sender(open_checkin, "d" * 32)))
    assert CheckIn.objects.count() == 1
