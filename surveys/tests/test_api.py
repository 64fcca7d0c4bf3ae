"""The survey API: results for organisers only, answers through the same rules as the page."""

import json

from surveys.models import AnswerCode, Response
from surveys.services import codes_generate
from surveys.tests.factories import responses_make


def _post(client, survey, payload):
    return client.post(f"/test-api/surveys/{survey.pk}/responses", json.dumps(payload),
                       content_type="application/json")


def test_results_need_an_organiser(api_client, survey, coordinator_a, organiser):
    responses_make(survey, [{"q1": 1 + i % 2, "q2": 1} for i in range(12)])
    url = f"/test-api/surveys/{survey.pk}/results"
    assert api_client.get(url).status_code == 401
    api_client.force_login(coordinator_a)
    assert api_client.get(url).status_code == 404
    api_client.force_login(organiser)
    data = api_client.get(url).json()
    assert data["respondents"] == 12 and data["min_group"] == 5
    q1 = next(q for q in data["questions"] if q["code"] == "q1")
    assert [o["count"] for o in q1["options"]][:2] == [6, 6]


def test_an_answer_through_the_api_follows_the_pages_rules(live, api_client, survey, open_link, full_answers):
    payload = {"token": open_link.token, "consent": True, "answers": full_answers}
    assert _post(api_client, survey, payload | {"consent": False}).status_code == 403
    created = _post(api_client, survey, payload)
    assert created.status_code == 201, created.content
    again = _post(api_client, survey, payload)  # same device: the cookie came back with the first answer
    assert again.status_code == 409 and again.json()["reason"] == "duplicate"
    bad = _post(api_client.__class__(), survey, payload | {"answers": {**full_answers, "q8": "999"}})
    assert bad.status_code == 400 and "q8" in bad.json()["errors"]
    assert Response.objects.count() == 1


def test_a_code_through_the_api_is_spent_once(live, api_client, organiser, survey, unit_a, full_answers):
    codes_generate(actor=organiser, survey=survey, unit=unit_a, count=1)
    code = AnswerCode.objects.get().code
    assert _post(api_client, survey, {"token": code, "consent": True, "answers": full_answers}).status_code == 201
    assert _post(api_client.__class__(), survey,
                 {"token": code, "consent": True, "answers": full_answers}).status_code == 409
    assert Response.objects.count() == 1


def test_a_token_of_another_survey_is_not_found(live, api_client, survey, open_link, full_answers):
    assert _post(api_client, type("S", (), {"pk": survey.pk + 1})(), {"token": open_link.token, "consent": True,
                                                                       "answers": full_answers}).status_code == 404


def test_one_client_beyond_the_throttle_is_refused_and_nothing_is_stored(live, api_client, survey, open_link,
                                                                         full_answers):
    from core.models import ThrottleCount

    live.SCIDAY_SURVEY_THROTTLE = (2, 3600)
    payload = {"token": open_link.token, "consent": True, "answers": full_answers}
    statuses = [_post(api_client.__class__(), survey, payload).status_code for _ in range(3)]  # three new phones
    assert statuses == [201, 201, 429]
    assert Response.objects.count() == 2
    assert ThrottleCount.objects.get().n == 2  # the refused attempt was not counted as stored
