"""The transition table holds whatever sequence of actions people try, in any order, by anyone."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import TransitionNotAllowed
from problems import services
from problems.models import Status
from problems.tests.factories import ProblemFactory

RECEIPT = "K7QD-M2XA-9PRT"
ACTORS = ("organiser", "coordinator_a", "coordinator_b", "submitter", "system")
ACTIONS = (*services.ACTION_PERMISSIONS, "reopen", "delete")
DETAILS = {
    "decline": {"note": "理由"}, "progress": {"note": "进展"}, "object": {"note": "没解决"},
    "resolve": {"resolution": "已办", "public_summary": "概述"},
}


def test_closed_is_reached_only_from_resolved():
    assert {state for (state, _action), target in services.TRANSITIONS.items() if target == Status.CLOSED} \
        == {Status.RESOLVED}
    assert set(services.TRANSITIONS.values()) <= set(Status.values)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS), st.booleans()), max_size=14))
def test_random_action_sequences_follow_the_table(organiser, coordinator_a, coordinator_b, unit_a, unit_b, steps):
    people = {"organiser": organiser, "coordinator_a": coordinator_a, "coordinator_b": coordinator_b}
    problem = ProblemFactory(receipt=RECEIPT)
    for who, action, to_unit_a in steps:
        before = problem.status
        details = dict(DETAILS.get(action, {}))
        if action == "assign":
            details["unit"] = unit_a if to_unit_a else unit_b
        try:
            if who == "submitter":
                services.problem_submitter_respond(problem=problem, receipt_code=RECEIPT, action=action,
                                                   note=details.get("note", ""))
            elif who == "system":
                if action != "auto_close":
                    continue
                # as if the job ran 16 days after the resolution (or now, if never resolved)
                later = problem.resolved_at + timedelta(days=16) if problem.resolved_at else None
                services.problems_auto_close(now=later)
            else:
                services.problem_transition(actor=people[who], problem=problem, action=action, **details)
        except (TransitionNotAllowed, PermissionDenied, ValidationError):
            problem.refresh_from_db()
            assert problem.status == before  # a refused action changes nothing
            continue
        problem.refresh_from_db()
        assert problem.status in Status.values
        if problem.status != before or who != "system":
            assert services.TRANSITIONS[(before, action)] == problem.status
        if problem.status == Status.CLOSED:
            assert before in (Status.RESOLVED, Status.CLOSED)
    history = list(problem.events.order_by("id"))
    for previous, event in zip(history, history[1:], strict=False):
        assert event.from_status == previous.to_status
        assert services.TRANSITIONS[(event.from_status, event.action)] == event.to_status
