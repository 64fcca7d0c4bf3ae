"""Two bookings that together exceed a slot's capacity, made at the same moment, never both succeed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from exhibitions import services
from exhibitions.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_bookings_never_overfill_a_slot(slot_a):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers with its database lock, so two bookings cannot race there; "
                    "this test needs PostgreSQL (DATABASE_URL) — the sequential test covers SQLite.")
    barrier = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(name: str):
        try:
            barrier.wait(timeout=10)
            services.visit_book(slot=slot_a, group_name=name, group_kind="school", group_size=30,
                                contact_name="王老师", contact_phone="13800138000")
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    for _round in range(5):
        Visit.objects.all().delete()
        results.clear()
        barrier.reset()
        threads = [threading.Thread(target=attempt, args=(f"学校{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(results) == ["ok", "refused"], results
        assert Visit.objects.filter(slot=slot_a).count() == 1
        assert services.booked_places(slot_a.pk) == 30
