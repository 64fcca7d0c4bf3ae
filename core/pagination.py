"""One way to paginate every list in sciday.

Short lists page by number (``paginate``), and a page number is capped at ``SCIDAY_MAX_PAGE``: past it the
list asks for a filter or a search instead (an OFFSET never grows past the cap). Lists that can grow large
page by keyset (``keyset_paginate``): a page starts after (or ends before) the sort key of the row at the
edge of the page the person comes from, so the hundredth page costs what the first does. Its links are
「首页」「上一页」「下一页」「末页」; filters stay in the links (``{% querystring %}``).
"""

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet

MAX_PAGE = 100  # the deepest page number a numbered list serves (settings.SCIDAY_MAX_PAGE overrides)


class CappedPaginator(Paginator):
    """A paginator whose page numbers stop at ``max_page``: a deeper page is the last one allowed, and the
    page says the list goes on (``page_obj.capped``) so the template asks for a filter or a search."""

    def __init__(self, *args, max_page: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_page = max_page

    @property
    def num_pages(self):
        return min(super().num_pages, self.max_page)

    def page(self, number):
        page = super().page(number)
        page.capped = super().num_pages > self.max_page
        return page


def paginate(request, queryset, per_page: int | None = None):
    """The requested page of ``queryset``; a page number out of range gives the nearest page, and no page
    lies past ``SCIDAY_MAX_PAGE``."""
    paginator = CappedPaginator(queryset, per_page or settings.SCIDAY_PAGE_SIZE, max_page=getattr(settings, "SCIDAY_MAX_PAGE", MAX_PAGE))
    return paginator.get_page(request.GET.get("page"))


# --- keyset paging -------------------------------------------------------------------------------------------


def _encode(values: Sequence) -> str:
    tagged = []
    for value in values:
        if isinstance(value, datetime.datetime):
            tagged.append(["t", value.isoformat()])
        elif isinstance(value, datetime.date):
            tagged.append(["d", value.isoformat()])
        else:
            tagged.append(["v", value])
    raw = json.dumps(tagged, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str, size: int) -> list | None:
    """The key values in a cursor, or None when it is not one of ours (a stale or edited link: first page)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        tagged = json.loads(raw)
        if not isinstance(tagged, list) or len(tagged) != size:
            return None
        values = []
        for tag, value in tagged:
            if tag == "t":
                values.append(datetime.datetime.fromisoformat(value))
            elif tag == "d":
                values.append(datetime.date.fromisoformat(value))
            elif tag == "v" and (value is None or isinstance(value, str | int | float | bool)):
                values.append(value)
            else:
                return None
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class _Key:
    name: str  # a field path or an annotation of the queryset
    descending: bool
    nullable: bool


def _keys(queryset: QuerySet, ordering: Sequence[str]) -> list[_Key]:
    keys = []
    for item in ordering:
        name = item.lstrip("-")
        nullable = False
        if name != "pk" and name not in queryset.query.annotations:
            model, field_ = queryset.model, None
            for part in name.split("__"):
                field_ = model._meta.get_field(part)
                nullable = nullable or field_.null
                model = field_.related_model or model
        keys.append(_Key(name=name, descending=item.startswith("-"), nullable=nullable))
    if keys[-1].name not in ("pk", "id"):
        raise ValueError("a keyset ordering ends with the primary key (ties must be broken)")
    return keys


def _after(keys: list[_Key], values: list, *, reverse: bool, nulls_largest: bool) -> Q:
    """The rows strictly after ``values`` in the keys' order (before them when ``reverse``): the lexicographic
    comparison, written so that NULL sorts where the database puts it (largest on PostgreSQL, smallest on SQLite)."""
    nothing = Q(pk__in=[])
    result = nothing
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        ascending = key.descending == reverse
        nulls_after = nulls_largest == ascending  # NULLs come after every value in this direction
        if value is None:
            beyond = Q(**{f"{key.name}__isnull": False}) if not nulls_after else nothing
            equal = Q(**{f"{key.name}__isnull": True})
        else:
            beyond = Q(**{f"{key.name}__{'gt' if ascending else 'lt'}": value})
            if key.nullable and nulls_after:
                beyond |= Q(**{f"{key.name}__isnull": True})
            equal = Q(**{key.name: value})
        result |= equal_so_far & beyond
        equal_so_far &= equal
    return result


@dataclass
class KeysetPage:
    """One page of a keyset-paged list; iterating gives its rows (like a paginator's page)."""

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    count: int | None = None
    more_than: bool = False  # the list goes on past ``count`` (counting stopped there)
    keyset: bool = True
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def keyset_paginate(request, queryset: QuerySet, ordering: Sequence[str], *, per_page: int | None = None,
                    rows: QuerySet | None = None, count: int | Callable[[], int] | None = None,
                    counted: bool = True, count_limit: int | None = None) -> KeysetPage:
    """The page of ``queryset`` (ordered by ``ordering``, which ends with the primary key) that ``request``
    asks for: ``?after=<cursor>``, ``?before=<cursor>``, ``?last=1`` or the first page. One query reads the
    page (or two when ``rows`` says how a page's rows are loaded: the page's keys and ids by index, then those
    rows by primary key). ``count`` is the list's size when known already; else it is counted (one COUNT,
    the same on every page, stopping at ``count_limit`` when given) unless ``counted`` is false."""
    per_page = per_page or settings.SCIDAY_PAGE_SIZE
    keys = _keys(queryset, ordering)
    nulls_largest = connections[queryset.db].vendor == "postgresql"
    after = _decode(request.GET.get("after", ""), len(keys)) if request.GET.get("after") else None
    before = _decode(request.GET.get("before", ""), len(keys)) if request.GET.get("before") else None
    last = request.GET.get("last") == "1" and after is None and before is None
    reverse = before is not None or last
    order = [("-" if k.descending != reverse else "") + k.name for k in keys]
    found = queryset.order_by(*order)
    cursor = after if after is not None else before
    if cursor is not None:
        found = found.filter(_after(keys, cursor, reverse=reverse, nulls_largest=nulls_largest))
    if rows is not None:
        names = [k.name for k in keys]
        fetched = list(found.values_list("pk", *names)[:per_page + 1])
        more = len(fetched) > per_page
        fetched = fetched[:per_page]
        if reverse:
            fetched.reverse()
        by_id = rows.in_bulk([row[0] for row in fetched]) if fetched else {}
        items = [by_id[row[0]] for row in fetched if row[0] in by_id]
        edge_keys = [list(row[1:]) for row in fetched]
    else:
        items = list(found[:per_page + 1])
        more = len(items) > per_page
        items = items[:per_page]
        if reverse:
            items.reverse()
        edge_keys = [[_value(item, k.name) for k in keys] for item in items]
    if reverse:  # came back from a later page (or asked for the last one)
        has_previous, has_next = more, not last
    else:
        has_previous, has_next = after is not None, more
    more_than = False
    if callable(count):
        count = count()
    elif count is None and counted:
        if count_limit:  # stop counting past the limit: a broad search would otherwise read every match
            count = queryset.order_by()[:count_limit + 1].count()
            more_than = count > count_limit
            count = min(count, count_limit)
        else:
            count = queryset.order_by().count()
    return KeysetPage(
        object_list=items, has_next=has_next, has_previous=has_previous,  # an empty page still links back
        next_cursor=_encode(edge_keys[-1]) if edge_keys else "",
        previous_cursor=_encode(edge_keys[0]) if edge_keys else "", count=count, more_than=more_than)


def _value(item, name: str):
    if name == "pk":
        return item.pk
    for part in name.split("__"):
        if item is None:
            return None
        item = getattr(item, part)
    return item.pk if hasattr(item, "_meta") else item
