"""Demo data of the survey: the 2022 questionnaire, a link per demo unit with an expected headcount,
and a few hundred responses clearly generated for the demo (``is_demo``, texts marked 【演示数据】)."""

from django.core.management import call_command

from organisations.models import Unit

from .generate import responses_generate
from .models import SurveyLink
from .selectors import questions_of
from .services import _new_token

DEMO_RESPONSES = 400


def load_demo_data(stdout) -> list[tuple[str, str]]:
    call_command("load_survey", "qingdao-2022", stdout=stdout)
    from .models import Survey

    survey = Survey.objects.get(slug="qingdao-2022")
    for i, unit in enumerate(Unit.objects.filter(is_active=True).order_by("id")):
        SurveyLink.objects.get_or_create(survey=survey, unit=unit,
                                         defaults={"token": _new_token(), "expected_headcount": 20 + (i * 7) % 40})
    if not survey.responses.filter(is_demo=True).exists():
        links = list(survey.links.filter(unit__isnull=False).select_related("unit"))
        made = responses_generate(survey=survey, questions=questions_of(survey), count=DEMO_RESPONSES, links=links)
        stdout.write(f"Survey qingdao-2022: {made} demo responses generated.")
    return []
