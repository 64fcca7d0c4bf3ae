"""For the tests of every covered write: send one request twice with one key, in turn and at once."""

import re
import threading

from django.db import connections
from django.test import Client

from .middleware import FIELD

KEY_FIELD = re.compile(rf'name="{FIELD}" value="([0-9a-f]{{32}})"')


def form_key(page) -> str:
    """The idempotency key the rendered form carries (the hidden field)."""
    found = KEY_FIELD.search(page.content.decode())
    assert found, "the form carries no idempotency key"
    return found.group(1)


def answer(response) -> tuple:
    return response.status_code, response.get("Location"), response.content


def sent_twice(send, client: Client | None = None):
    """``send(client)`` twice in turn: the two answers."""
    client = client or Client()
    return answer(send(client)), answer(send(client))


def sent_at_once(send, make_client=Client):
    """``send(client)`` from two threads at the same moment, each with its own client and connection."""
    barrier = threading.Barrier(2)
    answers, errors = [], []
    lock = threading.Lock()

    def one():
        client = make_client()
        try:
            barrier.wait(timeout=10)
            response = send(client)
            with lock:
                answers.append(answer(response))
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return answers


def assert_one_answer(answers) -> None:
    """Both got the same answer, or the second was told 409 「正在处理」 (never two records: the caller counts)."""
    statuses = sorted(a[0] for a in answers)
    assert len(answers) == 2, answers
    if 409 in statuses and statuses[0] != statuses[1]:
        return
    assert answers[0] == answers[1], answers
