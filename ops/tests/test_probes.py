"""/healthz, /readyz, /metrics and the request log."""

import json
import logging

import pytest
from django.core.cache import cache

from ops import checks
from ops.logging import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_asking_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_readyz_reports_every_dependency(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "cache", "storage", "queue"}
    assert all(check["status"].startswith("ok") for check in body["checks"].values())


def test_readyz_is_503_and_names_the_dependency_that_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(cache, "set", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["cache"]["status"] == "error: ConnectionError: Connection refused"
    assert body["checks"]["database"]["status"] == "ok"


def test_the_queue_depth_counts_waiting_tasks():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    before = checks.queue_depth()
    DBTaskResult.objects.create(status=TaskResultStatus.READY, task_path="x.y", args_kwargs={"args": [], "kwargs": {}},
                                queue_name="default", backend_name="default", priority=0)
    assert checks.queue_depth() == before + 1


def test_metrics_are_404_when_off_and_to_anyone_but_the_operator(client, settings):
    settings.SCIDAY_METRICS = False
    assert client.get("/metrics").status_code == 404
    settings.SCIDAY_METRICS = True
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    # Through a proxy (nginx connects from 127.0.0.1 but adds X-Forwarded-For): refused too.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 404


def test_metrics_to_the_operator_include_queue_depth_and_exports(client, settings):
    settings.SCIDAY_METRICS = True
    from ops import metrics

    metrics.register()

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    text = response.content.decode()
    assert 'sciday_task_queue_depth{status="ready"}' in text
    assert "sciday_exports_in_progress" in text


def test_the_request_id_is_passed_through_and_logged_with_the_user_id(client, caplog, coordinator_a):
    client.force_login(coordinator_a)
    with caplog.at_level(logging.INFO, logger="sciday.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")

    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    record = next(r for r in caplog.records if r.name == "sciday.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["user_id"] == coordinator_a.pk
    assert line["status"] == 200 and line["path"] == "/healthz" and line["duration_ms"] >= 0
    assert coordinator_a.username not in json.dumps(line, ensure_ascii=False)


def test_a_forged_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32
