import datetime

import pytest
from django.urls import reverse

from activities.tests.factories import png_file
from audit.models import AuditEntry
from summaries.models import Export, ExportStatus, Extension, Summary, SummaryState

from .factories import SummaryFactory

pytestmark = pytest.mark.django_db


def _edit(qingdao, unit):
    return reverse("summaries:edit", args=[qingdao.slug, unit.pk])


def _post(client, url, **data):
    payload = {"hl-TOTAL_FORMS": "1", "hl-INITIAL_FORMS": "0", "hl-MIN_NUM_FORMS": "0", "hl-MAX_NUM_FORMS": "20",
               "work_done": "开展座谈会", "results": "", "experience": "", "suggestions": "",
               "hl-0-title": "亮点一", "hl-0-text": "内容"}
    payload.update(data)
    return client.post(url, payload)


def test_a_coordinator_saves_a_draft_then_submits(at, login, qingdao, unit_a, coordinator_a, activities_a):
    at("2022-06-10T10:00")
    client = login(coordinator_a)
    page = client.get(_edit(qingdao, unit_a))
    assert page.status_code == 200 and b'data-testid="figures"' in page.content
    assert _post(client, _edit(qingdao, unit_a), save="1").status_code == 302
    summary = Summary.objects.get(unit=unit_a)
    assert summary.state == SummaryState.DRAFT and summary.highlights.count() == 1
    response = client.post(reverse("summaries:attach", args=[qingdao.slug, unit_a.pk]), {"photos": [png_file()]})
    assert response.status_code == 302 and summary.attachments.count() == 1
    assert client.get(reverse("summaries:preview", args=[qingdao.slug, unit_a.pk])).status_code == 200
    _post(client, _edit(qingdao, unit_a), submit="1")
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED and not summary.is_late
    assert client.get(reverse("summaries:docx", args=[qingdao.slug, unit_a.pk])).status_code == 200


def test_the_page_flags_a_late_submission(at, login, qingdao, unit_a, coordinator_a):
    at("2022-06-16T10:00")
    _post(login(coordinator_a), _edit(qingdao, unit_a), submit="1")
    assert Summary.objects.get(unit=unit_a).is_late


def test_another_units_summary_is_404(login, qingdao, unit_a, unit_b, coordinator_b):
    SummaryFactory(unit=unit_a)
    client = login(coordinator_b)
    assert client.get(_edit(qingdao, unit_a)).status_code == 404
    assert _post(client, _edit(qingdao, unit_a), save="1").status_code == 404
    assert Summary.objects.get(unit=unit_a).work_done != "开展座谈会"


def test_the_inbox_shows_only_the_offices_summaries(login, qingdao, unit_a, unit_b, organiser, bureau, admin_user):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    SummaryFactory(unit=unit_b, state=SummaryState.SUBMITTED)
    inbox = reverse("summaries:inbox")
    content = login(organiser).get(inbox).content.decode()
    assert "市南区科协" in content and "市北区科技局" not in content
    content = login(bureau).get(inbox).content.decode()
    assert "市北区科技局" in content and "市南区科协" not in content
    content = login(admin_user).get(inbox).content.decode()
    assert "市北区科技局" in content and "市南区科协" in content
    assert login(bureau).get(_edit(qingdao, unit_a)).status_code == 404


def test_the_office_returns_a_summary_with_a_reason(login, qingdao, unit_a, organiser):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    client = login(organiser)
    url = reverse("summaries:transition", args=[qingdao.slug, unit_a.pk, "return"])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "请补充照片"})
    assert Summary.objects.get(unit=unit_a).state == SummaryState.RETURNED


def test_the_board_counts_and_filters(at, login, qingdao, offices, unit_a, organiser, bureau):
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    url = reverse("summaries:board", args=["qast-org-personnel"])
    page = login(organiser).get(url, {"status": "submitted"})
    assert page.status_code == 200 and "市南区科协" in page.content.decode()
    assert page.context["counts"]["submitted"] == 1
    assert login(bureau).get(url).status_code == 404


def test_the_board_keeps_a_constant_number_of_queries(login, qingdao, organiser, django_assert_max_num_queries):
    from organisations.models import UnitType
    from organisations.tests.factories import UnitFactory

    client = login(organiser)
    url = reverse("summaries:board", args=["qast-org-personnel"])
    UnitFactory(unit_type=UnitType.SOCIETY)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for _ in range(30):
        SummaryFactory(unit=UnitFactory(unit_type=UnitType.SOCIETY), state=SummaryState.SUBMITTED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(small.captured_queries) + 1):
        client.get(reverse("summaries:inbox"))


def test_an_office_grants_an_extension_from_the_page(login, qingdao, unit_a, organiser):
    url = reverse("summaries:extend", args=[qingdao.slug, unit_a.pk])
    client = login(organiser)
    response = client.post(url, {"until": "2022-06-20", "reason": "防疫"})
    assert response.status_code == 302 and response.url == reverse("summaries:board", args=[qingdao.office_for(
        unit_a.unit_type).code])
    extension = Extension.objects.get(campaign=qingdao, unit=unit_a)
    assert extension.until == datetime.date(2022, 6, 20) and extension.reason == "防疫"
    assert extension.granted_by == organiser
    assert AuditEntry.objects.filter(actor=organiser, action__startswith="summaries.extension").exists()
    assert "2022-06-20" in client.get(response.url).content.decode()  # the board shows the new deadline


def test_an_export_runs_in_the_background_and_is_downloaded(login, qingdao, organiser, coordinator_a,
                                                            django_capture_on_commit_callbacks):
    client = login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("summaries:exports"), {"kind": "summaries.report", "office": "qast-org-personnel"})
    export = Export.objects.get()
    assert export.status == ExportStatus.DONE and export.progress == 100
    row = client.get(reverse("summaries:export_status", args=[export.pk]))
    assert b"export-download" in row.content and b"hx-get" not in row.content
    download = client.get(reverse("summaries:export_download", args=[export.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.docx"')
    # someone else's export is not there for them
    assert login(coordinator_a).get(reverse("summaries:export_download", args=[export.pk])).status_code == 404
    assert login(coordinator_a).get(reverse("summaries:exports")).status_code == 403


def test_workbench_todos(login, qingdao, unit_a, coordinator_a, organiser):
    from summaries.workbench import todos

    assert todos(coordinator_a)
    SummaryFactory(unit=unit_a, state=SummaryState.SUBMITTED)
    assert any("inbox" in t["url"] for t in todos(organiser))


def test_demo_data_loads_summaries_in_every_state(qingdao):
    from core.demo import load_units_and_accounts
    from summaries.demo import load_demo_data

    load_units_and_accounts()
    load_demo_data()
    states = set(Summary.objects.values_list("state", flat=True))
    assert states == set(SummaryState.values)
    assert all("（演示）" in s.work_done for s in Summary.objects.all())
    assert load_demo_data() == []  # a second run adds nothing



def test_saving_highlights_again_and_again_adds_no_blank_slot(at, login, qingdao, unit_a, coordinator_a):
    at("2022-06-10T10:00")
    client = login(coordinator_a)
    url = _edit(qingdao, unit_a)
    assert client.get(url).content.decode().count('data-testid="highlight"') == 1  # none yet: one empty slot
    initial = "0"
    for _ in range(3):  # the page's own management form, as a browser sends it
        assert _post(client, url, save="1", **{"hl-INITIAL_FORMS": initial}).status_code == 302
        page = client.get(url).content.decode()
        assert page.count('data-testid="highlight"') == 1  # the saved one, no blank slot beside it
        assert 'name="hl-TOTAL_FORMS" value="1"' in page and 'name="hl-0-title" value="亮点一"' in page
        initial = "1"
    assert Summary.objects.get(unit=unit_a).highlights.count() == 1
    # 「添加亮点」 saves and opens exactly one empty slot.
    response = _post(client, url, add_highlight="1", **{"hl-INITIAL_FORMS": "1"})
    assert response.status_code == 302 and response.url.endswith("?add=1#highlights")
    page = client.get(response.url.split("#")[0]).content.decode()
    assert page.count('data-testid="highlight"') == 2 and 'name="hl-TOTAL_FORMS" value="2"' in page
    assert 'id="id_hl-1-title"' in page and 'name="hl-1-title" value=' not in page
    assert "添加亮点" in page
