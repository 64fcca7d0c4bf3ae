"""Pages and exports: permissions, and the ID number and mobile never unmasked without the permission."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from awards import services
from awards.models import Nomination
from awards.tests.factories import NominationFactory, expert, valid_id

S = Nomination.Status
RAW_ID = valid_id(77)
RAW_MOBILE = "13955556666"


def _bytes(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # docx / xlsx: search the unzipped XML too
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content += b"".join(archive.read(name) for name in archive.namelist())
    return content


@pytest.fixture
def released(selection, organiser, unit_a, unit_b, settings):
    """A selection taken all the way to release, with a winner whose ID and mobile are RAW_*."""
    winner = NominationFactory(selection=selection, unit=unit_a, id_number=RAW_ID, mobile=RAW_MOBILE,
                               status=S.ELIGIBLE, name="张海洋")
    reviewer = expert("expert-v", unit=unit_b)
    assignment, = services.assignments_create(actor=organiser, expert=reviewer, nominations=[winner])
    criteria = list(selection.criteria.all())
    services.assignment_score(actor=reviewer, assignment=assignment, scores={criteria[0].pk: 50, criteria[1].pk: 30})
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[winner.pk])
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2022, 6, 1), text="公示")
    winner.refresh_from_db()
    selection.refresh_from_db()
    services.objection_file(selection=selection, nomination=winner, name="王五", phone="13700001111", facts="核实")
    return selection, winner, reviewer, assignment


def _pages(selection, nomination, assignment):
    slug = selection.campaign.slug
    pk = selection.pk
    return [reverse("awards:home"), reverse("awards:selection", args=[pk]), reverse("awards:nominations", args=[pk]),
            reverse("awards:nomination", args=[nomination.pk]), reverse("awards:nomination_docx", args=[nomination.pk]),
            reverse("awards:summary_xlsx", args=[pk]), reverse("awards:assignments", args=[pk]),
            reverse("awards:ranking", args=[pk]), reverse("awards:objections", args=[pk]),
            reverse("awards:reviews"), reverse("awards:review", args=[assignment.pk]),
            reverse("awards:public_notice", args=[slug]), reverse("awards:announcement", args=[slug]),
            reverse("awards:exhibition", args=[slug]), reverse("awards:profile", args=[nomination.public_id]),
            *[reverse("awards:export", args=[pk, kind]) for kind in ("ranking.xlsx", "committee.docx",
                                                                     "notice.docx")],
            "/api/v1/awards/nominations/", f"/api/v1/awards/nominations/{nomination.pk}",
            "/api/v1/awards/assignments/", f"/api/v1/awards/public/{slug}/notice"]


def test_no_page_export_or_api_answer_shows_the_raw_numbers_without_the_permission(
        released, client, login, coordinator_a, coordinator_b, settings, organiser):
    selection, winner, reviewer, assignment = released
    raw = [RAW_ID.encode(), RAW_MOBILE.encode(), b"13700001111"]
    checked = 0
    for user in (None, coordinator_a, coordinator_b, reviewer):
        browser = login(user) if user else client
        for url in _pages(selection, winner, assignment):
            response = browser.get(url)
            body = _bytes(response)
            for value in raw:
                assert value not in body, (user, url)
            checked += response.status_code == 200
    # after the release: the announcement, exhibition, profile and poster
    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    objection = winner.objections.get()
    services.objection_decide(actor=organiser, objection=objection, outcome="not_upheld", investigation="无误")
    services.selection_release(actor=organiser, selection=selection, announcement="发布")
    for user in (None, coordinator_a, reviewer):
        browser = login(user) if user else client
        for url in [*_pages(selection, winner, assignment), reverse("awards:poster", args=[winner.public_id])]:
            body = _bytes(browser.get(url))
            assert not any(value in body for value in raw), (user, url)
    assert checked > 20
    # the coordinator sees the masked forms
    body = _bytes(login(coordinator_a).get(reverse("awards:nomination", args=[winner.pk])))
    assert b"3702**********" in body and b"139****6666" in body


def test_an_organiser_reveals_the_numbers_and_the_reveal_is_audited(released, login, organiser):
    selection, winner, *_ = released
    client = login(organiser)
    url = reverse("awards:nomination", args=[winner.pk])
    assert RAW_ID.encode() not in client.get(url).content
    response = client.post(url, {"reveal": "1"})
    assert RAW_ID.encode() in response.content and RAW_MOBILE.encode() in response.content
    assert AuditEntry.objects.filter(action="awards.nomination.personal_revealed").count() == 1
    assert RAW_ID.encode() in _bytes(client.get(reverse("awards:summary_xlsx", args=[selection.pk])))
    assert AuditEntry.objects.filter(action="awards.export.downloaded").count() == 1


def test_a_coordinator_cannot_reveal_or_see_another_units_nomination(released, login, coordinator_a, coordinator_b):
    selection, winner, *_ = released
    url = reverse("awards:nomination", args=[winner.pk])
    assert login(coordinator_b).get(url).status_code == 404
    response = login(coordinator_a).post(url, {"reveal": "1"})
    assert response.status_code == 403 and RAW_ID.encode() not in response.content
    assert login(coordinator_a).get(reverse("awards:ranking", args=[selection.pk])).status_code == 403


def test_the_public_objection_is_throttled(released, client, settings):
    selection, winner, *_ = released
    url = reverse("awards:public_notice", args=[selection.campaign.slug])
    data = {"nomination": winner.pk, "name": "赵六", "phone": "13700002222", "facts": "情况说明"}
    statuses = [client.post(url, data).status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5 and statuses[-1] == 429
    assert winner.objections.count() == 6  # the fixture's one and five from the page


def test_the_poster_is_a_png(released, client, organiser, settings):
    selection, winner, *_ = released
    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    services.objection_decide(actor=organiser, objection=winner.objections.get(), outcome="not_upheld",
                              investigation="无误")
    services.selection_release(actor=organiser, selection=selection, announcement="发布")
    response = client.get(reverse("awards:poster", args=[winner.public_id]))
    assert response.status_code == 200 and response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(reverse("awards:profile", args=[winner.public_id])).status_code == 200


def test_the_nomination_list_keeps_a_constant_number_of_queries(selection, login, organiser,
                                                                django_assert_max_num_queries):
    client = login(organiser)
    NominationFactory.create_batch(2, selection=selection)
    with django_assert_max_num_queries(12):
        client.get(reverse("awards:nominations", args=[selection.pk]))
    NominationFactory.create_batch(15, selection=selection)
    with django_assert_max_num_queries(12):
        client.get(reverse("awards:nominations", args=[selection.pk]))
