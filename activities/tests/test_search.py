"""The indexed search (SQLite FTS5 trigram, PostgreSQL pg_trgm) finds exactly what the plain substring match
(``icontains``) finds, and the index follows every write (insert, update, bulk update, delete)."""

import pytest
from django.db import connection
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities import search
from activities.models import Activity
from activities.tests.factories import ActivityFactory
from organisations.models import Unit

ALPHABET = "科普讲座进校园青少年技术双碳科学家精神abcABCxyZ12 -%_\"'*"
text = st.text(alphabet=ALPHABET, max_size=14)
words = st.text(alphabet=ALPHABET, min_size=1, max_size=5).filter(lambda w: w.strip() == w and w)


def _plain(words: str, *, public: bool) -> set[int]:
    if public:
        q = Q(public_title__icontains=words) | Q(public_unit__icontains=words) | Q(public_venue__icontains=words)
    else:
        q = Q(title__icontains=words) | Q(address__icontains=words) | Q(unit__name__icontains=words)
    return set(Activity.objects.filter(q).values_list("pk", flat=True))


def _indexed(words: str, *, public: bool) -> set[int]:
    return set(search.search_filter(Activity.objects.all(), words, public=public).values_list("pk", flat=True))


def test_the_index_is_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{search.FTS_TABLE}%"])
            names = {row[0] for row in cursor.fetchall()}
            assert {search.FTS_TABLE, *(f"{search.FTS_TABLE}_{s}" for s in ("ai", "ad", "au"))} <= names
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'activities_activity'")
            names = {row[0] for row in cursor.fetchall()}
            assert {f"activity_{c}_trgm" for c in search.COLUMNS} <= names


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(text, text, text, text, text), min_size=1, max_size=8), unit_name=text,
       renamed=text, queries=st.lists(words, min_size=1, max_size=4), pick=st.integers(min_value=0, max_value=100))
def test_indexed_search_finds_what_icontains_finds(unit_a, rows, unit_name, renamed, queries, pick):
    Activity.objects.all().delete()  # the delete trigger, every example
    Unit.objects.filter(pk=unit_a.pk).update(name=unit_name or "单位")
    objs = []
    for title, address, public_title, public_unit, public_venue in rows:
        obj = ActivityFactory.build(unit=unit_a, title=title, address=address)
        obj.public_title, obj.public_unit, obj.public_venue = public_title, public_unit, public_venue
        objs.append(obj)
    Activity.objects.bulk_create(objs)
    activities = list(Activity.objects.order_by("pk"))
    changed = activities[pick % len(activities)]
    changed.title = renamed
    changed.public_venue = renamed[::-1]
    changed.save(update_fields=["title", "public_venue"])  # the update trigger
    Activity.objects.filter(pk=activities[0].pk).update(address=renamed + "路")
    if len(activities) > 2:
        activities[-1].delete()
    for text_ in activities[:2]:  # a substring of what is stored, too
        if len(text_.title) >= 2:
            queries.append(text_.title[pick % len(text_.title):][:4].strip() or "科")
    for words_ in queries:
        for public in (False, True):
            assert _indexed(words_, public=public) == _plain(words_, public=public), (words_, public)


@pytest.mark.parametrize("words", ["科普讲座", "科普", "讲", "ABC", "ab"])
def test_the_review_queue_searches_through_the_index(words, unit_a, organiser):
    from activities import selectors
    from activities.models import State

    a = ActivityFactory(unit=unit_a, state=State.SUBMITTED, title="市南区科普讲座abc")
    ActivityFactory(unit=unit_a, state=State.SUBMITTED, title="双碳成果展")
    queue = selectors.review_queue(user=organiser, search=words)
    assert [x.pk for x in queue] == [a.pk]
    sql = str(queue.query)
    if connection.vendor == "sqlite":
        assert (search.FTS_TABLE in sql) == (len(words) >= search.MIN_TRIGRAM)  # short words: the plain match
    else:
        assert "UPPER" in sql and "LIKE" in sql  # the expression the trigram GIN indexes serve
