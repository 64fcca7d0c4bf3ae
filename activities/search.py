"""Chinese substring search over activities through an index that fits each database.

The result is exactly today's ``icontains`` match (any of the columns contains the words, ASCII letters in
either case); the index only narrows the rows that are compared:

- SQLite: an FTS5 table with the trigram tokenizer (``activities_activity_search``, external content: it
  stores only the index, the text stays in ``activities_activity``), kept in step by triggers on every
  INSERT, UPDATE and DELETE, so bulk writes and ``update()`` keep it right too. A query of three characters
  or more is a trigram phrase (a substring match); the ``icontains`` comparison then runs on those rows only
  (the tokenizer folds more letters' case than SQLite's LIKE does: the index finds a superset).
- PostgreSQL: pg_trgm GIN indexes on ``UPPER(col::text)``, the expression Django's ``icontains`` compares, so
  the plain lookup uses them (a bitmap OR over the columns).

A query of one or two characters cannot use trigrams: it is the plain comparison (a scan of the list's rows;
measured in bench/activities.py). A host unit is found by its name among the units first (a small table),
then its activities by ``unit_id`` (an index), which keeps the whole condition indexable.
"""

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "activities_activity_search"
COLUMNS = ("title", "address", "public_title", "public_unit", "public_venue")
LIVE_COLUMNS = ("title", "address")  # the management search, beside the host unit's name
PUBLIC_COLUMNS = ("public_title", "public_unit", "public_venue")
MIN_TRIGRAM = 3


def _sqlite_statements() -> list[str]:
    columns = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    delete = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old});"  # noqa: S608 - constants only
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"  # noqa: S608 - constants only
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, content='activities_activity', "
        "content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON activities_activity BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON activities_activity BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF {columns} ON activities_activity "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",  # noqa: S608 - constants only
    ]


def _postgresql_statements() -> list[str]:
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f"CREATE INDEX IF NOT EXISTS activity_{c}_trgm ON activities_activity USING gin (UPPER({c}::text) gin_trgm_ops)"
        for c in COLUMNS]


def install(connection) -> None:
    """Create the index and what keeps it in step (idempotent); on another database, nothing."""
    statements = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}.get(connection.vendor)
    if statements is None:
        return
    with connection.cursor() as cursor:
        for sql in statements():
            cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            for c in COLUMNS:
                cursor.execute(f"DROP INDEX IF EXISTS activity_{c}_trgm")


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def _contains(columns, words: str) -> Q:
    found = Q()
    for column in columns:
        found |= Q(**{f"{column}__icontains": words})
    return found


def search_filter(activities: QuerySet, words: str, *, public: bool) -> QuerySet:
    """``activities`` whose searched columns contain ``words`` (``icontains``): the published title, host unit
    and address when ``public``, else the live title, address and host unit's name."""
    from organisations.models import Unit

    columns = PUBLIC_COLUMNS if public else LIVE_COLUMNS
    exact = _contains(columns, words)
    if not public:
        unit_ids = list(Unit.objects.filter(name__icontains=words).values_list("pk", flat=True))
        exact |= Q(unit_id__in=unit_ids)
    vendor = connections[activities.db].vendor
    if vendor == "sqlite" and len(words) >= MIN_TRIGRAM:
        match = "{" + " ".join(columns) + "} : " + _phrase(words)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - the words are a parameter
        indexed = Q(pk__in=RawSQL(sql, [match]))  # noqa: S611
        if not public and unit_ids:
            indexed |= Q(unit_id__in=unit_ids)
        return activities.filter(indexed).filter(exact)
    return activities.filter(exact)
