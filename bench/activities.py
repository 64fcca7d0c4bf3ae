"""Activities at scale: the public list, the public detail, the review queue and the .xlsx export.
Prints figures; asserts nothing.

    .venv/bin/python bench/activities.py                       # 100,000 activities on a scratch SQLite file
    .venv/bin/python bench/activities.py --database-url postgres://postgres@127.0.0.1:5432/sciday_bench_act
                                                               # PostgreSQL (a scratch database: it is migrated)
    .venv/bin/python bench/activities.py --n 5000 --seconds 2  # a quick look
    .venv/bin/python bench/activities.py --sqlite-path /tmp/act.sqlite3 --skip-export  # again on the same data,
                                                               # pages only
    .venv/bin/python bench/activities.py --redis-url redis://127.0.0.1:6379/7  # the deployment's cache (Redis)

Steps: a scratch database is migrated and the 2022 campaign loaded; 300 units and N activities are
bulk-inserted in batches (spread over categories, forms, modes, districts, unit types, the campaign
window and the states; about 40 % published with their approval snapshot and public columns, some of
them under a new review). Then (a) the public list, the public detail and the organisers' review queue
are timed through the Django test client (median of several requests, with their SQL query counts),
and served by gunicorn (2 workers) next to the bare-Django floor (/bench/floor/, a view rendering 50
rows): the floor and each page in turn, --rounds times over, medians of requests/s, of the ratio to the
floor in the same round, and of the gunicorn workers' CPU per request (steadier on a shared machine;
work inside PostgreSQL or Redis is not in it); (b) unless --skip-export, the .xlsx export of the whole
list is timed in a fresh process with its peak memory (tracemalloc peak of Python objects, and the
process's VmHWM before and after).
Target: the hot pages serve at least half the floor's requests/s.
"""

import argparse
import contextlib
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import against_floor, bench_env, gunicorn, print_against_floor  # noqa: E402

CLOCK = "2022-05-20T10:00+08:00"
PORT = int(os.environ.get("SCIDAY_BENCH_PORT", "8766"))  # bench/run.py gives each its own
STATES = [("draft", 20), ("submitted", 30), ("returned", 10), ("approved", 26), ("held", 9), ("recommended", 2),
          ("recommended_up", 1), ("cancelled", 2)]
WORDS = ["科普讲座", "科技下乡", "科普进校园", "青少年科技竞赛", "双碳成果展", "科学家精神报告会", "数字经济沙龙", "银铃科普",
         "蒲公英科普", "科创助梦", "座谈会", "短视频征集"]


def environment(database_url: str, sqlite_path: str, redis_url: str = "") -> dict:
    extra = {"SCIDAY_CLOCK": CLOCK, "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
             "SCIDAY_REQUIRE_STAFF_OTP": "0"}
    env = bench_env(**extra)
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = sqlite_path
    return env


def setup(env: dict) -> None:
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


# --- data ---------------------------------------------------------------------------------------------------

def populate(n: int, seed: int = 2022) -> dict:
    """Migrate, load the campaign, and bulk-insert the units, an organiser and ``n`` activities."""
    import datetime

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.tests.factories import coordinator_of, staff_of
    from activities.models import Activity, Mode, State
    from activities.services import activity_publication_apply
    from campaigns.models import ActivityForm, Campaign
    from campaigns.seeding import campaign_load_seed
    from organisations.models import District, Office, Unit, UnitType

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    campaign_load_seed(slug="qingdao-2022")
    campaign = Campaign.objects.get(slug="qingdao-2022")
    rng = random.Random(seed)
    districts = list(District.objects.all())
    forms = list(ActivityForm.objects.filter(category__campaign=campaign).select_related("category"))
    types = [t for t, _label in UnitType.choices]
    Unit.objects.bulk_create(
        [Unit(name=f"{rng.choice(districts).name}{['科协', '科技局', '学会', '高校科协', '企业科协', '研究院'][i % 6]}{i:03d}",
              unit_type=types[i % len(types)], district=rng.choice(districts)) for i in range(300)],
        ignore_conflicts=True)
    units = list(Unit.objects.all())
    organiser = staff_of(Office.objects.get(code="qast-org-personnel"), username="bench-organiser")
    coordinator_of(units[0], username="bench-coordinator")
    states = [s for s, weight in STATES for _ in range(weight)]
    start = timezone.make_aware(datetime.datetime.combine(campaign.window_start, datetime.time(8)))
    days = (campaign.window_end - campaign.window_start).days + 1
    began = time.perf_counter()
    batch_size = 2000
    for first in range(0, n, batch_size):
        batch = []
        for i in range(first, min(n, first + batch_size)):
            form = rng.choice(forms)
            unit = rng.choice(units)
            district = rng.choice(districts)
            mode = rng.choice([Mode.ONLINE, Mode.OFFLINE, Mode.OFFLINE, Mode.HYBRID])
            starts = start + datetime.timedelta(days=rng.randrange(days), hours=rng.randrange(12))
            offline = mode != Mode.ONLINE
            state = rng.choice(states)
            activity = Activity(
                campaign=campaign, unit=unit, category=form.category, form=form,
                title=f"{district.name}{rng.choice(WORDS)}（第{i}期）", mode=mode, starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=rng.choice([1, 2, 3])),
                district=district if offline else None, address=f"{district.name}香港中路{i % 500}号" if offline else "",
                platform="" if offline and mode == Mode.OFFLINE else "腾讯会议",
                link="" if mode == Mode.OFFLINE else f"https://live.example.com/{i}",
                audiences=["public"], expected_participants=rng.randint(20, 500),
                joint_st_week=rng.random() < 0.3, contact_person="李老师", contact_phone="13912345678",
                description="<p>面向社区居民的科普活动。</p>", frugality_pledge=offline, state=state,
                submitted_at=starts - datetime.timedelta(days=rng.randint(3, 20)),
                created_by=organiser,
            )
            published = state not in (State.DRAFT, State.SUBMITTED, State.RETURNED) or (
                state == State.SUBMITTED and rng.random() < 0.1)  # an approved activity changed: under review
            if published:
                activity_publication_apply(activity)
            batch.append(activity)
        with transaction.atomic():
            Activity.objects.bulk_create(batch)
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum does soon after: planner statistics, visibility map
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"insert_seconds": round(time.perf_counter() - began, 1), "organiser": organiser.pk,
            "published": Activity.objects.filter(public_starts_at__isnull=False).count(),
            "submitted": Activity.objects.filter(state=State.SUBMITTED).count()}


# --- measurements -------------------------------------------------------------------------------------------

def client_figures(paths: dict, *, organiser_pk: int, repeat: int = 15) -> dict:
    """Median time and SQL queries of each page through the Django test client."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.tests.paging import link

    anonymous, organiser = Client(), Client()
    organiser.force_login(get_user_model().objects.get(pk=organiser_pk))
    results = {}
    following = link(anonymous.get("/activities/").content.decode()) or "?after="
    for label, (path, logged_in) in paths.items():
        path = path.replace("/activities/?after={next}", "/activities/" + following)
        client = organiser if logged_in else anonymous
        assert client.get(path).status_code == 200, path  # warm up
        times, queries = [], 0
        for i in range(repeat):
            asked = path if not label.startswith("public list") else (
                f"{path}{'&' if '?' in path else '?'}bench={i}-{time.monotonic_ns()}")  # not from the page cache
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                response = client.get(asked)
                times.append(time.perf_counter() - began)
            queries = len(ctx.captured_queries)
            assert response.status_code == 200, (path, response.status_code)
        results[label] = {"path": path, "ms": round(statistics.median(times) * 1000, 1), "queries": queries}
    return results


TRACED_ROWS = 10_000  # tracemalloc slows openpyxl tenfold: it watches the first rows only


def export_child(organiser_pk: int) -> None:
    """Run in a fresh process: export every activity the organiser sees, as the export view does; then once
    more under tracemalloc for the first TRACED_ROWS rows (Python's own peak, which must not grow with rows)."""
    import tracemalloc

    from django.contrib.auth import get_user_model

    from activities import excel, selectors

    organiser = get_user_model().objects.get(pk=organiser_pk)
    rss_before = peak_rss_kib()
    began = time.perf_counter()
    handle = excel.export_file(selectors.activity_list(user=organiser))
    seconds = time.perf_counter() - began
    rss_after = peak_rss_kib()
    size = handle.seek(0, 2)
    handle.close()
    tracemalloc.start()
    excel.export_file(selectors.activity_list(user=organiser)[:TRACED_ROWS]).close()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"seconds": round(seconds, 1), "tracemalloc_peak_mib": round(peak / 2**20, 1),
                      "traced_rows": TRACED_ROWS, "vmhwm_before_mib": round(rss_before / 1024, 1),
                      "vmhwm_after_mib": round(rss_after / 1024, 1), "xlsx_mib": round(size / 2**20, 1)}))


class Fresh:
    """Requests for one path, each with a parameter never sent before (the page ignores it, the public page
    cache's key sees it): every request builds the page afresh."""

    def __init__(self, path: str):
        self.path, self.joiner, self.sent = path, "&" if "?" in path else "?", itertools.count()

    def __len__(self) -> int:
        return 10**9

    def __getitem__(self, _i):
        return ("GET", f"{self.path}{self.joiner}bench={next(self.sent)}-{os.getpid()}-{time.monotonic_ns()}", None, {})


def served_figures(env: dict, paths: dict, cookie: str, seconds: float, rounds: int = 3) -> dict:
    server: dict = {}
    pages = {label: requests if isinstance(requests, Fresh) else [
        (m, p, b, {**h, "Cookie": cookie} if h.get("Cookie") == "organiser" else h) for m, p, b, h in requests]
        for label, requests in paths.items()}
    with gunicorn(env, port=PORT, workers=2, server=server):
        return against_floor(PORT, pages, server=server, rounds=rounds, seconds=seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page and round under gunicorn")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of floor-then-pages under gunicorn")
    parser.add_argument("--redis-url", default="", help="use this Redis as the cache (as deployed)")
    parser.add_argument("--sqlite-path", help="keep the SQLite file here (reused, not refilled, if it exists)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --database-url: measure the data a previous run left there (no refill)")
    parser.add_argument("--profile", help="only profile this path through the test client")
    parser.add_argument("--skip-export", action="store_true", help="leave out the .xlsx export (several minutes)")
    parser.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        setup(dict(os.environ))
        export_child(args.export_child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_path = args.sqlite_path or f"{tmp}/bench.sqlite3"
        reuse = (bool(args.sqlite_path) and Path(sqlite_path).exists()) or (args.reuse and bool(args.database_url))
        env = environment(args.database_url, sqlite_path, args.redis_url)
        setup(env)
        from django.core.cache import cache

        # A cache that outlives the scratch database (Redis) must not serve pages built from an earlier one.
        from core import versioned_cache

        with contextlib.suppress(Exception):  # the cache table may not exist yet
            cache.delete_many([versioned_cache.ACTIVITIES, versioned_cache.CAMPAIGNS])
        from django.conf import settings

        from activities.models import Activity

        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, activities: {args.n:,}")
        if reuse:
            from django.contrib.auth import get_user_model

            args.n = Activity.objects.count()
            data = {"insert_seconds": 0, "organiser": get_user_model().objects.get(username="bench-organiser").pk,
                    "published": Activity.objects.filter(public_starts_at__isnull=False).count(),
                    "submitted": Activity.objects.filter(state="submitted").count()}
        else:
            data = populate(args.n)
        if args.profile:
            import cProfile
            import pstats

            from django.test import Client

            client = Client()
            client.get(args.profile)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(args.profile)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("ROWS", "40")))
            return
        print(f"inserted in {data['insert_seconds']} s; published {data['published']:,}, "
              f"submitted {data['submitted']:,}")
        from campaigns.models import Category

        category_pk = Category.objects.filter(number=1).values_list("pk", flat=True).first()
        detail_pks = list(Activity.objects.filter(public_starts_at__isnull=False).order_by("?")
                          .values_list("pk", flat=True)[:50])
        q4, q2 = quote("科普讲座"), quote("讲座")  # a trigram search (FTS5 / pg_trgm), and a two-character one
        pages = {
            "public list": ("/activities/", False),
            "public list, last page": ("/activities/?last=1", False),
            "public list, page 2": ("/activities/?after={next}", False),
            "public list, search": (f"/activities/?q={q4}", False),
            "public list, search 2 chars": (f"/activities/?q={q2}", False),
            "public calendar": ("/activities/calendar/", False),
            "public detail": (f"/activities/{detail_pks[0]}/", False),
            "review queue": ("/activities/review/", True),
            "review queue, last page": ("/activities/review/?last=1", True),
            "review queue, search": (f"/activities/review/?q={q4}", True),
            "review queue, search 2 chars": (f"/activities/review/?q={q2}", True),
            "review queue, category": (f"/activities/review/?category={category_pk}", True),
        }
        figures = client_figures(pages, organiser_pk=data["organiser"])
        print("\nThe public list (only) is built afresh on each request here (a parameter the cache key sees but the page "
              "ignores);\n'× first' is the page's time over its list's first page in this run (target: deep pages "
              "and search ≤ 2×).")
        print(f"\n{'page (Django test client)':30} {'ms':>8} {'queries':>8} {'× first':>8}")
        for label, row in figures.items():
            first = figures["review queue" if label.startswith("review") else "public list"]["ms"]
            print(f"{label:30} {row['ms']:8.1f} {row['queries']:8d} {row['ms'] / first:8.2f}")

        from django.conf import settings as django_settings
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(pk=data["organiser"]))
        cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"

        def uncached(path: str) -> Fresh:
            return Fresh(path)

        organiser_cookie = {"Cookie": "organiser"}
        served = served_figures(env, {
            "public list": [("GET", "/activities/", None, {})],
            "public list, uncached": uncached("/activities/"),
            "public list, last page, uncached": uncached("/activities/?last=1"),
            "public list, search, uncached": uncached(f"/activities/?q={q4}"),
            "public detail": [("GET", f"/activities/{pk}/", None, {}) for pk in detail_pks],
            "review queue": [("GET", "/activities/review/", None, organiser_cookie)],
            "review queue, last page": [("GET", "/activities/review/?last=1", None, organiser_cookie)],
            "review queue, search": [("GET", f"/activities/review/?q={q4}", None, organiser_cookie)],
        }, cookie, args.seconds, args.rounds)
        print_against_floor(served)

        if args.skip_export:
            print(json.dumps({"data": data, "client": figures, "served": served}, ensure_ascii=False))
            return
        child = subprocess.run([sys.executable, __file__, "--export-child", str(data["organiser"])], env=env,
                               cwd=ROOT, check=True, capture_output=True, text=True)
        export = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"\n.xlsx export of {args.n:,} activities: {export['seconds']} s, {export['xlsx_mib']} MiB file, "
              f"tracemalloc peak {export['tracemalloc_peak_mib']} MiB (first {export['traced_rows']:,} rows), VmHWM {export['vmhwm_before_mib']} → "
              f"{export['vmhwm_after_mib']} MiB")
        print(json.dumps({"data": data, "client": figures, "served": served, "export": export}, ensure_ascii=False))


if __name__ == "__main__":
    main()
