"""How fast are the survey's statistics and its answer path? Prints figures; asserts nothing.

    .venv/bin/python bench/survey_stats.py                 # 100,000 responses on a scratch SQLite file
    .venv/bin/python bench/survey_stats.py --n 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/sciday_bench   # PostgreSQL (scratch database!)
    .venv/bin/python bench/survey_stats.py --n 20000 --submit 300 --threads 8

Targets (see the issue): the results page's aggregation over 100,000 responses < 0.5 s on SQLite and
1,000,000 < 1 s on PostgreSQL. Steps: a scratch database is migrated, the 2022 campaign and
questionnaire are loaded, N responses are bulk-inserted, then the results aggregation and one
crosstab are timed (best of 3) with their SQL query counts; then a live gunicorn on 127.0.0.1 takes
a bounded load of real submissions (consent page, answer page) from a few threads, each thread a
phone of its own (cookie jar) and a client address of its own (X-Forwarded-For, as behind the proxy).
"""

import argparse
import datetime
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLOCK = "2022-05-20T10:00+08:00"


def setup(database_url: str, sqlite_path: str) -> None:
    os.environ["DEBUG"] = "1"
    os.environ["SCIDAY_CLOCK"] = CLOCK
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

    # DEBUG=1 only for the live server's plain-HTTP cookies; here it would log every bulk insert.
    settings.DEBUG = False


def timed(function, repeat: int = 3):
    """(best seconds, number of SQL queries, result) of ``function``."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    best, queries, result = float("inf"), 0, None
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return best, queries, result


def prepare(n: int):
    from django.core.management import call_command

    from campaigns.seeding import campaign_load_seed
    from surveys.generate import responses_generate
    from surveys.models import Survey, SurveyLink
    from surveys.seeding import survey_load_seed
    from surveys.selectors import questions_of

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    campaign_load_seed(slug="qingdao-2022")
    survey = survey_load_seed(slug="qingdao-2022")[0]
    survey = Survey.objects.get(pk=survey.pk)
    questions = questions_of(survey)
    have = survey.responses.count()
    if have < n:
        start = time.perf_counter()
        responses_generate(survey=survey, questions=questions, count=n - have, seed=have + 1)
        took = time.perf_counter() - start
        print(f"generated {n - have:,} responses in {took:.1f} s ({(n - have) / took:,.0f}/s, bulk inserts)")
    from surveys.tallies import tallies_fold

    start, counted = time.perf_counter(), 0
    while done := tallies_fold(survey=survey, limit=50_000):
        counted += done
    if counted:
        took = time.perf_counter() - start
        print(f"counted {counted:,} pending responses into the tallies in {took:.1f} s ({counted / took:,.0f}/s)")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would after a while: statistics and the visibility map (index-only scans).
            cursor.execute("VACUUM ANALYZE surveys_answer")
            cursor.execute("VACUUM ANALYZE surveys_response")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    link = SurveyLink.objects.get(survey=survey, unit__isnull=True)
    return survey, questions, link


def measure_stats(survey, questions) -> None:
    from surveys.selectors import Filters, crosstab, survey_results

    by_code = {q.code: q for q in questions}
    total = survey.responses.count()
    print(f"\nstatistics over {total:,} responses "
          f"({__import__('surveys.models', fromlist=['Answer']).Answer.objects.count():,} answer rows)")
    seconds, queries, _ = timed(lambda: survey_results(survey=survey, questions=questions, filters=Filters()))
    print(f"  results, all questions (tallies):      {seconds * 1000:8.1f} ms  {queries} queries")
    everything = Filters(date_from=survey.opens_at.date())
    seconds, queries, _ = timed(lambda: survey_results(survey=survey, questions=questions, filters=everything))
    print(f"  ... a date filter spanning every day:  {seconds * 1000:8.1f} ms  {queries} queries")
    district = survey.responses.exclude(district=None).values_list("district", flat=True).first()
    seconds, queries, _ = timed(lambda: survey_results(survey=survey, questions=questions,
                                                       filters=Filters(district=district)))
    print(f"  ... filtered by one district:          {seconds * 1000:8.1f} ms  {queries} queries")
    two = Filters(district=district, date_from=datetime.date(2022, 5, 20), date_to=datetime.date(2022, 5, 31))
    seconds, queries, _ = timed(lambda: survey_results(survey=survey, questions=questions, filters=two), repeat=1)
    print(f"  ... one district and 20-31 May:         {seconds * 1000:8.1f} ms  "
          f"{queries} queries")
    seconds, queries, _ = timed(lambda: crosstab(survey=survey, target=by_code["q11"], by=by_code["q1"],
                                                 filters=Filters()))
    print(f"  crosstab q11 (funding) by q1 (age):    {seconds * 1000:8.1f} ms  {queries} queries")
    seconds, queries, _ = timed(lambda: crosstab(survey=survey, target=by_code["q19"], by=by_code["q6"],
                                                 filters=Filters()))
    print(f"  crosstab q19 (multiple) by q6 (district): {seconds * 1000:5.1f} ms  {queries} queries")
    seconds, queries, _ = timed(lambda: crosstab(survey=survey, target=by_code["q11"], by=by_code["q1"],
                                                 filters=Filters(district=district)))
    print(f"  crosstab q11 by q1, one district:       {seconds * 1000:8.1f} ms  {queries} queries")
    seconds, queries, _ = timed(lambda: crosstab(survey=survey, target=by_code["q11"], by=by_code["q1"],
                                                 filters=two), repeat=1)
    print(f"  crosstab q11 by q1, district and dates (from the answers): {seconds * 1000:6.1f} ms  {queries} queries")


def measure_pages(survey, questions) -> None:
    """The organisers' results page itself (test client: view, template, charts), median of 5."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.tests.factories import staff_of
    from organisations.models import Office

    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.filter(username="bench-organiser").first() or staff_of(
        Office.objects.get(code="qast-org-personnel"), username="bench-organiser")
    client = Client()
    client.force_login(user)
    by_code = {q.code: q for q in questions}
    district = survey.responses.exclude(district=None).values_list("district", flat=True).first()
    pages = {
        "results page": "",
        "results page + crosstab q11 by q1": f"?target={by_code['q11'].pk}&by={by_code['q1'].pk}",
        "... + crosstab q19 (multiple) by q6": f"?target={by_code['q19'].pk}&by={by_code['q6'].pk}",
        "results page, one district": f"?district={district}",
        "results page, 20-31 May": "?date_from=2022-05-20&date_to=2022-05-31",
        "results page, one district + crosstab": f"?district={district}&target={by_code['q11'].pk}&by={by_code['q1'].pk}",
        "results page, district and dates + crosstab (from the answers)":
            f"?district={district}&date_from=2022-05-20&date_to=2022-05-31&target={by_code['q11'].pk}"
            f"&by={by_code['q1'].pk}",
    }
    print("\nthe results page through the test client (median of 5, after one warm-up):")
    for label, query in pages.items():
        url = f"/surveys/manage/{survey.pk}/results/{query}"
        client.get(url)
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        print(f"  {label:58} {statistics.median(times) * 1000:8.1f} ms  {len(ctx.captured_queries)} queries")


ANSWERS = {"q1": "2", "q2": "1", "q3": "1", "q4": "2", "q5": "2", "q6": "1", "q7": "3", "q8": "50", "q9": "30",
           "q10": "3", "q11": "3", "q12": "4", "q13": "3", "q14": "2", "q16": "2", "q17": "4", "q18": "2",
           "q19": ["1", "5"], "q20": "基准测试"}


def _submit_one(base: str, token: str, client_ip: str) -> float:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-For": client_ip, "User-Agent": "sciday-bench"}
    start = time.perf_counter()
    entry = f"{base}/surveys/s/{token}/"
    html = opener.open(urllib.request.Request(entry, headers=headers)).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "consent": "1"}).encode()
    opener.open(urllib.request.Request(entry, data=form, headers=headers | {"Referer": entry}))
    data = [("csrfmiddlewaretoken", csrf)] + [(k, v) for k, vs in ANSWERS.items()
                                              for v in (vs if isinstance(vs, list) else [vs])]
    answer = entry + "answer/"
    response = opener.open(urllib.request.Request(answer, data=urllib.parse.urlencode(data).encode(),
                                                  headers=headers | {"Referer": answer}))
    if not response.geturl().endswith("/done/"):
        raise RuntimeError(f"submission not accepted: {response.geturl()}")
    return time.perf_counter() - start


def measure_submit(link, total: int, threads: int, database_url: str, sqlite_path: str, port: int) -> None:
    env = dict(os.environ, DEBUG="1", SCIDAY_CLOCK=CLOCK, SCIDAY_TRUSTED_PROXIES="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = sqlite_path
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "sciday.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4",
         "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        counter = iter(range(total))

        def worker():
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                try:
                    took = _submit_one(base, link.token, f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")
                    with lock:
                        latencies.append(took)
                except Exception as exc:  # noqa: BLE001 - a benchmark reports failures, it does not stop
                    with lock:
                        errors.append(str(exc)[:200])

        start = time.perf_counter()
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\nsubmissions through a live gunicorn (2 workers x 4 threads), {threads} client threads:")
    if latencies:
        ordered = sorted(latencies)
        print(f"  {len(latencies)} accepted in {wall:.1f} s = {len(latencies) / wall:.1f} complete responses/s "
              f"(3 requests each: consent page, consent, answers)")
        print(f"  latency per response: median {statistics.median(ordered) * 1000:.0f} ms, "
              f"p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.0f} ms")
    if errors:
        print(f"  {len(errors)} failed, e.g. {errors[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="responses in the database (default 100,000)")
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (default: SQLite file)")
    parser.add_argument("--sqlite", default="", help="the scratch SQLite file (default: a temporary one)")
    parser.add_argument("--submit", type=int, default=200, help="submissions for the throughput test (0 skips)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    sqlite_path = args.sqlite or str(Path(tempfile.gettempdir()) / "sciday-bench-surveys.sqlite3")
    setup(args.database_url, sqlite_path)
    from django.db import connection

    print(f"database: {connection.vendor} {'(' + sqlite_path + ')' if connection.vendor == 'sqlite' else ''}")
    survey, questions, link = prepare(args.n)
    measure_stats(survey, questions)
    measure_pages(survey, questions)
    if args.submit:
        connection.close()
        measure_submit(link, args.submit, args.threads, args.database_url, sqlite_path, args.port)


if __name__ == "__main__":
    main()
