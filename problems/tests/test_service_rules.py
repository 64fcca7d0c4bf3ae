"""#11 item 3: the problems service holds the resolve form's limit on evidence files."""

import pytest
from django.core.exceptions import ValidationError

from problems import services
from problems.models import Problem, Status
from problems.services import MAX_EVIDENCE_FILES
from problems.tests.factories import ProblemFactory


def test_more_evidence_files_than_the_page_takes_are_refused(settings, coordinator_a, unit_a):
    from uploads.tests.samples import pdf_bytes, upload

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    problem = ProblemFactory(status=Status.IN_PROGRESS, responsible_unit=unit_a)
    files = [upload(f"e{i}.pdf", pdf_bytes()) for i in range(MAX_EVIDENCE_FILES + 1)]
    with pytest.raises(ValidationError) as error:
        services.problem_transition(actor=coordinator_a, problem=problem, action="resolve", resolution="已办结",
                                    public_summary="已办结", evidence_files=files)
    assert "evidence_files" in error.value.message_dict
    assert Problem.objects.get(pk=problem.pk).status == Status.IN_PROGRESS
