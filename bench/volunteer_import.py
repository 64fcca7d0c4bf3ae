"""How long does importing 10,000 volunteers take? Prints figures; asserts nothing.

    .venv/bin/python bench/volunteer_import.py                 # 10,000 rows on a scratch SQLite file
    .venv/bin/python bench/volunteer_import.py --n 20000 \\
        --database-url postgres://postgres@127.0.0.1:5432/sciday_bench   # PostgreSQL (scratch database!)

Steps: a scratch database is migrated and the 2022 campaign loaded; a workbook in the national
registry's bulk-import shape is generated with openpyxl (write-only); then (1) the same file with one
bad row is imported (every row is read and checked, nothing is written) and (2) the fixed file is
imported (checked, mobiles encrypted, bulk-inserted in one transaction). Each figure is wall time
with its SQL query count.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str, sqlite_path: str) -> None:
    os.environ["DEBUG"] = "1"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = sqlite_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciday.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log for the bulk inserts


def run(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import coordinator_of
    from campaigns.seeding import campaign_load_seed
    from organisations.models import Unit, UnitType
    from volunteering import services
    from volunteering.models import Volunteer
    from volunteering.tests.test_import import registry_workbook

    call_command("migrate", verbosity=0)
    campaign_load_seed(slug="qingdao-2022")
    unit, _created = Unit.objects.get_or_create(name="青岛市科普作家协会（基准）",
                                                defaults={"unit_type": UnitType.SOCIETY})
    Volunteer.objects.filter(unit=unit).delete()
    actor = coordinator_of(unit, username="bench-volunteer-import")

    start = time.perf_counter()
    bad = registry_workbook(n, bad_row=n // 2)
    good = registry_workbook(n)
    print(f"generated two workbooks of {n:,} rows in {time.perf_counter() - start:.1f} s "
          f"({len(good.read()) / 1024:,.0f} KiB each)")
    good.seek(0)

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        count, errors = services.volunteers_import(actor=actor, unit=unit, fileobj=bad)
        took = time.perf_counter() - start
    print(f"one bad row:  {took:.2f} s, {len(ctx.captured_queries)} queries, imported {count}, "
          f"errors: {'; '.join(e.text for e in errors)}")
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        count, errors = services.volunteers_import(actor=actor, unit=unit, fileobj=good)
        took = time.perf_counter() - start
    print(f"fixed file:   {took:.2f} s, {len(ctx.captured_queries)} queries, imported {count:,} "
          f"({count / took:,.0f} rows/s) on {connection.vendor}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        setup(args.database_url, os.path.join(scratch, "bench.sqlite3"))
        run(args.n)


if __name__ == "__main__":
    main()
