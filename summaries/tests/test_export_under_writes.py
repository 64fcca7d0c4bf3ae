"""A background export completes while other people write: sessions saved by polling pages, rows changed
by other requests. On SQLite a write from the export's own connection while its chunked read is open
used to fail with "database is locked" as soon as anyone else had committed in between."""

import copy
import threading
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, State
from activities.tests.factories import ActivityFactory
from summaries import exports
from summaries.models import Export, ExportStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _writer(stop: threading.Event, first_id: int, errors: list, writes: list) -> None:
    """Another request every 20-100 ms: a session saved and a row changed, each committed at once."""
    try:
        while not stop.is_set():
            store = SessionStore()
            store["poll"] = time.monotonic()
            store.save()
            Activity.objects.filter(pk=first_id).update(online_views=len(writes))
            writes.append(1)
            time.sleep(0.02)
    except Exception as exc:  # noqa: BLE001 - reported to the test
        errors.append(exc)
    finally:
        close_old_connections()
        connection.close()


@pytest.mark.parametrize("kind", ["summaries.workbook", "summaries.report"])
def test_an_export_completes_while_others_write_every_few_milliseconds(kind, qingdao, organiser, unit_a):
    template = ActivityFactory.build(unit=unit_a, state=State.APPROVED)
    rows = []
    for i in range(12_000):  # more than one chunk of the export's read, and a progress write inside it
        row = copy.copy(template)
        row.title = f"导出活动{i}"
        rows.append(row)
    Activity.objects.bulk_create(rows, batch_size=2000)
    first_id = Activity.objects.order_by("pk").values_list("pk", flat=True).first()
    export = Export.objects.create(kind=kind, params={"campaign": qingdao.slug, "office": "qast-org-personnel"}, owner=organiser)

    stop, errors, writes = threading.Event(), [], []
    thread = threading.Thread(target=_writer, args=(stop, first_id, errors, writes))
    thread.start()
    try:
        time.sleep(0.1)
        export = exports.export_run(export_id=export.pk)
    finally:
        stop.set()
        thread.join(timeout=30)

    assert errors == []
    assert len(writes) > 1  # the other writer really wrote during the export
    assert export.status == ExportStatus.DONE, export.error
    assert export.progress == 100 and export.file


def test_polling_an_exports_progress_does_not_write_the_session_each_time(login, organiser, qingdao):
    export = Export.objects.create(kind="summaries.workbook", params={"campaign": qingdao.slug, "office": "qast-org-personnel"}, owner=organiser)
    client = login(organiser)
    client.get("/summaries/exports/")
    session_writes = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/summaries/exports/{export.pk}/status/").status_code == 200
        session_writes += [q["sql"] for q in captured.captured_queries
                           if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert session_writes == []
