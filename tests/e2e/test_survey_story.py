"""A young S&T worker answers the 2022 survey on a phone inside WeChat; the organiser sees the result.

The story: scan the QR code, accept the statement, answer (the schooling question appears only for
parents), submit; the same phone cannot answer twice; a used 填答码 is refused; the organiser's
results page counts the new response, cross-tabulates it and draws the charts.
"""

import pytest
import segno

from accounts.tests.factories import PASSWORD
from surveys import services
from surveys.models import AnswerCode, Response
from surveys.seeding import survey_load_seed
from surveys.selectors import questions_of
from surveys.tests.factories import responses_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey(settings, qingdao):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    survey = survey_load_seed(slug="qingdao-2022")[0]
    # Earlier respondents, so that the crosstab has groups big enough to show.
    responses_make(survey, [{"q1": 2 + i % 2, "q11": 1 + i % 3, "q14": 2, "q19": [1, 3]} for i in range(40)])
    return survey


def test_a_young_worker_answers_on_a_phone_and_the_organiser_sees_it(phone, page, log_in, live_server, survey,
                                                                    organiser, unit_a):
    link = survey.links.get(unit__isnull=True)
    url = f"{live_server.url}/surveys/s/{link.token}/"

    # The QR code on the organiser's page encodes exactly this link.
    qr = phone.request.get(f"{live_server.url}/surveys/qr/{link.token}.svg")
    assert qr.ok and qr.text() == segno.make(url, error="m").svg_inline(scale=5, dark="#111")

    # Scan: the statement on personal information opens the survey and must be accepted.
    phone.goto(url)
    assert "2022年青岛市青年科技工作者工作状况调查" in phone.locator("[data-testid=survey-title]").inner_text()
    assert "个人信息保护法" in phone.locator("[data-testid=consent]").inner_text()
    phone.check("[data-testid=consent-check]")
    phone.click("[data-testid=consent-accept]")
    phone.wait_for_url("**/answer/")

    # The schooling question shows only for parents.
    schooling = phone.locator("[data-testid=question-q15]")
    assert schooling.is_hidden()
    phone.check("#q14-1")
    assert schooling.is_visible()
    phone.check("#q14-2")
    assert schooling.is_hidden()
    phone.check("#q14-1")
    phone.check("#q15-2")

    for code, option in [("q1", 2), ("q2", 2), ("q3", 1), ("q4", 2), ("q5", 2), ("q6", 1), ("q7", 3), ("q10", 3),
                         ("q11", 3), ("q12", 4), ("q13", 3), ("q16", 2), ("q17", 4), ("q18", 2)]:
        phone.check(f"#{code}-{option}")
    phone.fill("[name=q8]", "55")
    phone.fill("[name=q9]", "35")
    for option in (1, 5, 7):
        phone.check(f"#q19-{option}")
    assert phone.locator("#q19-2").is_disabled()  # three chosen: the rest are closed
    phone.fill("[name=q20]", "希望简化经费报销流程")
    phone.click("[data-testid=survey-submit]")
    phone.wait_for_url("**/done/")
    assert "感谢" in phone.locator("[data-testid=survey-done]").inner_text()
    assert Response.objects.filter(is_demo=False, device_hash__isnull=False).count() == 41

    # The same phone cannot answer again.
    phone.goto(url)
    refused = phone.locator("[data-testid=survey-refused]")
    assert refused.get_attribute("data-reason") == "duplicate"

    # A used answer code is refused.
    services.codes_generate(actor=organiser, survey=survey, unit=unit_a, count=1)
    code = AnswerCode.objects.get()
    services.response_submit(entry=services.Entry(survey=survey, code=code), questions=questions_of(survey),
                             device_id="another-phone", raw={"q1": "1", "q2": "1", "q3": "1", "q4": "1",
                                                             "q5": "1", "q6": "2", "q7": "1", "q8": "40",
                                                             "q9": "20", "q10": "2", "q11": "1", "q12": "3",
                                                             "q13": "1", "q14": "2", "q16": "1", "q17": "3",
                                                             "q18": "1", "q19": ["2"]}, consent=True)
    phone.goto(f"{live_server.url}/surveys/c/")
    phone.fill("[name=code]", code.code.lower())
    phone.click("[data-testid=code-submit]")
    assert phone.locator("[data-testid=survey-refused]").get_attribute("data-reason") == "code_used"

    # The organiser sees the new response in the counts, a crosstab and the charts.
    log_in(page, "organiser-t", PASSWORD)
    q1, q11 = (survey.questions.get(code=c) for c in ("q1", "q11"))
    page.goto(f"{live_server.url}/surveys/manage/{survey.pk}/results/?target={q11.pk}&by={q1.pk}")
    assert "42" in page.locator("[data-testid=respondents]").inner_text()
    assert page.locator("[data-testid=count-q14-1]").inner_text() in ("<5", "&lt;5")  # 1 parent: never shown
    assert page.locator("[data-testid=crosstab-row]").count() >= 1
    cells = page.locator("[data-testid=crosstab-cell]").all_inner_texts()
    assert all(text == "<5" or int(text.split()[0]) == 0 or int(text.split()[0]) >= 5 for text in cells)
    page.locator("#chart-q11 svg").first.wait_for()
    assert page.locator("#chart-q11 svg rect, #chart-q11 svg path").count() > 0
