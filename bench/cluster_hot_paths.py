"""Hot paths through the whole stack: `make cluster` first, then

    .venv/bin/python bench/cluster_hot_paths.py [--clients 16] [--seconds 8] [--rounds 2]

Through nginx to the two app servers (PostgreSQL, Redis): the public home page, activity list and
detail, and survey submission (POST /api/v1/surveys/{id}/responses, the survey of bench/survey_submit.py,
loaded into the cluster's database by the same code). Each figure beside the floor measured just
before it in the same round: GET /healthz through the same nginx and app servers (no database, no
template: a lower floor than bench/'s usual 50-row page, so the ratios here are smaller).

Every request comes from its own loopback address (127.x.y.z, one connection each), as phones do:
the per-client throttles see many clients, not one nginx. QR check-in is not measured here (each
phone may check one person in once per activity: it needs a roster of thousands of people first).
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.deadline_surge import django_setup, load_env  # noqa: E402


def load(host, port, method, path, body, *, clients, seconds):
    lock = threading.Lock()
    statuses, latencies = {}, []
    stop = time.time() + seconds
    headers = {"Host": host} | ({"Content-Type": "application/json"} if body else {})

    def worker():
        rng = random.Random()
        while time.time() < stop:
            source = f"127.{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
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
    from activities.models import Activity

    activity = Activity.objects.filter(published__isnull=False).order_by("pk").first()
    before = Response.objects.filter(survey=survey).count()
    body = json.dumps({"token": link.token, "consent": True, "answers": ANSWERS}, ensure_ascii=False).encode()
    pages = {
        "home /": ("GET", "/", None),
        "activity list /activities/": ("GET", "/activities/", None),
        f"activity detail /activities/{activity.pk}/": ("GET", f"/activities/{activity.pk}/", None),
        "survey submit POST": ("POST", f"/api/v1/surveys/{survey.pk}/responses", body),
    }
    rows = {label: [] for label in pages}
    for method, path, payload in [("GET", "/healthz", None), *pages.values()]:  # warm every worker up first
        load(host, port, method, path, payload, clients=4, seconds=1)
    for _round in range(args.rounds):
        for label, (method, path, payload) in pages.items():
            floor = load(host, port, "GET", "/healthz", None, clients=args.clients, seconds=args.seconds)
            figures = load(host, port, method, path, payload, clients=args.clients, seconds=args.seconds)
            figures["floor"] = floor["rps"]
            rows[label].append(figures)
    stored = Response.objects.filter(survey=survey).count() - before
    print(f"through nginx ({host}:{port}) to the cluster's app servers, {args.clients} clients, {args.seconds} s each, "
          f"{args.rounds} rounds; floor = GET /healthz just before each")
    for label, runs in rows.items():
        for r in runs:
            print(f"  {label:40} {r['rps']:7.1f}/s  floor {r['floor']:7.1f}/s  {r['rps'] / r['floor']:.2f} x floor  "
                  f"p50 {r['p50'] * 1000:.0f} ms p99 {r['p99'] * 1000:.0f} ms  {r['statuses']}")
    print(f"  survey responses stored: {stored}")


if __name__ == "__main__":
    main()
