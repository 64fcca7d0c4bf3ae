"""The summary form's 「提交」 retried with the key its page carries (a 502 or a lost answer at the deadline).

bench/deadline_surge.py does this through nginx while an app server is SIGKILLed; these tests pin the
three outcomes a retry can meet: the first request finished (the retry gets its answer, nothing is
done twice), the first died before committing (nothing of it is kept, the retry does the work), and
both arrive at once (one does the work, the other waits for its answer or is told 「正在处理」)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from idempotency.models import IdempotencyKey
from idempotency.testing import assert_one_answer, sent_at_once
from summaries import services
from summaries.models import Summary, SummaryState

pytestmark = pytest.mark.django_db

FORM_KEY = re.compile(r'data-testid="summary-form".*?name="idempotency_key" value="([0-9a-f]{32})"', re.S)


def _edit(campaign, unit):
    return reverse("summaries:edit", args=[campaign.slug, unit.pk])


def _summary_form_key(client, url) -> str:
    """The key the summary form itself carries (the page's other forms carry their own)."""
    found = FORM_KEY.search(client.get(url).content.decode())
    assert found, "the summary form carries no idempotency key"
    return found.group(1)


def _submit(client, url, key):
    return client.post(
        url,
        {
            "hl-TOTAL_FORMS": "1",
            "hl-INITIAL_FORMS": "0",
            "hl-MIN_NUM_FORMS": "0",
            "hl-MAX_NUM_FORMS": "20",
            "work_done": "开展座谈会",
            "results": "成效",
            "experience": "",
            "suggestions": "",
            "hl-0-title": "亮点一",
            "hl-0-text": "内容",
            "submit": "1",
            "idempotency_key": key,
        },
    )


def _submit_entries(unit) -> int:
    return AuditEntry.objects.filter(
        action="summaries.summary.submit",
        object_id__in=[str(pk) for pk in Summary.objects.filter(unit=unit).values_list("pk", flat=True)],
    ).count()


def test_the_submit_sent_again_with_its_key_gets_the_first_answer(at, login, qingdao, unit_a, coordinator_a):
    at("2022-06-15T23:50")
    client = login(coordinator_a)
    url = _edit(qingdao, unit_a)
    key = _summary_form_key(client, url)
    first = _submit(client, url, key)
    second = _submit(client, url, key)  # the answer to the first was lost: the same request again
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url and first.content == second.content
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    summary = Summary.objects.get(unit=unit_a)
    assert summary.state == SummaryState.SUBMITTED and not summary.is_late
    assert _submit_entries(unit_a) == 1
    assert IdempotencyKey.objects.get().status == 302


def test_a_submit_that_died_before_committing_is_done_by_its_retry(at, monkeypatch, qingdao, unit_a, coordinator_a):
    """The server fails after writing the summary and submitting it, before answering: none of it stays."""
    at("2022-06-15T23:50")
    client = Client(raise_request_exception=False)
    client.force_login(coordinator_a)
    url = _edit(qingdao, unit_a)
    key = _summary_form_key(client, url)
    original = services.summary_transition

    def dies_after_the_work(**kwargs):
        original(**kwargs)
        raise RuntimeError("the app server died here")

    monkeypatch.setattr(services, "summary_transition", dies_after_the_work)
    assert _submit(client, url, key).status_code == 500
    assert not Summary.objects.filter(unit=unit_a).exists()
    assert not AuditEntry.objects.filter(action__startswith="summaries.summary.").exists()
    assert not IdempotencyKey.objects.exists()

    monkeypatch.setattr(services, "summary_transition", original)
    retry = _submit(client, url, key)
    assert retry.status_code == 302 and not retry.has_header("Idempotent-Replayed")
    assert Summary.objects.get(unit=unit_a).state == SummaryState.SUBMITTED
    assert _submit_entries(unit_a) == 1


@pytest.mark.django_db(transaction=True)
def test_the_submit_sent_twice_at_once_submits_once(at, qingdao, unit_a, coordinator_a):
    at("2022-06-15T23:50")

    def signed_in():
        client = Client()
        client.force_login(coordinator_a)
        return client

    url = _edit(qingdao, unit_a)
    key = _summary_form_key(signed_in(), url)
    assert_one_answer(sent_at_once(lambda client: _submit(client, url, key), make_client=signed_in))
    assert Summary.objects.get(unit=unit_a).state == SummaryState.SUBMITTED
    assert _submit_entries(unit_a) == 1
