"""How many survey responses a second does the submit endpoint accept? Prints figures; asserts nothing.

    .venv/bin/python bench/survey_submit.py                       # a scratch SQLite file
    .venv/bin/python bench/survey_submit.py --sqlite /tmp/sciday-bench-1m.sqlite3   # onto a big one
    .venv/bin/python bench/survey_submit.py --database-url postgres://postgres@127.0.0.1:5432/sciday_bench

A gunicorn (production settings, DEBUG off, 8 sync workers, as docs/deployment.md) on 127.0.0.1 takes a
bounded load from 16 concurrent keep-alive clients for a fixed time: first the bare-Django floor
(/bench/floor/, a view rendering 50 rows), the survey pages a phone opens (the consent page of the
open link, and the questions page of a phone that has accepted), then POST
/api/v1/surveys/{id}/responses with a complete
answer set of the 2022 questionnaire. Each request is a new phone (no device cookie) from a client
address of its own (X-Forwarded-For behind one trusted proxy, SCIDAY_TRUSTED_PROXIES=1), so every
submission goes through the whole path: validation, the per-client throttle, the device check, the
response and its answers in one transaction. The load comes from wrk (Debian's package) when it is
installed, else from Python threads (which then share the two cores with the server). Accepted
responses are counted in the database afterwards, and every status other than 201 is an error. Beside
requests/s each run prints the gunicorn workers' CPU milliseconds per request, for the page and for the floor:
unlike requests/s it hardly moves with what else the shared machine runs (work inside PostgreSQL is not
in it). ``--pages submit`` loads only the submission (and its floor).
Target (the brief): >= 600 responses/s with zero errors under 16 concurrent clients.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import cpu_seconds, gunicorn, load, server_env  # noqa: E402

CLOCK = "2022-05-20T10:00+08:00"
ANSWERS = {"q1": 2, "q2": 1, "q3": 1, "q4": 2, "q5": 2, "q6": 1, "q7": 3, "q8": 50, "q9": 30, "q10": 3, "q11": 3,
           "q12": 4, "q13": 3, "q14": 1, "q15": 2, "q16": 2, "q17": 4, "q18": 2, "q19": [1, 5],
           "q20": "基准测试：希望简化报销流程"}
WRK_SCRIPT = """
math.randomseed(os.time())
wrk.method = "%(method)s"
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/json"
%(cookie)s
request = function()
  wrk.headers["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", math.random(0, 255), math.random(0, 255),
                                                 math.random(1, 254))
  return wrk.format(nil, "%(path)s")
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_load(port: int, method: str, path: str, body: str, *, clients: int, seconds: int, cookie: str = "",
             timeout: int = 10) -> dict:
    """requests/s and errors of a wrk run (statuses other than 2xx count as errors)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"method": method, "path": path, "body": _lua_string(body) if body else "nil",
                                   "cookie": f'wrk.headers["Cookie"] = {_lua_string(cookie)}' if cookie else ""})
    try:
        # --timeout: wrk's own default (2 s) counts a busy shared machine's slow answers as errors.
        out = subprocess.run(["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", f"{timeout}s",
                              "--latency", "-s", script.name, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    text = out.stdout
    figures = {"tool": "wrk", "rps": 0.0, "requests": 0, "errors": 0, "p50": "", "p99": ""}
    for line in text.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(words[1])
        elif "requests in" in line:
            figures["requests"] = int(words[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            figures["errors"] += int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            figures["errors"] += sum(int(part.split()[-1]) for part in line.split(":", 1)[1].split(","))
        elif words[:1] == ["50%"]:
            figures["p50"] = words[1]
        elif words[:1] == ["99%"]:
            figures["p99"] = words[1]
    return figures


def python_load(port: int, method: str, path: str, body: str, *, clients: int, seconds: int, cookie: str = "") -> dict:
    addresses = [f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}" for _ in range(20000)]
    requests = [(method, path, body.encode() if body else None,
                 {"Content-Type": "application/json", "X-Forwarded-For": address} | ({"Cookie": cookie} if cookie else {}))
                for address in addresses]
    result = load(port, requests, clients=clients, seconds=seconds, max_requests=10**7)
    ok = sum(n for status, n in result["statuses"].items() if 200 <= status < 300)
    return {"tool": "python threads", "rps": result["rps"], "requests": result["requests"],
            "errors": result["requests"] - ok, "p50": "", "p99": ""}


def consented_phone(entry_url: str) -> str:
    """The cookies of a phone that has opened the survey and accepted the statement (a draft exists)."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(entry_url).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "consent": "1"}).encode()
    opener.open(urllib.request.Request(entry_url, data=form, headers={"Referer": entry_url}))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (default: SQLite file)")
    parser.add_argument("--sqlite", default="", help="the scratch SQLite file (default: a temporary one)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="floor/page pairs per page (A B A B)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--pages", default="consent,questions,submit",
                        help="which of consent, questions, submit to load (comma-separated)")
    parser.add_argument("--redis-url", default="", help="use this Redis as the shared cache, as deployed "
                        "(e.g. redis://127.0.0.1:6379/5; it is flushed first)")
    args = parser.parse_args()
    sqlite_path = args.sqlite or str(Path(tempfile.gettempdir()) / "sciday-bench-submit.sqlite3")

    from bench.survey_stats import prepare, setup

    setup(args.database_url, sqlite_path)
    from django.db import connection

    from surveys.models import Response

    survey, _questions, link = prepare(0)
    before = Response.objects.filter(survey=survey).count()
    connection.close()
    print(f"database: {connection.vendor}; {before:,} responses already there")

    env = server_env(clock=CLOCK, database_url=args.database_url, sqlite_path=sqlite_path, redis_url=args.redis_url)
    run = wrk_load if shutil.which("wrk") else python_load
    body = json.dumps({"token": link.token, "consent": True, "answers": ANSWERS}, ensure_ascii=False)
    path = f"/api/v1/surveys/{survey.pk}/responses"
    entry = f"/surveys/s/{link.token}/"
    rounds: dict[str, list[dict]] = {"floor": [], "consent": [], "questions": [], "submit": []}
    server: dict = {}
    pages = [p for p in args.pages.split(",") if p]

    def measured(*a, **kw) -> dict:
        """``run`` and the gunicorn workers' CPU milliseconds per request (steadier than requests/s on a shared
        machine; work inside PostgreSQL is not in it)."""
        before_cpu = cpu_seconds(server["pid"])
        figures = run(*a, **kw)
        used = cpu_seconds(server["pid"]) - before_cpu
        figures["cpu_ms"] = used * 1000 / figures["requests"] if figures["requests"] else 0.0
        return figures

    with gunicorn(env, port=args.port, workers=args.workers, threads=args.threads, server=server) as base:
        cookie = consented_phone(base + entry)
        run(args.port, "GET", "/bench/floor/", "", clients=4, seconds=2)  # warm up
        # A B A B: the floor is measured again right before each page in every round, so that each ratio
        # compares two figures taken a few seconds apart while the machine's other load comes and goes.
        for _round in range(args.rounds):
            for label, (method, target, payload, jar) in {
                    "consent": ("GET", entry, "", ""), "questions": ("GET", entry + "answer/", "", cookie),
                    "submit": ("POST", path, body, "")}.items():
                if label not in pages:
                    continue
                floor = measured(args.port, "GET", "/bench/floor/", "", clients=args.clients, seconds=args.seconds)
                figures = measured(args.port, method, target, payload, clients=args.clients, seconds=args.seconds,
                                   cookie=jar)
                figures["floor_rps"] = floor["rps"]
                figures["floor_cpu_ms"] = floor["cpu_ms"]
                rounds["floor"].append(floor)
                rounds[label].append(figures)
    accepted = Response.objects.filter(survey=survey).count() - before
    print(f"load: {run.__name__} ({rounds['floor'][0]['tool']}), {args.clients} concurrent clients, {args.seconds} s "
          f"each, {args.rounds} rounds of floor/page pairs, gunicorn {args.workers} workers x {args.threads} threads, "
          f"cache: {'Redis' if args.redis_url else 'database'}")
    labels = {"consent": f"GET {entry}", "questions": f"GET {entry}answer/", "submit": f"POST {path}"}
    for label, runs in rounds.items():
        if label == "floor" or not runs:
            continue
        ratios = sorted(r["rps"] / r["floor_rps"] for r in runs if r["floor_rps"])
        print(f"  {labels[label]}")
        for number, r in enumerate(runs, start=1):
            print(f"    round {number}: {r['rps']:8.1f}/s  errors {r['errors']}  p50 {r['p50']} p99 {r['p99']}  "
                  f"CPU {r['cpu_ms']:.2f} ms/req  |  floor {r['floor_rps']:8.1f} req/s  CPU {r['floor_cpu_ms']:.2f} "
                  f"ms/req  ({r['rps'] / r['floor_rps']:.2f} x floor)")
        cpu = sorted(r["cpu_ms"] for r in runs)[len(runs) // 2]
        floor_cpu = sorted(r["floor_cpu_ms"] for r in runs)[len(runs) // 2]
        print(f"    median {ratios[len(ratios) // 2]:.2f} x floor; gunicorn CPU per request {cpu:.2f} ms, "
              f"floor {floor_cpu:.2f} ms")
    submit = {"requests": sum(r["requests"] for r in rounds["submit"])}
    print(f"  responses stored: {accepted:,} (requests sent: {submit['requests']:,})")


if __name__ == "__main__":
    main()
