"""The questionnaire, its lock, and the one path of an answer with its trust rules."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from surveys import crypto, services
from surveys.models import AnswerCode, Draft, Question, QuestionKind, RespondentContact, Response, Survey
from surveys.seeding import survey_load_seed
from surveys.selectors import questions_of


def _entry(link):
    return services.Entry(survey=link.survey, link=link)


# --- the seeded 2022 questionnaire -------------------------------------------------------------

def test_the_2022_questionnaire_is_seeded_with_display_logic(survey, questions):
    assert survey.title == "2022年青岛市青年科技工作者工作状况调查"
    assert 18 <= len(questions) <= 24
    by_code = {q.code: q for q in questions}
    assert by_code["q15"].show_if_option.question.code == "q14"
    assert by_code["q15"].show_if_option.label == "是"
    assert by_code["q19"].kind == QuestionKind.MULTIPLE and by_code["q19"].max_choices == 3
    assert by_code["q6"].kind == QuestionKind.DISTRICT and by_code["q6"].options.count() == 10
    assert by_code["q20"].kind == QuestionKind.LONG_TEXT
    assert survey.links.filter(unit__isnull=True).count() == 1


def test_loading_the_seed_twice_changes_nothing(survey):
    call_command("load_survey", "qingdao-2022")
    again, created = survey_load_seed(slug="qingdao-2022")
    assert again.pk == survey.pk and not created
    assert Survey.objects.count() == 1 and Question.objects.filter(survey=survey).count() == 21


def test_demo_data_adds_responses_marked_as_demo(qingdao, live):
    from core.demo import load_units_and_accounts
    from surveys.demo import load_demo_data

    load_units_and_accounts()
    load_demo_data(stdout=io.StringIO())
    survey = Survey.objects.get(slug="qingdao-2022")
    assert survey.responses.count() >= 300
    assert not survey.responses.filter(is_demo=False).exists()
    assert survey.locked_at is None  # made-up answers do not lock the questionnaire


# --- answering -------------------------------------------------------------------------------

def test_a_complete_answer_is_stored_apart_from_identity_and_locks_the_structure(live, open_link, questions,
                                                                               full_answers):
    response = services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                        raw=full_answers, consent=True)

    assert response.channel == Response.Channel.OPEN
    assert response.device_hash and "dev-1" not in response.device_hash
    assert response.answers.filter(question__code="q19").count() == 3
    assert response.answers.get(question__code="q4").text == "交叉学科"
    assert response.district.name == "市南区"
    open_link.survey.refresh_from_db()
    assert open_link.survey.is_locked


def test_a_question_hidden_by_display_logic_is_neither_required_nor_stored(live, open_link, questions, full_answers):
    full_answers.update({"q14": "2", "q15": "3"})
    response = services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                        raw=full_answers, consent=True)
    assert not response.answers.filter(question__code="q15").exists()


def test_a_shown_required_question_must_be_answered(live, open_link, questions, full_answers):
    del full_answers["q15"]
    with pytest.raises(ValidationError) as exc:
        services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                 raw=full_answers, consent=True)
    assert "q15" in exc.value.message_dict
    assert Response.objects.count() == 0


@pytest.mark.parametrize("change, code", [
    ({"q19": ["1", "2", "3", "4"]}, "q19"),  # at most three
    ({"q8": "200"}, "q8"),  # above the bound
    ({"q8": "abc"}, "q8"),
    ({"q4_other": ""}, "q4"),  # "other" must be specified
    ({"q1": "9"}, "q1"),  # not an option
    ({"q1": ["1", "2"]}, "q1"),  # one answer only
])
def test_invalid_answers_are_refused_and_nothing_is_stored(live, open_link, questions, full_answers, change, code):
    full_answers.update(change)
    with pytest.raises(ValidationError) as exc:
        services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                 raw=full_answers, consent=True)
    assert code in exc.value.message_dict
    assert Response.objects.count() == 0


def test_one_device_answers_once(live, open_link, questions, full_answers):
    services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1", raw=full_answers,
                             consent=True)
    with pytest.raises(services.SurveyRefused) as exc:
        services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                 raw=full_answers, consent=True)
    assert exc.value.reason == "duplicate"
    assert Response.objects.count() == 1
    services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-2", raw=full_answers,
                             consent=True)
    assert Response.objects.count() == 2


def test_without_consent_nothing_is_stored(live, open_link, questions, full_answers):
    with pytest.raises(services.SurveyRefused) as exc:
        services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                 raw=full_answers, consent=False)
    assert exc.value.reason == "consent"
    assert Response.objects.count() == 0


@pytest.mark.parametrize("moment, reason", [("2022-05-10T23:59+08:00", "not_open"),
                                            ("2022-06-21T00:00+08:00", "closed")])
def test_outside_its_dates_the_survey_refuses(settings, open_link, questions, full_answers, moment, reason):
    settings.SCIDAY_CLOCK = moment
    with pytest.raises(services.SurveyRefused) as exc:
        services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1",
                                 raw=full_answers, consent=True)
    assert exc.value.reason == reason
    assert Response.objects.count() == 0


def test_an_answer_code_dies_when_used_even_when_two_use_it_at_once(live, organiser, survey, unit_a, questions,
                                                                   full_answers):
    services.codes_generate(actor=organiser, survey=survey, unit=unit_a, count=3)
    code = AnswerCode.objects.filter(unit=unit_a).first()
    first = services.Entry(survey=survey, code=AnswerCode.objects.get(pk=code.pk))
    second = services.Entry(survey=survey, code=AnswerCode.objects.get(pk=code.pk))  # read before the first use

    services.response_submit(entry=first, questions=questions, device_id="dev-1", raw=full_answers, consent=True)
    with pytest.raises(services.SurveyRefused) as exc:
        services.response_submit(entry=second, questions=questions, device_id="dev-2", raw=full_answers,
                                 consent=True)

    assert exc.value.reason == "code_used"
    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert response.channel == Response.Channel.CODE and response.unit == unit_a and response.device_hash is None
    code.refresh_from_db()
    assert code.used_at != response.submitted_at  # only the day is kept: the code cannot be tied to the answers


def test_a_unit_link_counts_for_its_unit(live, unit_link, questions, full_answers):
    response = services.response_submit(entry=_entry(unit_link), questions=questions, device_id="dev-1",
                                        raw=full_answers, consent=True)
    assert response.unit == unit_link.unit and response.channel == Response.Channel.UNIT


def test_a_contact_is_stored_encrypted_and_read_back(live, survey, open_link, full_answers):
    Survey.objects.filter(pk=survey.pk).update(asks_contact=True)
    survey.refresh_from_db()
    link = survey.links.get(pk=open_link.pk)
    response = services.response_submit(entry=_entry(link), questions=questions_of(survey), device_id="dev-1",
                                        raw=full_answers, consent=True,
                                        contact={"name": "张三", "phone": "13812345678"})
    contact = RespondentContact.objects.get(response=response)
    assert "13812345678" not in contact.phone_encrypted
    assert crypto.decrypt(contact.phone_encrypted) == "13812345678"
    assert crypto.mask_name(crypto.decrypt(contact.name_encrypted)) == "张*"


def test_a_draft_is_kept_per_device_and_deleted_on_submit(live, open_link, questions, full_answers):
    entry = _entry(open_link)
    services.draft_save(entry=entry, device_id="dev-1", consent=True)
    services.draft_save(entry=entry, device_id="dev-1", data={"q1": "2"})
    assert services.draft_get(entry=entry, device_id="dev-1").data == {"q1": "2"}
    assert services.draft_get(entry=entry, device_id="dev-2") is None
    services.response_submit(entry=entry, questions=questions, device_id="dev-1", raw=full_answers, consent=True)
    assert Draft.objects.count() == 0


def test_the_throttle_refuses_beyond_its_limit(db):
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        services.throttle_hit(client="10.0.0.1", limit=3, window=60)
    with pytest.raises(services.SurveyRefused):
        services.throttle_hit(client="10.0.0.1", limit=3, window=60)
    services.throttle_hit(client="10.0.0.2", limit=3, window=60)


# --- building ---------------------------------------------------------------------------------

def test_an_organiser_builds_a_questionnaire_with_display_logic_and_reorders(organiser, qingdao, live):
    from surveys.seeding import SEEDS

    seed = SEEDS["qingdao-2022"]
    survey = services.survey_create(actor=organiser, campaign=qingdao, slug="pilot", title="试点问卷",
                                    consent_text="同意", opens_at=seed["opens_at"], closes_at=seed["closes_at"])
    section = survey.sections.get()
    kids = services.question_save(actor=organiser, survey=survey, data={"section": section, "kind": "single",
                                  "text": "有子女吗", "required": True}, options=[("是", "Yes"), ("否", "No")])
    school = services.question_save(actor=organiser, survey=survey, data={
        "section": section, "kind": "single", "text": "上学困难吗", "required": True,
        "show_if_option": kids.options.get(code=1)}, options=[("没有", ""), ("有", "")])
    rating = services.question_save(actor=organiser, survey=survey, data={
        "section": section, "kind": "scale", "text": "满意度", "min_value": 1, "max_value": 5}, options=[])

    assert [o.code for o in rating.options.all()] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError):  # a dependant cannot move above its condition
        services.question_move(actor=organiser, question=school, direction=-1)
    services.question_move(actor=organiser, question=rating, direction=-1)
    assert list(survey.questions.order_by("order").values_list("text", flat=True)) == ["有子女吗", "满意度", "上学困难吗"]


def test_once_answered_only_the_wording_changes_and_a_copy_can_change_more(live, organiser, open_link, questions,
                                                                            full_answers):
    survey = open_link.survey
    services.response_submit(entry=_entry(open_link), questions=questions, device_id="dev-1", raw=full_answers,
                             consent=True)
    survey.refresh_from_db()
    q2 = survey.questions.get(code="q2")

    with pytest.raises(ValidationError):
        services.question_save(actor=organiser, survey=survey, question=q2, data={"kind": "multiple"},
                               options=[("男", ""), ("女", "")])
    with pytest.raises(ValidationError):
        services.question_save(actor=organiser, survey=survey, question=q2, data={}, options=[("男", ""), ("女", ""),
                                                                                           ("其他", "")])
    with pytest.raises(ValidationError):
        services.question_delete(actor=organiser, question=q2)
    services.question_save(actor=organiser, survey=survey, question=q2, data={"text": "您的性别是"},
                           options=[("男性", "Male"), ("女性", "Female")])
    q2.refresh_from_db()
    assert q2.text == "您的性别是" and q2.kind == "single"
    assert list(q2.options.values_list("label", flat=True)) == ["男性", "女性"]

    copy = services.survey_copy(actor=organiser, survey=survey, slug="qingdao-2023")
    assert copy.version == 2 and not copy.is_locked and copy.questions.count() == survey.questions.count()
    q15 = copy.questions.get(code="q15")
    assert q15.show_if_option.question.survey_id == copy.pk
    services.question_delete(actor=organiser, question=copy.questions.get(code="q2"))


def test_a_coordinator_cannot_build_and_nothing_changes(coordinator_a, survey, unit_a):
    before = (Question.objects.count(), AnswerCode.objects.count())
    with pytest.raises(PermissionDenied):
        services.question_save(actor=coordinator_a, survey=survey, data={"text": "x"}, options=[])
    with pytest.raises(PermissionDenied):
        services.codes_generate(actor=coordinator_a, survey=survey, unit=unit_a, count=5)
    assert (Question.objects.count(), AnswerCode.objects.count()) == before


def test_drafts_of_closed_surveys_are_purged(settings, open_link):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    services.draft_save(entry=_entry(open_link), device_id="dev-1", consent=True)
    call_command("purge_survey_drafts")
    assert Draft.objects.count() == 1
    settings.SCIDAY_CLOCK = "2022-06-21T00:00+08:00"
    call_command("purge_survey_drafts")
    assert Draft.objects.count() == 0


def test_editing_a_condition_question_keeps_the_display_logic(organiser, survey):
    q14 = survey.questions.get(code="q14")
    services.question_save(actor=organiser, survey=survey, question=q14, data={"text": "您有孩子吗？"},
                           options=[("有", "Yes"), ("没有", "No")])
    q15 = survey.questions.get(code="q15")
    assert q15.show_if_option is not None and q15.show_if_option.label == "有"


def test_the_running_tallies_agree_with_a_count_from_the_answers(live, open_link, unit_link, questions,
                                                                full_answers):
    from surveys.models import Tally
    from surveys.selectors import Filters, _counted, survey_results
    from surveys.selectors import _results as _results_from_counts

    def _results_from(survey, questions, filters, counts):
        respondents = filters.responses(survey).count()
        return _results_from_counts(survey, questions, filters, respondents, *counts).questions

    for i, link in enumerate([open_link, unit_link, open_link, unit_link, open_link, open_link]):
        answers = dict(full_answers, q1=str(1 + i % 5), q14=str(1 + i % 2), q19=[str(1 + i % 4), "9"],
                       q8=str(40 + i))
        services.response_submit(entry=_entry(link), questions=questions, device_id=f"dev-{i}", raw=answers,
                                 consent=True)
    survey = open_link.survey
    tallied = survey_results(survey=survey, questions=questions, filters=Filters()).questions
    district = survey.responses.exclude(district=None).values_list("district", flat=True).first()
    both = Filters(unit=unit_link.unit_id, district=district)  # two dimensions: counted from the answers
    assert survey_results(survey=survey, questions=questions, filters=both).respondents is None  # too few
    counted = _results_from(survey, questions, Filters(), _counted(questions, Filters()))
    assert tallied == counted
    before = sorted(Tally.objects.values_list("question_id", "dim", "key", "kind", "value", "n"))
    assert Tally.objects.filter(dim=Tally.CROSS).exists()
    services.tallies_rebuild(survey=survey)
    assert sorted(Tally.objects.values_list("question_id", "dim", "key", "kind", "value", "n")) == before
