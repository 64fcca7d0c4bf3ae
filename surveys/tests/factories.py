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


def responses_make(survey: Survey, rows: list[dict], *, unit=None, start: int = 0) -> list[Response]:
    """Bulk-insert responses: each row maps a question code to an option code, a list of codes or a number."""
    questions = {q.code: q for q in Question.objects.filter(survey=survey)}
    responses = Response.objects.bulk_create([
        Response(survey=survey, channel=Response.Channel.OPEN, unit=unit, device_hash=f"t-{start + i}",
                 submitted_at=datetime.datetime(2022, 5, 20, 10, tzinfo=SHANGHAI))
        for i in range(len(rows))
    ])
    answers = []
    for response, row in zip(responses, rows, strict=True):
        for code, value in row.items():
            question = questions[code]
            if isinstance(value, list):
                answers += [Answer(response=response, question=question, option_code=v) for v in value]
            elif question.kind == "number":
                answers.append(Answer(response=response, question=question, number=value))
            elif question.kind in ("short_text", "long_text"):
                answers.append(Answer(response=response, question=question, text=value))
            else:
                answers.append(Answer(response=response, question=question, option_code=value,
                                      number=value if question.kind == "scale" else None))
    Answer.objects.bulk_create(answers)
    from surveys.services import tallies_rebuild

    tallies_rebuild(survey=survey)
    return responses
