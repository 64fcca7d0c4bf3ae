"""Keyset paging: walking a list forwards (「下一页」) or backwards (「上一页」 from 「末页」) gives every row once, in
the list's order, while the sort key ties and where it is NULL; a stale or edited cursor gives the first page."""

import datetime

import pytest
from django.test import RequestFactory

from activities.models import Activity, State
from activities.tests.factories import ActivityFactory, at
from core.pagination import _encode, keyset_paginate


def _walk(queryset, ordering, *, per_page, backwards=False, rows=None):
    factory = RequestFactory()
    params = {"last": "1"} if backwards else {}
    pages = []
    while True:
        page = keyset_paginate(factory.get("/", params), queryset, ordering, per_page=per_page, rows=rows,
                               counted=False)
        pages.append([a.pk for a in page])
        assert len(page.object_list) <= per_page
        more = page.has_previous if backwards else page.has_next
        if not more:
            break
        params = {"before": page.previous_cursor} if backwards else {"after": page.next_cursor}
        assert len(pages) < 100
    if backwards:
        pages.reverse()
    return [pk for page in pages for pk in page]


@pytest.fixture
def tied(unit_a):
    """37 activities on three start times and three submission times (one of them none), in shuffled pk order."""
    objs = []
    for i in range(37):
        objs.append(ActivityFactory.build(
            unit=unit_a, state=State.SUBMITTED if i % 4 else State.DRAFT, title=f"并列{i}",
            starts_at=at(20 + i % 3, 9), ends_at=at(20 + i % 3, 11),
            submitted_at=None if i % 3 == 0 else at(10, 8) + datetime.timedelta(hours=i % 2)))
    Activity.objects.bulk_create(objs)
    return Activity.objects.filter(unit=unit_a)


@pytest.mark.parametrize("ordering", [
    ("starts_at", "pk"), ("-starts_at", "pk"), ("starts_at", "-pk"), ("submitted_at", "pk"),
    ("-submitted_at", "-pk"), ("state", "-submitted_at", "starts_at", "pk"), ("unit__name", "-starts_at", "pk"),
])
@pytest.mark.parametrize("per_page", [1, 5, 10, 40])
def test_every_row_once_in_order_both_ways(tied, ordering, per_page):
    expected = list(tied.order_by(*ordering).values_list("pk", flat=True))  # the database's own order, NULLs too
    assert _walk(tied, ordering, per_page=per_page) == expected
    assert _walk(tied, ordering, per_page=per_page, backwards=True) == expected


def test_rows_loaded_apart_in_the_same_order(tied, django_assert_num_queries):
    expected = list(tied.order_by("submitted_at", "pk").values_list("pk", flat=True))
    rows = Activity.objects.only("id", "title")
    assert _walk(tied, ("submitted_at", "pk"), per_page=7, rows=rows) == expected
    with django_assert_num_queries(2):  # the page's keys and ids, then its rows
        keyset_paginate(RequestFactory().get("/"), tied, ("submitted_at", "pk"), per_page=7, rows=rows, counted=False)


def test_a_filter_pages_only_its_rows(tied):
    submitted = tied.filter(state=State.SUBMITTED)
    assert _walk(submitted, ("starts_at", "pk"), per_page=4) == list(
        submitted.order_by("starts_at", "pk").values_list("pk", flat=True))


@pytest.mark.parametrize("cursor", ["garbage", "W10", _encode([1]), _encode([{"x": 1}, 2]), "%%%"])
def test_a_bad_cursor_gives_the_first_page(tied, cursor):
    page = keyset_paginate(RequestFactory().get("/", {"after": cursor}), tied, ("starts_at", "pk"), per_page=5)
    assert [a.pk for a in page] == list(tied.order_by("starts_at", "pk").values_list("pk", flat=True)[:5])
    assert not page.has_previous and page.has_next and page.count == 37


def test_an_ordering_must_end_with_the_primary_key(tied):
    with pytest.raises(ValueError):
        keyset_paginate(RequestFactory().get("/"), tied, ("starts_at",))


def test_counting_stops_at_the_limit(tied, client):
    request = RequestFactory().get("/")
    page = keyset_paginate(request, tied, ("starts_at", "pk"), per_page=5, count_limit=30)
    assert (page.count, page.more_than) == (30, True)
    page = keyset_paginate(request, tied, ("starts_at", "pk"), per_page=5, count_limit=37)
    assert (page.count, page.more_than) == (37, False)


def test_the_links_keep_the_filters_and_say_more_than(tied, settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    request = RequestFactory().get("/", {"q": "并列", "state": "submitted"})
    page = keyset_paginate(request, tied, ("starts_at", "pk"), per_page=5, count_limit=30)
    with translation.override("zh-hans"):
        body = render_to_string("core/_pagination.html", {"page_obj": page}, request=request)
    assert "超过 30 条" in body and "下一页" in body and "末页" in body and "首页" in body
    assert "q=%E5%B9%B6%E5%88%97" in body and "state=submitted" in body and "after=" in body


def test_a_cursor_past_the_end_gives_an_empty_page_that_links_back(tied):
    last = max(tied.order_by("starts_at", "pk"), key=lambda a: (a.starts_at, a.pk))
    page = keyset_paginate(RequestFactory().get("/", {"after": _encode([last.starts_at, last.pk])}), tied,
                           ("starts_at", "pk"), per_page=5)
    assert list(page) == [] and page.has_previous and not page.has_next
