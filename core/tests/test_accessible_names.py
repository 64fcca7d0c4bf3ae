"""Issue 17 item 19: every form control a person fills in has an accessible name (a <label for>, a wrapping
label or aria-label); choice groups are fieldsets with a legend. Checked on the pages that lacked them."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SKIPPED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labelled_ids, self.controls, self.label_depth = set(), [], 0
        self.fieldsets, self.legends = 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.labelled_ids.add(attrs["for"])
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1
        elif tag in ("input", "select", "textarea") and attrs.get("type", "text") not in SKIPPED_TYPES:
            self.controls.append((attrs, self.label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)


def unnamed_controls(html: str) -> list[str]:
    parser = _Controls()
    parser.feed(html)
    return [attrs.get("name") or "?" for attrs, wrapped in parser.controls
            if not (wrapped or attrs.get("aria-label") or attrs.get("aria-labelledby")
                    or attrs.get("id") in parser.labelled_ids)]


def test_the_outcome_reports_media_coverage_rows_are_labelled(login, coordinator_a, unit_a):
    from activities.models import State
    from activities.tests.factories import ActivityFactory

    activity = ActivityFactory(unit=unit_a, state=State.APPROVED)
    page = login(coordinator_a).get(reverse("activities:report", args=[activity.pk])).content.decode()
    assert 'name="coverage-0-outlet"' in page
    assert unnamed_controls(page) == []
    assert page.count("<legend") >= page.count('data-testid="coverage-row"') > 0


def test_the_filters_of_the_lists_are_labelled(login, organiser, admin_user, qingdao):
    from awards.tests.factories import SelectionFactory

    selection = SelectionFactory(campaign=qingdao)
    client = login(organiser)
    for url in (reverse("awards:nominations", args=[selection.pk]), reverse("summaries:inbox"),
                reverse("exhibitions:base_list")):
        page = client.get(url).content.decode()
        assert unnamed_controls(page) == [], url
    page = login(admin_user).get(reverse("exhibitions:visits")).content.decode()
    assert 'name="state"' in page and unnamed_controls(page) == []


def test_every_survey_question_is_a_named_group_or_a_labelled_field(client, qingdao, settings):
    from surveys.seeding import survey_load_seed

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    survey = survey_load_seed(slug="qingdao-2022")[0]
    link = survey.links.get(unit__isnull=True)
    entry = reverse("surveys:entry", kwargs={"kind": "s", "token": link.token})
    client.post(entry, {"consent": "1"})
    page = client.get(reverse("surveys:answer", kwargs={"kind": "s", "token": link.token})).content.decode()
    assert 'name="q8"' in page
    assert unnamed_controls(page) == []
    choice_questions = [q for q in survey.questions.all() if q.kind in ("single", "multiple", "scale", "district",
                                                                         "unit_type")]
    assert page.count("<legend") >= len(choice_questions)
