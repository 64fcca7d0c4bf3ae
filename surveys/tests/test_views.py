"""The survey's pages: answering on a phone, the trust rules, and who may see what."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from surveys import services
from surveys.models import AnswerCode, Draft, Question, Response
from surveys.selectors import questions_of
from surveys.tests.factories import responses_make


def _post_answers(client, link_or_code, answers, kind="s"):
    token = link_or_code
    client.post(reverse("surveys:entry", kwargs={"kind": kind, "token": token}), {"consent": "1"})
    return client.post(reverse("surveys:answer", kwargs={"kind": kind, "token": token}), answers)


def test_a_respondent_consents_answers_and_cannot_answer_again_from_the_same_device(live, client, open_link,
                                                                                    full_answers):
    entry_url = reverse("surveys:entry", kwargs={"kind": "s", "token": open_link.token})
    page = client.get(entry_url)
    assert page.status_code == 200 and "个人信息保护法" in page.content.decode()
    assert "sciday_device" in page.cookies

    # Without consent the questions do not open.
    assert client.post(entry_url, {}).status_code == 200
    answer_url = reverse("surveys:answer", kwargs={"kind": "s", "token": open_link.token})
    assert client.get(answer_url).status_code == 302

    response = _post_answers(client, open_link.token, full_answers)
    assert response.status_code == 302 and response.url.endswith("/done/")
    assert Response.objects.count() == 1

    again = client.get(entry_url)
    assert again.status_code == 409 and "已经提交" in again.content.decode()
    assert _post_answers(client, open_link.token, full_answers).status_code in (302, 409)
    assert Response.objects.count() == 1


def test_a_half_finished_response_comes_back_on_the_same_device(live, client, open_link):
    client.post(reverse("surveys:entry", kwargs={"kind": "s", "token": open_link.token}), {"consent": "1"})
    saved = client.post(reverse("surveys:draft", kwargs={"kind": "s", "token": open_link.token}),
                        {"q1": "3", "q19": ["1", "2"]})
    assert saved.status_code == 204
    page = client.get(reverse("surveys:answer", kwargs={"kind": "s", "token": open_link.token}))
    html = page.content.decode()
    assert 'id="q1-3" value="3" checked' in html
    assert 'id="q19-2" value="2" checked' in html
    assert Draft.objects.count() == 1


def test_invalid_answers_come_back_with_messages_and_are_kept(live, client, open_link, full_answers):
    full_answers["q8"] = "500"
    response = _post_answers(client, open_link.token, full_answers)
    assert response.status_code == 400
    assert "请填写不大于" in response.content.decode() or "112" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_used_answer_code_is_refused(live, client, organiser, survey, unit_a, full_answers):
    services.codes_generate(actor=organiser, survey=survey, unit=unit_a, count=2)
    code = AnswerCode.objects.first().code
    entered = client.post(reverse("surveys:code_enter"), {"code": code.lower()})
    assert entered.status_code == 302
    assert _post_answers(client, code, full_answers, kind="c").status_code == 302
    client.cookies.clear()  # another phone
    refused = client.get(reverse("surveys:entry", kwargs={"kind": "c", "token": code}))
    assert refused.status_code == 409 and "已被使用" in refused.content.decode()
    assert Response.objects.count() == 1


def test_outside_its_dates_the_page_says_so(settings, client, open_link):
    settings.SCIDAY_CLOCK = "2022-07-01T10:00+08:00"
    page = client.get(reverse("surveys:entry", kwargs={"kind": "s", "token": open_link.token}))
    assert page.status_code == 403 and "已于" in page.content.decode()


def test_the_qr_code_is_an_svg(client, open_link):
    response = client.get(reverse("surveys:qr", kwargs={"token": open_link.token}))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


# --- results and who may see them -------------------------------------------------------------

def _rows(n, **fixed):
    return [{"q1": 1 + i % 5, "q2": 1 + i % 2, "q8": 40 + i % 20, "q11": 1 + i % 3, "q19": [1, 2 + i % 3],
             "q20": f"问题{i}", **fixed} for i in range(n)]


def test_the_results_page_shows_counts_crosstab_and_chart_containers(login, organiser, survey, questions):
    responses_make(survey, _rows(60))
    q1, q11 = (survey.questions.get(code=c) for c in ("q1", "q11"))
    page = login(organiser).get(reverse("surveys:results", kwargs={"pk": survey.pk}),
                                {"target": q11.pk, "by": q1.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["results"].respondents == 60
    assert 'data-testid="chart-q11"' in html and "echarts.min.js" in html
    assert page.context["crosstab"]["rows"]
    assert "可多选" in html  # multiple choice adds to more than 100%: explained


def test_a_filter_matching_fewer_than_five_shows_nothing(login, organiser, survey, unit_a, unit_link):
    responses_make(survey, _rows(3), unit=unit_a)
    responses_make(survey, _rows(20), start=100)
    page = login(organiser).get(reverse("surveys:results", kwargs={"pk": survey.pk}), {"unit": unit_a.pk})
    assert page.context["results"].too_small
    assert 'data-testid="too-small"' in page.content.decode()


def test_the_results_page_keeps_a_constant_number_of_queries(login, organiser, survey, django_assert_max_num_queries):
    client = login(organiser)
    q1, q11 = (survey.questions.get(code=c) for c in ("q1", "q11"))
    url = reverse("surveys:results", kwargs={"pk": survey.pk})
    responses_make(survey, _rows(10))
    with django_assert_max_num_queries(40) as small:
        client.get(url, {"target": q11.pk, "by": q1.pk})
    small_count = len(small.captured_queries)
    responses_make(survey, _rows(300), start=1000)
    with django_assert_max_num_queries(small_count):
        client.get(url, {"target": q11.pk, "by": q1.pk})


def test_list_pages_keep_a_constant_number_of_queries(login, organiser, survey, unit_a, unit_b,
                                                      django_assert_max_num_queries):
    client = login(organiser)
    client.post(reverse("surveys:units", kwargs={"pk": survey.pk}))
    responses_make(survey, _rows(5), unit=unit_a)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("surveys:units", kwargs={"pk": survey.pk}))
        client.get(reverse("surveys:manage_list"))
    small_count = len(small.captured_queries)  # read now: a later request clears the query log
    from organisations.tests.factories import UnitFactory

    for _ in range(5):
        UnitFactory()
    client.post(reverse("surveys:units", kwargs={"pk": survey.pk}))
    responses_make(survey, _rows(50), unit=unit_b, start=500)
    with django_assert_max_num_queries(small_count):
        client.get(reverse("surveys:units", kwargs={"pk": survey.pk}))
        client.get(reverse("surveys:manage_list"))


def test_anonymous_cannot_see_results(client, survey):
    response = client.get(reverse("surveys:results", kwargs={"pk": survey.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", ["results", "detail", "export"])
def test_a_coordinator_sees_no_answers(login, coordinator_a, survey, name):
    kwargs = {"pk": survey.pk} | ({"fmt": "xlsx"} if name == "export" else {})
    before = AuditEntry.objects.filter(action__startswith="surveys.").count()
    response = login(coordinator_a).get(reverse(f"surveys:{name}", kwargs=kwargs))
    assert response.status_code in (403, 404)
    assert AuditEntry.objects.filter(action__startswith="surveys.").count() == before


def test_a_coordinator_sees_only_their_own_units_links_codes_and_counts(login, organiser, coordinator_a, survey,
                                                                        unit_a, unit_b):
    services.unit_links_ensure(actor=organiser, survey=survey, units=[unit_a, unit_b])
    services.codes_generate(actor=organiser, survey=survey, unit=unit_a, count=2)
    services.codes_generate(actor=organiser, survey=survey, unit=unit_b, count=2)
    responses_make(survey, _rows(7), unit=unit_a)
    client = login(coordinator_a)

    page = client.get(reverse("surveys:units", kwargs={"pk": survey.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert [link.unit for link in page.context["rows"]] == [unit_a]
    assert "市北区科技局" not in html and page.context["rows"][0].responses == 7
    assert client.get(reverse("surveys:codes", kwargs={"pk": survey.pk, "unit_id": unit_a.pk})).status_code == 200
    assert client.get(reverse("surveys:codes", kwargs={"pk": survey.pk, "unit_id": unit_b.pk})).status_code == 404
    count = AnswerCode.objects.count()
    assert client.post(reverse("surveys:codes", kwargs={"pk": survey.pk, "unit_id": unit_a.pk}),
                       {"count": 5}).status_code == 404
    assert AnswerCode.objects.count() == count
    menu = client.get(reverse("surveys:manage_list")).content.decode()
    assert "问卷" in menu


def test_an_organiser_sets_headcounts_and_sees_rates(login, organiser, survey, unit_a):
    client = login(organiser)
    client.post(reverse("surveys:units", kwargs={"pk": survey.pk}))
    link = survey.links.get(unit=unit_a)
    client.post(reverse("surveys:headcount", kwargs={"pk": survey.pk, "link_id": link.pk}),
                {"expected_headcount": 20})
    responses_make(survey, _rows(5), unit=unit_a)
    page = client.get(reverse("surveys:units", kwargs={"pk": survey.pk}))
    row = next(r for r in page.context["rows"] if r.unit == unit_a)
    assert row.rate == 25.0


def test_the_builder_pages_work(login, organiser, survey):
    client = login(organiser)
    assert client.get(reverse("surveys:detail", kwargs={"pk": survey.pk})).status_code == 200
    assert client.get(reverse("surveys:preview", kwargs={"pk": survey.pk})).status_code == 200
    frame = client.get(reverse("surveys:preview_frame", kwargs={"pk": survey.pk}))
    assert frame.status_code == 200 and frame["X-Frame-Options"] == "SAMEORIGIN"
    section = survey.sections.first()
    added = client.post(reverse("surveys:question_add", kwargs={"pk": survey.pk}), {
        "section": section.pk, "kind": "single", "text": "新问题", "required": "on",
        "options_text": "甲 | A\n乙 | B"})
    assert added.status_code == 302
    question = Question.objects.get(survey=survey, text="新问题")
    assert list(question.options.values_list("label_en", flat=True)) == ["A", "B"]
    assert client.get(reverse("surveys:question_edit", kwargs={"pk": survey.pk, "qid": question.pk})).status_code == 200
    client.post(reverse("surveys:question_move", kwargs={"pk": survey.pk, "qid": question.pk, "direction": "up"}))
    client.post(reverse("surveys:question_delete", kwargs={"pk": survey.pk, "qid": question.pk}))
    assert not Question.objects.filter(pk=question.pk).exists()
    copied = client.post(reverse("surveys:copy", kwargs={"pk": survey.pk}), {"slug": "qingdao-2023"})
    assert copied.status_code == 302


# --- exports ----------------------------------------------------------------------------------

def test_the_xlsx_export_has_coded_rows_and_a_codebook_and_merges_small_units(login, organiser, survey, unit_a,
                                                                             unit_b):
    responses_make(survey, _rows(3), unit=unit_a)
    responses_make(survey, _rows(6), unit=unit_b, start=10)
    response = login(organiser).get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook["答卷数据"].values)
    header = rows[0]
    assert header[:5] == ("id", "date", "channel", "unit", "district")
    assert "q19_1" in header and "q1" in header
    units = {row[3] for row in rows[1:]}
    assert units == {"市北区科技局", "其他（合并的小组）"}  # 3 respondents of 市南区科协 do not show
    codebook = list(workbook["编码表"].values)
    assert any(row[0] == "q1" for row in codebook)
    assert AuditEntry.objects.filter(action="surveys.survey.exported_xlsx").exists()


def test_the_csv_export_is_utf8_with_bom(login, organiser, survey):
    responses_make(survey, _rows(6))
    response = login(organiser).get(reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": "csv"}))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffid,date,channel")
    assert len(text.strip().splitlines()) == 7


def test_open_answers_filter_by_keyword_and_go_to_the_problems_ledger(login, organiser, coordinator_a, survey):
    from problems.models import Problem

    responses_make(survey, _rows(6) + [{"q20": "孩子入学难"}], start=300)
    q20 = survey.questions.get(code="q20")
    client = login(organiser)
    page = client.get(reverse("surveys:texts", kwargs={"pk": survey.pk, "qid": q20.pk}), {"q": "入学"})
    texts = [answer.text for answer in page.context["page_obj"].object_list]
    assert texts == ["孩子入学难"]
    answer = page.context["page_obj"].object_list[0]
    url = reverse("surveys:to_problem", kwargs={"pk": survey.pk, "answer_id": answer.pk})
    assert "加入急难愁盼问题台账" in page.content.decode()

    login(coordinator_a)
    assert client.post(url).status_code == 403
    assert not Problem.objects.exists()

    login(organiser)
    assert client.post(url).status_code == 302
    problem = Problem.objects.get()
    assert problem.source_ref == str(answer.pk) and "孩子入学难" in problem.description


def test_a_contact_is_shown_masked_to_the_organiser(live, login, organiser, survey, open_link, full_answers):
    from surveys.models import Survey

    Survey.objects.filter(pk=survey.pk).update(asks_contact=True)
    survey.refresh_from_db()
    services.response_submit(entry=services.Entry(survey=survey, link=survey.links.get(pk=open_link.pk)),
                             questions=questions_of(survey),
                             device_id="dev-1", raw=full_answers, consent=True,
                             contact={"name": "张三丰", "phone": "13812345678"})
    responses_make(survey, _rows(6), start=400)
    q20 = survey.questions.get(code="q20")
    html = login(organiser).get(reverse("surveys:texts", kwargs={"pk": survey.pk, "qid": q20.pk})).content.decode()
    assert "张** 138****5678" in html
    assert "13812345678" not in html and "张三丰" not in html


def test_a_coordinator_is_reminded_of_an_open_survey_on_the_workbench(live, coordinator_a, unit_link, survey):
    from surveys.workbench import todos

    responses_make(survey, _rows(3), unit=unit_link.unit)
    items = todos(coordinator_a)
    assert len(items) == 1 and "已有3人填答" in items[0]["text"]
    assert items[0]["url"].endswith(f"/surveys/manage/{survey.pk}/units/")


def test_an_organiser_creates_a_survey_from_the_page(login, organiser, qingdao):
    from surveys.models import Survey

    response = login(organiser).post(reverse("surveys:create"), {
        "campaign": qingdao.pk, "slug": "pilot-2022", "title": "试点调查", "consent_text": "同意",
        "opens_at": "2022-05-11T00:00", "closes_at": "2022-05-01T00:00"})
    assert response.status_code == 200 and not Survey.objects.filter(slug="pilot-2022").exists()
    response = login(organiser).post(reverse("surveys:create"), {
        "campaign": qingdao.pk, "slug": "pilot-2022", "title": "试点调查", "consent_text": "同意",
        "opens_at": "2022-05-11T00:00", "closes_at": "2022-06-21T00:00"})
    survey = Survey.objects.get(slug="pilot-2022")
    assert response.status_code == 302 and survey.links.filter(unit__isnull=True).exists()
    assert survey.sections.count() == 1


def test_an_expert_or_a_plain_account_sees_no_survey_pages(login, survey):
    from accounts.tests.factories import UserFactory

    for user in (UserFactory(username="expert-t", is_expert=True), UserFactory(username="plain-t")):
        client = login(user)
        for url in (reverse("surveys:manage_list"), reverse("surveys:results", kwargs={"pk": survey.pk}),
                    reverse("surveys:units", kwargs={"pk": survey.pk}),
                    reverse("surveys:export", kwargs={"pk": survey.pk, "fmt": "csv"})):
            assert client.get(url).status_code == 403, url


def test_the_date_filter_takes_whole_days_in_shanghai_time(login, organiser, survey):
    import datetime as dt

    from surveys.selectors import Filters

    responses_make(survey, _rows(6))  # 2022-05-20 10:00 Shanghai
    Response.objects.filter(pk=Response.objects.first().pk).update(
        submitted_at=dt.datetime(2022, 5, 20, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    day = dt.date(2022, 5, 20)
    assert Filters(date_from=day, date_to=day).responses(survey).count() == 6
    assert Filters(date_from=day + dt.timedelta(days=1)).responses(survey).count() == 0
