import datetime
from zoneinfo import ZoneInfo

import factory

from campaigns.tests.factories import CampaignFactory
from surveys.models import Answer, Question, Response, Section, Survey, SurveyLink

SHANGHAI = ZoneInfo("Asia/Shanghai")


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    campaign = factory.SubFactory(CampaignFactory)
    slug = factory.Sequence(lambda n: f"survey-{n}")
    title = factory.Sequence(lambda n: f"测试问卷{n}")
    consent_text = "同意说明"
    opens_at = datetime.datetime(2022, 5, 11, tzinfo=SHANGHAI)
    closes_at = datetime.datetime(2022, 6, 21, tzinfo=SHANGHAI)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    survey = factory.SubFactory(SurveyFactory)
    title = "基本情况"


class SurveyLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyLink

    survey = factory.SubFactory(SurveyFactory)
    token = factory.Sequence(lambda n: f"tok{n:08d}")


def answers_for(response: Response, question: Question, value) -> list[Answer]:
    """The Answer rows of one value: an option code, a list of codes, a number, a text, or
    (code, text) for an "other, please specify" (also inside a list)."""
    def coded(v):
        code, text = v if isinstance(v, tuple) else (v, "")
        return Answer(response=response, question=question, option_code=code, text=text,
                      number=code if question.kind == "scale" else None)

    if isinstance(value, list):
        return [coded(v) for v in value]
    if question.kind == "number":
        return [Answer(response=response, question=question, number=value)]
    if question.kind in ("short_text", "long_text"):
        return [Answer(response=response, question=question, text=value)]
    return [coded(value)]


def responses_make(survey: Survey, rows: list[dict], *, unit=None, start: int = 0, district=None,
                   channel=Response.Channel.OPEN, submitted_at=None, count: bool = True) -> list[Response]:
    """Bulk-insert responses: each row maps a question code to a value (see ``answers_for``); the
    tallies are rebuilt unless ``count`` is False (then the responses are pending, as after a submission)."""
    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    when = submitted_at or datetime.datetime(2022, 5, 20, 10, tzinfo=SHANGHAI)
    responses = Response.objects.bulk_create([
        Response(survey=survey, channel=channel, unit=unit, district_id=getattr(district, "pk", district),
                 device_hash=f"t-{start + i}", submitted_at=when)
        for i in range(len(rows))
    ])
    answers = []
    for response, row in zip(responses, rows, strict=True):
        for code, value in row.items():
            answers += answers_for(response, questions[code], value)
    Answer.objects.bulk_create(answers)
    if count:
        from surveys.services import tallies_rebuild

        tallies_rebuild(survey=survey)
    return responses
