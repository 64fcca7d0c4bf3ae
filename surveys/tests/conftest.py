import pytest

LIVE = "2022-05-20T10:00+08:00"


@pytest.fixture
def live(settings):
    """sciday's clock inside the 2022 survey's dates."""
    settings.SCIDAY_CLOCK = LIVE
    return settings


@pytest.fixture
def survey(qingdao):
    from surveys.seeding import survey_load_seed

    return survey_load_seed(slug="qingdao-2022")[0]


@pytest.fixture
def questions(survey):
    from surveys.selectors import questions_of

    return questions_of(survey)


@pytest.fixture
def open_link(survey):
    return survey.links.get(unit__isnull=True)


@pytest.fixture
def unit_link(survey, unit_a):
    from surveys.models import SurveyLink

    return SurveyLink.objects.create(survey=survey, unit=unit_a, token="unit-a-token", expected_headcount=10)


@pytest.fixture
def full_answers():
    """A complete, valid answer set of the 2022 questionnaire (with children, so q15 is shown)."""
    return {
        "q1": "2", "q2": "1", "q3": "1", "q4": "97", "q4_other": "交叉学科", "q5": "2", "q6": "1", "q7": "3",
        "q8": "55", "q9": "30", "q10": "3", "q11": "3", "q12": "4", "q13": "3", "q14": "1", "q15": "2",
        "q16": "2", "q17": "4", "q18": "2", "q19": ["1", "2", "5"], "q20": "希望减少填表", "q21": "",
    }


@pytest.fixture
def api_client(settings, client):
    """The test client with the survey router mounted at /test-api/surveys/."""
    settings.ROOT_URLCONF = "surveys.tests.api_urls"
    return client
