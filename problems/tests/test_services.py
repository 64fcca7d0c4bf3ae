"""The ledger's services: the whole flow audited, denials that change nothing, auto-close, crypto."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from audit.models import AuditEntry
from core.crypto import decrypt_text, encrypt_text, mask_contact
from core.exceptions import TransitionNotAllowed
from notifications.models import Notification
from problems import services
from problems.models import Problem, ProblemEvent, Source, Status
from problems.selectors import problem_by_receipt, problems_visible, public_results, public_totals
from problems.tests.factories import ProblemFactory


def audit_actions(problem):
    return list(AuditEntry.objects.filter(object_type="problems.problem", object_id=str(problem.pk))
                .order_by("id").values_list("action", flat=True))


def test_a_problem_goes_from_raised_to_closed_and_every_step_is_audited(settings, organiser, coordinator_a, unit_a):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    problem, code = services.problem_submit(category="housing", description="租房补贴三个月未到账", contact="13812345678",
                                            consent=True)
    assert problem.status == Status.RAISED and len(code) == 14

    services.problem_transition(actor=organiser, problem=problem, action="accept")
    services.problem_transition(actor=organiser, problem=problem, action="assign", unit=unit_a,
                                due_date=date(2022, 6, 10))
    services.problem_transition(actor=coordinator_a, problem=problem, action="progress", note="已联系人社局")
    services.problem_transition(actor=coordinator_a, problem=problem, action="resolve", resolution="补贴已发放",
                                public_summary="引进人才租房补贴发放不及时")
    problem = services.problem_submitter_respond(problem=problem, receipt_code=code.lower(), action="confirm")

    assert problem.status == Status.CLOSED and problem.closed_at is not None
    assert audit_actions(problem) == [
        "problems.problem.submitted", "problems.problem.accepted", "problems.problem.assigned",
        "problems.problem.progress_noted", "problems.problem.resolved", "problems.problem.confirmed",
    ]
    assert [e.to_status for e in problem.events.all()] == [
        "raised", "accepted", "assigned", "in_progress", "resolved", "closed"]
    # the coordinators of the unit were told on assignment
    assert Notification.objects.filter(recipient=coordinator_a, kind="problems.assigned").count() == 1


def test_the_contact_is_stored_encrypted_and_shown_masked(db):
    problem, _code = services.problem_submit(category="other", description="x", contact="13812345678", consent=True)
    problem.refresh_from_db()
    assert "13812345678" not in problem.contact_encrypted
    assert decrypt_text(problem.contact_encrypted) == "13812345678"
    assert problem.contact_masked == "138****5678"
    assert mask_contact("zhang.san@example.com") == "z***@example.com"
    assert mask_contact("wxid_abc123") == "w***3"
    assert decrypt_text("not-a-token") == ""
    assert encrypt_text("") == ""


def test_the_contact_survives_a_secret_key_rotation(settings):
    token = encrypt_text("kexie@example.com")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-for-the-rotation-test-0123456789abcdef"
    assert decrypt_text(token) == "kexie@example.com"


def test_submitting_needs_consent_and_a_description(db):
    with pytest.raises(ValidationError) as error:
        services.problem_submit(category="other", description="问题", consent=False)
    assert "consent" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.problem_submit(category="other", description="  ", consent=True)
    assert "description" in error.value.message_dict
    assert Problem.objects.count() == 0


def test_the_receipt_code_is_not_stored_and_finds_the_problem(db):
    problem, code = services.problem_submit(category="other", description="问题", consent=True)
    assert code.replace("-", "") not in problem.receipt_digest
    assert problem_by_receipt(code) == problem
    assert problem_by_receipt(code.replace("-", " ").lower()) == problem
    assert problem_by_receipt("AAAA-BBBB-CCCC") is None


def test_a_survey_answer_becomes_a_problem_once_and_stays_anonymous(organiser):
    first = services.problem_create_from_answer(actor=organiser, text="希望简化经费报销", source_label="青年科技工作者调查 第12题",
                                                source_ref="answer-77", category="funding")
    again = services.problem_create_from_answer(actor=organiser, text="希望简化经费报销", source_label="…",
                                                source_ref="answer-77")
    assert first == again and Problem.objects.count() == 1
    assert first.source == Source.SURVEY and first.contact_encrypted == "" and first.receipt_digest == ""
    assert first.title == "希望简化经费报销"


def test_a_coordinator_cannot_turn_answers_into_problems(coordinator_a):
    with pytest.raises(PermissionDenied):
        services.problem_create_from_answer(actor=coordinator_a, text="x", source_label="y")
    assert Problem.objects.count() == 0


def test_another_unit_cannot_handle_the_problem_and_nothing_changes(organiser, coordinator_b, unit_a):
    problem = ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_a)
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=coordinator_b, problem=problem, action="progress", note="我来办")
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED and not problem.events.exists()
    assert AuditEntry.objects.filter(action="permissions.denied", actor=coordinator_b).count() == 1
    assert list(problems_visible(user=coordinator_b)) == []


def test_a_coordinator_cannot_accept_or_assign(coordinator_a, unit_a):
    problem = ProblemFactory()
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=coordinator_a, problem=problem, action="accept")
    problem.refresh_from_db()
    assert problem.status == Status.RAISED


def test_a_move_not_in_the_table_is_refused_with_the_reason(organiser):
    problem = ProblemFactory()
    with pytest.raises(TransitionNotAllowed) as error:
        services.problem_transition(actor=organiser, problem=problem, action="confirm")
    assert "已登记" in error.value.message or "Raised" in error.value.message
    problem.refresh_from_db()
    assert problem.status == Status.RAISED and not problem.events.exists()


def test_declining_needs_a_reason(organiser):
    problem = ProblemFactory()
    with pytest.raises(ValidationError):
        services.problem_transition(actor=organiser, problem=problem, action="decline", note=" ")
    services.problem_transition(actor=organiser, problem=problem, action="decline", note="不属于受理范围")
    problem.refresh_from_db()
    assert problem.status == Status.DECLINED and problem.decline_reason == "不属于受理范围"


def test_an_objection_reopens_the_problem_and_tells_the_organisers(organiser, coordinator_a, unit_a):
    problem = ProblemFactory(status=Status.RESOLVED, responsible_unit=unit_a, receipt="K7QD-M2XA-9PRT",
                             resolution="已解决", public_summary="概述")
    with pytest.raises(PermissionDenied):
        services.problem_submitter_respond(problem=problem, receipt_code="AAAA-BBBB-CCCC", action="object", note="没解决")
    services.problem_submitter_respond(problem=problem, receipt_code="K7QD-M2XA-9PRT", action="object", note="没解决")
    problem.refresh_from_db()
    assert problem.status == Status.REOPENED
    assert Notification.objects.filter(recipient=organiser, kind="problems.objected").exists()
    assert Notification.objects.filter(recipient=coordinator_a, kind="problems.objected").exists()
    services.problem_transition(actor=coordinator_a, problem=problem, action="resolve", resolution="再次办理完毕")
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED


def test_auto_close_runs_once_however_often_the_job_runs(settings, unit_a):
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    old = ProblemFactory(status=Status.RESOLVED, responsible_unit=unit_a, public_summary="s", resolution="r")
    Problem.objects.filter(pk=old.pk).update(resolved_at="2022-05-17T09:00+08:00")  # 15 days and a bit
    recent = ProblemFactory(status=Status.RESOLVED, public_summary="s", resolution="r")
    Problem.objects.filter(pk=recent.pk).update(resolved_at="2022-05-25T09:00+08:00")

    assert services.problems_auto_close() == 1
    assert services.problems_auto_close() == 0
    call_command("close_confirmed_problems", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from problems.tasks import close_confirmed_problems_task

    close_confirmed_problems_task.enqueue()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.CLOSED and recent.status == Status.RESOLVED
    assert AuditEntry.objects.filter(action="problems.problem.auto_closed").count() == 1
    assert ProblemEvent.objects.filter(problem=old, action="auto_close").count() == 1

    settings.SCIDAY_CLOCK = "2022-06-10T10:00+08:00"
    assert services.problems_auto_close() == 1
    recent.refresh_from_db()
    assert recent.status == Status.CLOSED


def test_nobody_can_auto_close_by_hand(organiser):
    problem = ProblemFactory(status=Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=organiser, problem=problem, action="auto_close")


def test_resolving_stores_evidence_through_the_upload_service(organiser, unit_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    problem = ProblemFactory(status=Status.IN_PROGRESS, responsible_unit=unit_a)
    pdf = SimpleUploadedFile("回执.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    services.problem_transition(actor=organiser, problem=problem, action="resolve", resolution="已解决",
                                public_summary="概述", evidence_files=[pdf])
    asset = problem.evidence.get()
    assert asset.unit == unit_a and not asset.is_public and asset.original_name == "回执.pdf"


def test_public_results_show_only_resolved_and_closed_with_their_summary(db):
    ProblemFactory(status=Status.RAISED)
    ProblemFactory(status=Status.IN_PROGRESS)
    ProblemFactory(status=Status.DECLINED)
    shown = ProblemFactory(status=Status.CLOSED, public_summary="报销难", resolution="简化流程")
    ProblemFactory(status=Status.RESOLVED, public_summary="租房补贴", resolution="已发放")
    assert shown in public_results() and public_results().count() == 2
    assert public_totals() == {"collected": 4, "closed": 1, "resolved": 1, "handling": 3}
