"""Hot paths through the whole stack: `make cluster` first, then

    .venv/bin/python bench/cluster_hot_paths.py [--clients 16] [--seconds 8] [--rounds 2]

Through nginx to the two app servers (PostgreSQL, Redis): the public home page, activity list and
detail, and survey submission (POST /api/v1/surveys/{id}/responses, the survey of bench/survey_submit.py,
loaded into the cluster's database by the same code). Each figure beside the floor measured just
before it in the same round: GET /healthz through the same nginx and app servers (no database, no
template: a lower floor than bench/'s usual 50-row page, so the ratios here are smaller).

Every request comes from its own loopback address (127.x.y.z, one connection each), as phones do:
the per-client throttles see many clients, not one nginx.

QR check-in (POST /activities/checkin/<code>/, the page behind an activity's QR code): a new phone
per request, as at a venue's door: its own address, no device cookie (the server gives each a new
device), a mobile number never used before, the form's CSRF token and its own idempotency key. The
activity is made here, offline, approved, open for check-in around the cluster's clock (压测签到, made
afresh each run, unpublished); a check-in counts only when the page says 「签到成功」
(data-testid="checkin-done"), and the check-ins are counted in the database afterwards.
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import random
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.deadline_surge import django_setup, load_env  # noqa: E402


def load(host, port, method, path, body, *, clients, seconds, expect=None):
    """``clients`` threads for ``seconds``; ``body`` is bytes, or a function giving (bytes, headers) per request.

    With ``expect`` (bytes), a 200 whose page lacks it is counted apart (a refusal shown on a page)."""
    lock = threading.Lock()
    statuses, latencies = {}, []
    stop = time.time() + seconds
    headers = {"Host": host} | ({"Content-Type": "application/json"} if body and not callable(body) else {})

    def worker():
        rng = random.Random()
        while time.time() < stop:
            source = f"127.{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            payload, extra = body() if callable(body) else (body, {})
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
                conn.request(method, path, body=payload, headers=headers | extra)
                response = conn.getresponse()
                data = response.read()
                status = response.status
                conn.close()
                if expect is not None and status == 200 and expect not in data:
                    status = "200 refused"
            except (OSError, http.client.HTTPException):
                status = -1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(time.perf_counter() - started)

    started = time.time()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(statuses.values())
    latencies.sort()
    return {"rps": total / (time.time() - started), "statuses": statuses,
            "p50": statistics.median(latencies) if latencies else 0,
            "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0}


CHECKIN_TITLE = "压测签到"


def checkin_activity(clock: str):
    """An offline activity open for check-in now (the cluster's clock), made afresh from a demo one."""
    from activities.models import Activity, Mode, State

    Activity.objects.filter(title=CHECKIN_TITLE).delete()  # with the previous run's check-ins
    now = datetime.datetime.fromisoformat(clock)
    activity = Activity.objects.filter(mode=Mode.OFFLINE).order_by("pk").first()
    activity.pk = activity.id = None
    activity.title = CHECKIN_TITLE
    activity.state = State.APPROVED
    activity.published = None
    activity.starts_at, activity.ends_at = now - datetime.timedelta(minutes=30), now + datetime.timedelta(hours=3)
    activity.checkin_open, activity.checkin_nonce = True, 0
    activity.save()
    return activity


def checkin_sender(host: str, port: int):
    """A function making one new phone's check-in form: (body, headers)."""
    numbers = itertools.count(1)
    lock = threading.Lock()

    def make():
        with lock:
            n = next(numbers)
        csrf = secrets.token_hex(16)  # the CSRF cookie's secret, sent back in the form (as a page would)
        fields = {"csrfmiddlewaretoken": csrf, "idempotency_key": uuid.uuid4().hex,
                  "name": f"压测{n}", "phone": f"13{n:09d}"}
        return urllib.parse.urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
            "Origin": f"http://{host}:{port}", "Referer": f"http://{host}:{port}/"}

    return make


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    env = load_env()
    host, port = env["SCIDAY_SITE_URL"].removeprefix("http://").rstrip("/").rsplit(":", 1)
    port = int(port)
    django_setup(env)
    from bench.survey_stats import prepare
    from bench.survey_submit import ANSWERS
    from surveys.models import Response

    survey, _questions, link = prepare(0)
    from activities.models import Activity, CheckIn
    from activities.services import checkin_code

    activity = Activity.objects.filter(published__isnull=False).order_by("pk").first()
    door = checkin_activity(env["SCIDAY_CLOCK"])
    before = Response.objects.filter(survey=survey).count()
    body = json.dumps({"token": link.token, "consent": True, "answers": ANSWERS}, ensure_ascii=False).encode()
    pages = {
        "home /": ("GET", "/", None, None),
        "activity list /activities/": ("GET", "/activities/", None, None),
        f"activity detail /activities/{activity.pk}/": ("GET", f"/activities/{activity.pk}/", None, None),
        "survey submit POST": ("POST", f"/api/v1/surveys/{survey.pk}/responses", body, None),
        "QR check-in POST": ("POST", f"/activities/checkin/{checkin_code(door)}/", checkin_sender(host, port),
                             b'data-testid="checkin-done"'),
    }
    rows = {label: [] for label in pages}
    load_average = [os.getloadavg()[0]]
    for method, path, payload, expect in [("GET", "/healthz", None, None), *pages.values()]:  # warm every worker
        load(host, port, method, path, payload, clients=4, seconds=1, expect=expect)
    warm_checkins = CheckIn.objects.filter(activity=door).count()
    for _round in range(args.rounds):
        for label, (method, path, payload, expect) in pages.items():
            floor = load(host, port, "GET", "/healthz", None, clients=args.clients, seconds=args.seconds)
            figures = load(host, port, method, path, payload, clients=args.clients, seconds=args.seconds,
                           expect=expect)
            figures["floor"] = floor["rps"]
            rows[label].append(figures)
            load_average.append(os.getloadavg()[0])
    stored = Response.objects.filter(survey=survey).count() - before
    print(f"through nginx ({host}:{port}) to the cluster's app servers, {args.clients} clients, {args.seconds} s each, "
          f"{args.rounds} rounds; floor = GET /healthz just before each; load average (1 min) "
          f"{min(load_average):.1f}-{max(load_average):.1f} on {os.cpu_count()} cores")
    for label, runs in rows.items():
        for r in runs:
            print(f"  {label:40} {r['rps']:7.1f}/s  floor {r['floor']:7.1f}/s  {r['rps'] / r['floor']:.2f} x floor  "
                  f"p50 {r['p50'] * 1000:.0f} ms p99 {r['p99'] * 1000:.0f} ms  {r['statuses']}")
    print(f"  survey responses stored: {stored} (201 answers in the timed runs: "
          f"{sum(r['statuses'].get(201, 0) for r in rows['survey submit POST'])}, plus the warm-up's)")
    done = sum(r["statuses"].get(200, 0) for r in rows["QR check-in POST"])
    counted = CheckIn.objects.filter(activity=door).count()
    print(f"  check-ins stored: {counted - warm_checkins} in the timed runs ({counted} with the warm-up); "
          f"「签到成功」 answers: {done}; phones (numbers) checked in twice: "
          f"{counted - CheckIn.objects.filter(activity=door).values('phone').distinct().count()}")


if __name__ == "__main__":
    main()
