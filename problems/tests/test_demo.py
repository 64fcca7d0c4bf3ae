from io import StringIO

from core.demo import load_units_and_accounts
from problems.demo import DEMO_MARK, load_demo_data
from problems.models import Problem, Status


def test_demo_problems_cover_every_state_and_load_once(qingdao, settings):
    settings.SCIDAY_CLOCK = "2022-05-25T10:00+08:00"
    load_units_and_accounts()
    load_demo_data(StringIO())
    load_demo_data(StringIO())
    problems = Problem.objects.all()
    assert problems.count() == 20
    assert all(p.title.endswith(DEMO_MARK) for p in problems)
    assert set(problems.values_list("status", flat=True)) == set(Status.values)
    assert any(p.is_overdue for p in problems)
