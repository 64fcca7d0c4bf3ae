"""The Idempotency-Key mechanism itself, through the summaries API (a PUT and a transition)."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from idempotency.models import IdempotencyKey
from summaries import services as summary_services
from summaries.models import Summary, SummaryState

BODY = {"work_done": "开展座谈会", "results": "成效", "experience": "", "suggestions": "",
        "highlights": [{"title": "亮点", "text": "内容", "activity_ids": []}]}


def _url(campaign, unit, tail=""):
    return f"/api/v1/summaries/{campaign.slug}/{unit.pk}{tail}"


def _submit(client, campaign, unit, key):
    return client.post(_url(campaign, unit, "/transitions/submit"), {}, content_type="application/json",
                       headers={"Idempotency-Key": key})


def _submitted_entries(summary):
    return AuditEntry.objects.filter(action="summaries.summary.submit", object_id=str(summary.pk)).count()


@pytest.mark.django_db
def test_a_retried_submit_gets_the_first_answer_and_submits_once(settings, login, qingdao, unit_a, coordinator_a):
    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    client = login(coordinator_a)
    assert client.put(_url(qingdao, unit_a), BODY, content_type="application/json").status_code == 200
    first = _submit(client, qingdao, unit_a, "retry-1")
    second = _submit(client, qingdao, unit_a, "retry-1")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    summary = Summary.objects.get(unit=unit_a)
    assert summary.state == SummaryState.SUBMITTED
    assert _submitted_entries(summary) == 1
    # Without the key the same retry is refused by the state machine: the key is what makes it safe.
    assert client.post(_url(qingdao, unit_a, "/transitions/submit"), {}, content_type="application/json").status_code == 409


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_in_chinese(settings, login, qingdao, unit_a, coordinator_a):
    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    client = login(coordinator_a)
    headers = {"Idempotency-Key": "k-2", "Accept-Language": "zh-hans"}
    assert client.put(_url(qingdao, unit_a), BODY, content_type="application/json", headers=headers).status_code == 200
    changed = client.put(_url(qingdao, unit_a), {**BODY, "results": "另一份"}, content_type="application/json",
                         headers=headers)
    assert changed.status_code == 422
    assert "已用于另一个请求" in changed.json()["detail"]
    assert Summary.objects.get(unit=unit_a).results == "成效"


@pytest.mark.django_db
def test_keys_are_scoped_per_user(settings, client, qingdao, unit_a, unit_b, coordinator_a, coordinator_b):
    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    headers = {"Idempotency-Key": "same-key"}
    client.force_login(coordinator_a)
    assert client.put(_url(qingdao, unit_a), BODY, content_type="application/json", headers=headers).status_code == 200
    other = Client()
    other.force_login(coordinator_b)
    response = other.put(_url(qingdao, unit_b), BODY, content_type="application/json", headers=headers)
    assert response.status_code == 200 and not response.has_header("Idempotent-Replayed")
    assert Summary.objects.filter(unit__in=[unit_a, unit_b]).count() == 2
    assert set(IdempotencyKey.objects.values_list("scope", flat=True)) == {f"u:{coordinator_a.pk}", f"u:{coordinator_b.pk}"}


@pytest.mark.django_db
def test_a_refusal_releases_the_key_so_a_corrected_retry_runs(settings, login, qingdao, unit_a, coordinator_a):
    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    client = login(coordinator_a)
    refused = _submit(client, qingdao, unit_a, "k-3")  # nothing written yet: 409
    assert refused.status_code == 409 and not IdempotencyKey.objects.exists()
    client.put(_url(qingdao, unit_a), BODY, content_type="application/json")
    assert _submit(client, qingdao, unit_a, "k-3").status_code == 200


@pytest.mark.django_db
def test_a_bad_key_is_refused(login, qingdao, unit_a, coordinator_a):
    response = login(coordinator_a).put(_url(qingdao, unit_a), BODY, content_type="application/json",
                                        headers={"Idempotency-Key": "x" * 300})
    assert response.status_code == 400 and not Summary.objects.exists()


@pytest.mark.django_db
def test_old_keys_are_pruned(settings, login, qingdao, unit_a, coordinator_a):
    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    login(coordinator_a).put(_url(qingdao, unit_a), BODY, content_type="application/json",
                             headers={"Idempotency-Key": "old"})
    login(coordinator_a).put(_url(qingdao, unit_a), BODY, content_type="application/json",
                             headers={"Idempotency-Key": "new"})
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    call_command("prune_idempotency_keys")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_make_one_record(settings, monkeypatch, qingdao, unit_a, coordinator_a):
    """The second waits for the first (the key's row is held until the first commits) and gets its answer."""
    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    setup = Client()
    setup.force_login(coordinator_a)
    assert setup.put(_url(qingdao, unit_a), BODY, content_type="application/json").status_code == 200
    original = summary_services.summary_transition
    calls = []

    def slow_transition(**kwargs):
        calls.append(1)
        time.sleep(0.5)  # long enough that the second request arrives while the first works
        return original(**kwargs)

    monkeypatch.setattr(summary_services, "summary_transition", slow_transition)
    barrier = threading.Barrier(2)
    answers = []
    lock = threading.Lock()

    def send():
        client = Client()
        client.force_login(coordinator_a)
        barrier.wait(timeout=10)
        try:
            response = _submit(client, qingdao, unit_a, "concurrent-1")
            with lock:
                answers.append((response.status_code, response.content))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in answers)
    assert statuses in ([200, 200], [200, 409]), answers
    if statuses == [200, 200]:
        assert answers[0][1] == answers[1][1]
    assert len(calls) == 1
    summary = Summary.objects.get(unit=unit_a)
    assert summary.state == SummaryState.SUBMITTED and _submitted_entries(summary) == 1
