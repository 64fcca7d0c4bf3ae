"""The organisers' review queue keeps a small constant number of queries however many activities there are,
and the public pages read the shared cache once; a campaign edit shows on them at once."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from activities import services
from activities.models import Activity, State
from activities.tests.factories import ActivityFactory, at
from campaigns import services as campaign_services
from campaigns.services import FormRow
from core.tests.paging import link, walk

QUEUE_QUERIES = 14  # session, user, offices, 2 cache reads, COUNT, page keys and ids, page rows, frame (2), session save (3)


def _bulk(unit, n, *, state=State.SUBMITTED, first=0, **kwargs):
    objs = []
    for i in range(first, first + n):
        obj = ActivityFactory.build(unit=unit, state=state, **kwargs)
        obj.title = f"排队活动{i:04d}"
        obj.submitted_at = at(1, 8) + datetime.timedelta(minutes=i)
        if state in (State.APPROVED, State.HELD):
            services.activity_publication_apply(obj)
        objs.append(obj)
    Activity.objects.bulk_create(objs)


def _titles(body: str) -> list[str]:
    return re.findall(r">(排队活动\d{4})</a>", body)


@pytest.mark.parametrize("query", ["", "?last=1", "?category={category}&mode=online&last=1", "?state=approved",
                                   "?q=排队", "?q=排队活动"])
def test_the_review_queue_keeps_a_small_constant_number_of_queries(query, login, organiser, unit_a, qingdao,
                                                                  django_assert_max_num_queries, monkeypatch,
                                                                  settings):
    # The cached campaign and filter form live 60 s on top of their versions, and the session is renewed at
    # most once a minute of real time; inserting 2,000 rows on a busy machine can take longer, and neither an
    # expired entry nor a renewal (3 queries) falling into one measurement only is what this test is about.
    monkeypatch.setattr("campaigns.selectors.CHOSEN_CACHE_SECONDS", 3600)
    monkeypatch.setattr("activities.views.FILTERS_CACHE_SECONDS", 3600)
    settings.SCIDAY_SESSION_RENEW_SECONDS = 24 * 3600
    client = login(organiser)
    url = reverse("activities:review") + query.format(category=qingdao.categories.get(number=1).pk)
    _bulk(unit_a, 60)
    _bulk(unit_a, 60, state=State.APPROVED, first=5000)
    client.get(url)
    with django_assert_max_num_queries(QUEUE_QUERIES) as small:
        assert client.get(url).status_code == 200
    _bulk(unit_a, 1500, first=1000)
    _bulk(unit_a, 500, state=State.APPROVED, first=6000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    cache.clear()  # and the first request after a change of version (campaign and filter form built again)
    with django_assert_max_num_queries(len(small.captured_queries) + 30) as cold:
        assert client.get(url).status_code == 200
    _bulk(unit_a, 500, first=3000)
    cache.clear()
    with django_assert_max_num_queries(len(cold.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_queue_shows_the_oldest_submissions_first_page_after_page(login, organiser, unit_a, settings):
    settings.SCIDAY_PAGE_SIZE = 10
    _bulk(unit_a, 35)
    _bulk(unit_a, 5, state=State.APPROVED, first=100)
    client = login(organiser)
    pages = walk(client, reverse("activities:review"))
    assert [_titles(body) for body in pages] == [
        [f"排队活动{i:04d}" for i in range(start, min(start + 10, 35))] for start in (0, 10, 20, 30)]
    assert "35 项待审核" in pages[0]
    assert "共 35 条" in pages[0] and "下一页" in pages[0] and "共 35 条" in pages[3]
    back = walk(client, reverse("activities:review"), {"last": "1"}, which="prev")  # 「末页」, then 「上一页」
    assert [_titles(body) for body in back][0] == [f"排队活动{i:04d}" for i in range(25, 35)]
    assert [t for body in reversed(back) for t in _titles(body)] == [f"排队活动{i:04d}" for i in range(35)]


def test_a_filtered_queue_counts_its_own_rows(login, organiser, unit_a, settings):
    settings.SCIDAY_PAGE_SIZE = 10
    _bulk(unit_a, 12)
    _bulk(unit_a, 23, state=State.APPROVED, first=100)
    bodies = walk(login(organiser), reverse("activities:review"), {"state": "approved"})
    assert len(bodies) == 3 and _titles(bodies[2]) == [f"排队活动{i:04d}" for i in range(120, 123)]
    assert "state=approved" in link(bodies[0]) and "共 23 条" in bodies[2]  # the filter stays in the links
    body = bodies[2]
    assert "12 项待审核" in body  # the heading still counts what waits for review


def test_the_queue_shows_each_rows_labels(login, organiser, unit_a):
    activity = ActivityFactory(unit=unit_a, state=State.SUBMITTED, submitted_at=at(2), title="标签活动")
    body = login(organiser).get(reverse("activities:review")).content.decode()
    row = body[body.index("标签活动") - 400:body.index("标签活动") + 900]
    assert reverse("activities:manage_detail", args=[activity.pk]) in row
    assert unit_a.name in row and "区市科协" in row  # the unit and its type
    assert activity.category.name in row and activity.form.name in row
    assert "线上" in row and "2022-05-28 09:00" in row and 'data-testid="state"' in row
    assert f'name="ids" value="{activity.pk}"' in row


def test_the_filter_form_keeps_what_was_asked(login, organiser, unit_a, qingdao):
    category = qingdao.categories.get(number=2)
    client = login(organiser)
    client.get(reverse("activities:review"))
    body = client.get(reverse("activities:review"), {"category": category.pk, "q": "讲座"}).content.decode()
    assert f'<option value="{category.pk}" selected>' in body
    assert 'value="讲座"' in body
    assert f'<option value="{category.pk}" selected>' not in client.get(reverse("activities:review")).content.decode()


def test_a_renamed_category_shows_at_once_in_the_filters(login, organiser, unit_a, qingdao, client):
    category = qingdao.categories.get(number=1)
    organiser_client = login(organiser)
    organiser_client.get(reverse("activities:review"))
    rows = [FormRow(pk=f.pk, name=f.name, name_en=f.name_en, order=f.order) for f in category.forms.all()]
    campaign_services.category_update(actor=organiser, category=category, name="改名后的类别", forms=rows)
    assert "改名后的类别" in organiser_client.get(reverse("activities:review")).content.decode()


# --- the public pages -----------------------------------------------------------------------------------------

def test_public_pages_read_the_shared_cache_once(client, unit_a, django_assert_num_queries):
    _bulk(unit_a, 5, state=State.APPROVED)
    pk = Activity.objects.first().pk
    for url in (reverse("activities:list"), reverse("activities:detail", args=[pk]), reverse("activities:calendar")):
        client.get(url)
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200


def test_a_campaign_edit_shows_at_once_on_the_public_list(client, unit_a, organiser, qingdao):
    _bulk(unit_a, 3, state=State.APPROVED)
    assert "改名后的类别" not in client.get(reverse("activities:list")).content.decode()
    category = qingdao.categories.get(number=1)
    rows = [FormRow(pk=f.pk, name=f.name, name_en=f.name_en, order=f.order) for f in category.forms.all()]
    campaign_services.category_update(actor=organiser, category=category, name="改名后的类别", forms=rows)
    assert "改名后的类别" in client.get(reverse("activities:list")).content.decode()


def test_the_public_detail_keeps_its_share_tags_and_qr(client, unit_a):
    _bulk(unit_a, 1, state=State.APPROVED)
    activity = Activity.objects.get()
    url = reverse("activities:detail", args=[activity.pk])
    for body in (client.get(url).content.decode(), client.get(url).content.decode()):  # built, then cached
        assert f"<title>{activity.title} · sciday</title>" in body
        assert '<meta property="og:title" content="排队活动0000">' in body
        assert 'data-testid="share-qr"><svg' in body and 'data-testid="public-detail"' in body
