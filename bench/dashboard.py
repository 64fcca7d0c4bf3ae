"""The organisers' dashboard 数据看板 at scale: its figures built from scratch, and the page and the API
served from the cache. Prints figures; asserts nothing.

    .venv/bin/python bench/dashboard.py                        # 100,000 activities on a scratch SQLite file
    .venv/bin/python bench/dashboard.py --n 5000               # a quick look
    .venv/bin/python bench/dashboard.py --sqlite-path /tmp/act.sqlite3   # reuse bench/activities.py's data
    .venv/bin/python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/sciday_bench_dash

The data are bench/activities.py's (300 units, N activities over the categories, forms, modes, districts,
unit types, the window and the states). Measured: ``dashboard_figures`` for the whole city and for the
bureau (uncached, median of --repeat builds, with their SQL query counts), then ``GET /manage/dashboard/``
and ``GET /api/v1/campaigns/qingdao-2022/dashboard`` through the Django test client with the figures
cached (median time, queries).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.activities import environment, populate, setup  # noqa: E402


def timed(build, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            build()
            times.append(time.perf_counter() - began)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--sqlite-path", help="keep the SQLite file here (reused, not refilled, if it exists)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_path = args.sqlite_path or f"{tmp}/bench.sqlite3"
        reuse = bool(args.sqlite_path) and Path(sqlite_path).exists()
        setup(environment(args.database_url, sqlite_path))
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.test import Client

        from activities.models import Activity
        from campaigns.models import Campaign
        from dashboard.selectors import dashboard_figures
        from organisations.models import Office

        if reuse:
            organiser_pk = get_user_model().objects.get(username="bench-organiser").pk
        else:
            data = populate(args.n)
            organiser_pk = data["organiser"]
            print(f"inserted in {data['insert_seconds']} s")
        cache.clear()
        campaign = Campaign.objects.get(slug="qingdao-2022")
        bureau = Office.objects.get(code="qstb-talent")
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
              f"activities: {Activity.objects.count():,}")
        for label, office in (("city", None), ("bureau", bureau)):
            seconds, queries = timed(lambda office=office: dashboard_figures(campaign=campaign, office=office),
                                     args.repeat)
            print(f"dashboard_figures ({label}), uncached: {seconds * 1000:.0f} ms median, {queries} queries")
        client = Client()
        client.force_login(get_user_model().objects.get(pk=organiser_pk))
        for path in ("/manage/dashboard/?campaign=qingdao-2022", "/api/v1/campaigns/qingdao-2022/dashboard"):
            cache.clear()
            began = time.perf_counter()
            assert client.get(path).status_code == 200, path
            first = time.perf_counter() - began
            seconds, queries = timed(lambda path=path: client.get(path), max(args.repeat, 5))
            print(f"GET {path}: first (builds) {first * 1000:.0f} ms; cached {seconds * 1000:.1f} ms median, "
                  f"{queries} queries")


if __name__ == "__main__":
    main()
