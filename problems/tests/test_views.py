"""The pages: public results, submission with a receipt code, following; the staff ledger by permission."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from problems.models import Problem, Status
from problems.tests.factories import ProblemFactory

LEDGER = "/problems/ledger/"


def submit(client, **overrides):
    data = {"category": "housing", "description": "租房补贴迟迟未到账，张三反映。", "contact": "13812345678",
            "consent": "on", **overrides}
    return client.post("/problems/submit/", data)


def test_a_worker_submits_a_problem_and_sees_the_receipt_code_once(client, qingdao):
    response = submit(client)
    assert response.status_code == 302 and response.url == reverse("problems:submitted")
    page = client.get(response.url)
    code = page.context["receipt"]["code"]
    assert code in page.content.decode()
    again = client.get(reverse("problems:submitted"))
    assert again.status_code == 302 and code not in again.content.decode()
    problem = Problem.objects.get()
    assert problem.status == Status.RAISED and problem.consent_at is not None


def test_the_submission_page_states_the_consent_and_requires_it(client, qingdao):
    page = client.get("/problems/submit/")
    assert "个人信息保护法" in page.content.decode()
    response = submit(client, consent="")
    assert response.status_code == 200 and Problem.objects.count() == 0


def test_submissions_are_throttled_per_client(client, qingdao, settings):
    settings.SCIDAY_PROBLEM_SUBMIT_LIMIT = 2
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    response = submit(client)
    assert response.status_code == 429
    assert Problem.objects.count() == 2
    other = client.post(
        "/problems/submit/", {"category": "other", "description": "x", "consent": "on"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_following_with_the_receipt_code_shows_status_and_history_and_lets_the_submitter_confirm(client, unit_a):
    problem = ProblemFactory(status=Status.RESOLVED, responsible_unit=unit_a, receipt="K7QD-M2XA-9PRT",
                             resolution="补贴已发放", public_summary="补贴发放慢")
    assert client.post("/problems/follow/", {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    response = client.post("/problems/follow/", {"code": "k7qd m2xa 9prt"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "补贴已发放" in page and 'data-testid="respond"' in page
    client.post("/problems/follow/respond/", {"action": "confirm"})
    problem.refresh_from_db()
    assert problem.status == Status.CLOSED


def test_the_public_page_shows_resolved_problems_anonymised_with_totals(client, qingdao):
    ProblemFactory(status=Status.CLOSED, description="张三的原话：经费报销难", public_summary="经费报销流程繁琐",
                   resolution="推行一站式审批")
    ProblemFactory(status=Status.IN_PROGRESS, description="李四的原话", public_summary="未办结的概述")
    page = client.get("/problems/").content.decode()
    assert "经费报销流程繁琐" in page and "推行一站式审批" in page
    assert "张三" not in page and "李四" not in page and "未办结的概述" not in page
    assert "收集问题2条" in page and "正在办理1条" in page and "已销号1条" in page


def test_the_responsible_unit_sees_its_problem_and_another_unit_does_not(login, coordinator_a, coordinator_b,
                                                                          unit_a):
    problem = ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_a, title="住房补贴问题")
    client = login(coordinator_a)
    assert "住房补贴问题" in client.get(LEDGER).content.decode()
    assert client.get(f"{LEDGER}{problem.pk}/").status_code == 200
    client.logout()

    client = login(coordinator_b)
    assert "住房补贴问题" not in client.get(LEDGER).content.decode()
    assert client.get(f"{LEDGER}{problem.pk}/").status_code == 404
    response = client.post(f"{LEDGER}{problem.pk}/progress/", {"on_date": "2022-05-20", "note": "我来办"})
    assert response.status_code == 404
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED and not problem.events.exists()
    assert AuditEntry.objects.filter(actor=coordinator_b, action="permissions.denied").exists()


def test_people_without_a_role_cannot_open_the_ledger(client, qingdao):
    from accounts.tests.factories import UserFactory

    assert client.get(LEDGER).status_code == 302  # to the login page
    client.force_login(UserFactory(username="nobody"))
    assert client.get(LEDGER).status_code == 403


def test_the_organiser_takes_a_problem_through_the_pages(login, organiser, coordinator_a, unit_a, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    client = login(organiser)
    response = client.post("/problems/ledger/new/", {"source": "phone", "category": "schooling",
                                                     "description": "孩子入学手续不清楚", "source_label": "电话"})
    problem = Problem.objects.get()
    assert response.url == f"{LEDGER}{problem.pk}/"
    assert client.post(f"{LEDGER}{problem.pk}/accept/", {"category": "schooling"}).status_code == 302
    client.post(f"{LEDGER}{problem.pk}/assign/", {"unit": unit_a.pk, "due_date": "2022-06-10"})
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED and problem.responsible_unit == unit_a

    client = login(coordinator_a)
    detail = client.get(f"{LEDGER}{problem.pk}/").content.decode()
    assert 'data-testid="action-progress"' in detail and 'data-testid="action-accept"' not in detail
    assert client.get(f"{LEDGER}{problem.pk}/accept/").status_code == 403
    client.post(f"{LEDGER}{problem.pk}/progress/", {"on_date": "2022-05-19", "note": "已联系教育局"})
    client.post(f"{LEDGER}{problem.pk}/resolve/", {"resolution": "已办理入学", "public_summary": "子女入学指引不清"})
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED
    assert [e.on_date.isoformat() for e in problem.events.filter(action="progress")] == ["2022-05-19"]


def test_a_forbidden_move_on_the_page_says_why(login, organiser):
    problem = ProblemFactory(status=Status.CLOSED)
    client = login(organiser)
    response = client.post(f"{LEDGER}{problem.pk}/accept/", {"category": "funding"}, follow=True)
    assert "当前状态为“已销号”，不能“受理”" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == Status.CLOSED


def test_overdue_problems_are_highlighted_and_counted(login, organiser, unit_a, settings):
    settings.SCIDAY_CLOCK = "2022-06-20T10:00+08:00"
    ProblemFactory(status=Status.IN_PROGRESS, responsible_unit=unit_a, due_date="2022-06-01")
    ProblemFactory(status=Status.CLOSED, responsible_unit=unit_a, due_date="2022-06-01")
    ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_a, due_date="2022-07-01")
    response = login(organiser).get(LEDGER)
    assert response.context["counts"]["overdue"] == 1
    assert response.content.decode().count('data-testid="overdue-badge"') == 1
    assert len(login(organiser).get(LEDGER + "?overdue=on").context["problems"]) == 1


def _many(n, unit):
    for i in range(n):
        ProblemFactory(status=[Status.RAISED, Status.ASSIGNED, Status.CLOSED][i % 3], responsible_unit=unit,
                       public_summary="概述", resolution="已办")


def test_the_ledger_and_public_pages_keep_a_constant_number_of_queries(login, organiser, unit_a,
                                                                         django_assert_max_num_queries):
    client = login(organiser)
    _many(3, unit_a)
    with CaptureQueriesContext(connection) as small_ledger:
        assert client.get(LEDGER).status_code == 200
    with CaptureQueriesContext(connection) as small_public:
        assert client.get("/problems/").status_code == 200
    _many(40, unit_a)
    with django_assert_max_num_queries(len(small_ledger)):
        assert client.get(LEDGER).status_code == 200
    with django_assert_max_num_queries(len(small_public)):
        assert client.get("/problems/").status_code == 200
    assert len(small_ledger) <= 14 and len(small_public) <= 11


def test_the_workbench_lists_what_to_do(organiser, coordinator_a, unit_a, settings):
    from problems.workbench import todos

    settings.SCIDAY_CLOCK = "2022-06-20T10:00+08:00"
    ProblemFactory()
    ProblemFactory(status=Status.IN_PROGRESS, responsible_unit=unit_a, due_date="2022-06-01")
    assert any("1" in t["text"] and "status=raised" in t["url"] for t in todos(organiser))
    assert any("overdue=on" in t["url"] for t in todos(organiser))
    assert len(todos(coordinator_a)) == 2


def test_the_unit_resolves_with_evidence_uploaded_on_the_page(login, coordinator_a, unit_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    problem = ProblemFactory(status=Status.IN_PROGRESS, responsible_unit=unit_a)
    pdf = SimpleUploadedFile("办理回执.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    client = login(coordinator_a)
    response = client.post(f"{LEDGER}{problem.pk}/resolve/", {"resolution": "已办", "public_summary": "概述",
                                                               "evidence_files": [pdf]})
    assert response.status_code == 302
    asset = problem.evidence.get()
    assert asset.original_name == "办理回执.pdf" and asset.unit == unit_a
    assert 'data-testid="evidence"' in client.get(f"{LEDGER}{problem.pk}/").content.decode()


def test_a_wrong_evidence_file_is_refused_and_nothing_changes(login, coordinator_a, unit_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    problem = ProblemFactory(status=Status.IN_PROGRESS, responsible_unit=unit_a)
    exe = SimpleUploadedFile("回执.pdf", b"MZ\x90\x00not a pdf", "application/pdf")
    response = login(coordinator_a).post(f"{LEDGER}{problem.pk}/resolve/", {
        "resolution": "已办", "public_summary": "概述", "evidence_files": [exe]})
    assert response.status_code == 200
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS and not problem.evidence.exists()


def test_receipt_code_guessing_is_throttled(client, qingdao, settings):
    settings.SCIDAY_PROBLEM_FOLLOW_LIMIT = 3
    statuses = [client.post("/problems/follow/", {"code": f"AAAA-BBBB-CCC{i}"}).status_code for i in range(2, 6)]
    assert statuses == [200, 200, 200, 429]


def test_organisers_filter_the_ledger_by_unit(login, organiser, unit_a, unit_b):
    mine = ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_a)
    ProblemFactory(status=Status.ASSIGNED, responsible_unit=unit_b)
    response = login(organiser).get(f"{LEDGER}?unit={unit_a.pk}")
    assert list(response.context["problems"]) == [mine]
