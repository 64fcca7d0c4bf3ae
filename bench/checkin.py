"""How many QR check-ins a second does one app server take? Prints figures; asserts nothing.

    .venv/bin/python bench/checkin.py                       # a scratch SQLite file
    .venv/bin/python bench/checkin.py --database-url postgres://postgres@127.0.0.1:5432/sciday_bench_checkin

A gunicorn (production settings, DEBUG off, 8 sync workers, as docs/deployment.md) on 127.0.0.1 takes a
bounded load from 16 concurrent keep-alive clients for a fixed time, floor and check-in alternating
(A B A B): the bare-Django floor (/bench/floor/, a view rendering 50 rows), then the form POST of the
check-in page behind an activity's QR code (/activities/checkin/<code>/) with a name and a mobile
number and, as the rendered form carries, an idempotency key of its own (--no-key leaves it out). Every
request is a new phone: a number never sent before, no device cookie (so a new device
id, cookie and hash each time), and a client address of its own (X-Forwarded-For behind one trusted
proxy, SCIDAY_TRUSTED_PROXIES=1), so every check-in goes through the whole path: the signed code, the
per-client throttle, the device and number checks and the insert. The page is a form with CSRF
protection: the clients share one CSRF cookie and token (taken from the page once, as a phone would).

A check-in answers 200 with a page whichever way it went, so a response counts as a success only when
it is 2xx AND says "checked in" (data-testid="checkin-done"); anything else is an error. The check-ins
are counted in the database afterwards: wrk abandons the requests still in flight when a run's time is
up (at most one per client), which the server may still store, so 0 <= stored - successes <= clients x
runs. The load comes from wrk (Debian's package) when it is installed, else from Python threads (which
then share the two cores with the server, and count exactly). Beside requests/s, the gunicorn workers'
CPU per request is printed: unlike requests/s it hardly depends on what else the machine runs.
Targets (issue #18): >= 0.4 x the floor of the same run (>= 300/s), zero errors.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import cpu_seconds, gunicorn, load, server_env  # noqa: E402

CLOCK = "2022-05-28T10:00+08:00"  # the activity below runs 09:00-11:00 that day: check-in is open
DONE = 'data-testid="checkin-done"'

WRK_SCRIPT = """
local counter = 0
bad = 0  -- a global: done() reads it from each thread
local threads = {}
local next_id = 0

setup = function(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

init = function(args)
  math.randomseed(os.time() * 16 + id)  -- each wrk thread its own addresses
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "%(cookie)s"
end

request = function()
  counter = counter + 1
  -- 1, 3..9 for the run, the wrk thread, a counter: a number no request sent before
  local phone = string.format("1%%d%%d%%08d", %(run)d, id, counter)
  local body = "csrfmiddlewaretoken=%(token)s&name=%%E5%%BC%%A0%%E4%%B8%%89&phone=" .. phone
  if %(key)s then  -- the form's own idempotency key, new with each rendered form
    body = body .. string.format("&idempotency_key=k%%d%%d%%08d%%08x", %(run)d, id, counter, math.random(0, 2147483647))
  end
  wrk.headers["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", math.random(0, 255), math.random(0, 255),
                                                 math.random(1, 254))
  return wrk.format(nil, "%(path)s", nil, body)
end

response = function(status, headers, body)
  if status < 200 or status >= 300 or not string.find(body, '%(done)s', 1, true) then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("bad") or 0)
  end
  io.write(string.format("NOT-CHECKED-IN: %%d\\n", total))
end
"""

FLOOR_SCRIPT = """
math.randomseed(os.time())
request = function()
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
                                                 math.random(1, 254))
  return wrk.format("GET", "/bench/floor/")
end
"""


def prepare():
    """A scratch database with the 2022 campaign and one approved offline activity open for check-in; returns
    the activity and the path of its check-in page."""
    import datetime

    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from activities import services
    from activities.models import Activity, Mode, State
    from campaigns.models import ActivityForm, Campaign
    from campaigns.seeding import campaign_load_seed
    from organisations.models import District, Unit, UnitType

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    campaign_load_seed(slug="qingdao-2022")
    campaign = Campaign.objects.get(slug="qingdao-2022")
    activity = Activity.objects.filter(title="基准签到活动").select_related("unit").first()
    if activity is None:
        district = District.objects.first()
        unit, _ = Unit.objects.get_or_create(
            name="基准签到单位", defaults={"unit_type": UnitType.choices[0][0], "district": district}
        )
        form = ActivityForm.objects.filter(category__campaign=campaign).select_related("category").first()
        starts = timezone.make_aware(datetime.datetime(2022, 5, 28, 9))
        activity = Activity.objects.create(
            campaign=campaign,
            unit=unit,
            category=form.category,
            form=form,
            title="基准签到活动",
            mode=Mode.OFFLINE,
            district=district,
            address="香港中路100号",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            contact_person="李老师",
            contact_phone="13912345678",
            description="面向社区居民的科普活动。",
            state=State.APPROVED,
        )
        activity = Activity.objects.select_related("unit").get(pk=activity.pk)
        activity.save(update_fields=services.activity_publication_apply(activity))
    return activity, reverse("activities:checkin", args=[services.checkin_code(activity)])


def csrf_pair(url: str) -> tuple[str, str]:
    """(cookie header, form token) of a phone that opened the check-in page once."""
    import http.cookiejar
    import re
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "csrftoken")
    return cookie, token


def wrk_run(port: int, script: str, *, clients: int, seconds: int, timeout: int = 10) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(clients),
                "-d",
                f"{seconds}s",
                "--timeout",
                f"{timeout}s",
                "--latency",
                "-s",
                handle.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    finally:
        os.unlink(handle.name)
    figures = {"tool": "wrk", "rps": 0.0, "requests": 0, "errors": 0, "p50": "", "p99": ""}
    for line in out.stdout.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = float(words[1])
        elif "requests in" in line:
            figures["requests"] = int(words[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            figures["non_2xx"] = int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            figures["errors"] += sum(int(part.split()[-1]) for part in line.split(":", 1)[1].split(","))
        elif line.startswith("NOT-CHECKED-IN:"):
            figures["errors"] += int(words[1])  # non-2xx are among them
        elif words[:1] == ["50%"]:
            figures["p50"] = words[1]
        elif words[:1] == ["99%"]:
            figures["p99"] = words[1]
    return figures


def python_run(
    port: int,
    kind: str,
    *,
    clients: int,
    seconds: int,
    run: int,
    path: str = "",
    cookie: str = "",
    token: str = "",
    key: bool = True,
) -> dict:
    """The same load from Python threads: each request its own address and, for the check-in, its own number."""
    import time
    import urllib.parse

    requests = []
    for i in range(20000):
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        if kind == "floor":
            requests.append(("GET", "/bench/floor/", None, {"X-Forwarded-For": address}))
        else:
            fields = {"csrfmiddlewaretoken": token, "name": "张三", "phone": f"1{run}{i:09d}"}
            if key:
                fields["idempotency_key"] = uuid.uuid4().hex
            body = urllib.parse.urlencode(fields).encode()
            requests.append(
                (
                    "POST",
                    path,
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "X-Forwarded-For": address},
                )
            )
    started = time.time()
    result = load(port, requests, clients=clients, seconds=seconds, max_requests=20000)
    ok = sum(n for status, n in result["statuses"].items() if 200 <= status < 300)
    return {
        "tool": "python threads",
        "rps": result["rps"],
        "requests": result["requests"],
        "errors": result["requests"] - ok,
        "p50": "",
        "p99": "",
        "seconds": time.time() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (default: SQLite file)")
    parser.add_argument("--sqlite", default="", help="the scratch SQLite file (default: a temporary one)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="floor/check-in pairs (A B A B)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--timeout",
        type=int,
        default=10,
        help="seconds before wrk gives a request up (an error); "
        "wrk's own default, 2, counts a busy shared machine's slow answers as errors",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCIDAY_BENCH_PORT", "8767")))
    parser.add_argument(
        "--redis-url",
        default="",
        help="use this Redis as the shared cache, as deployed (e.g. redis://127.0.0.1:6379/5; it is flushed first)",
    )
    parser.add_argument(
        "--no-key",
        action="store_true",
        help="send no idempotency key (a phone's form sends one, "
        "made when the page was rendered; without it the request skips the key's row)",
    )
    parser.add_argument("--python-load", action="store_true", help="Python threads even when wrk is installed")
    args = parser.parse_args()
    if args.rounds > 7:
        parser.error("at most 7 rounds (each round's numbers start with its own digit)")
    scratch = not args.sqlite and not args.database_url
    sqlite_path = args.sqlite or str(Path(tempfile.gettempdir()) / f"sciday-bench-checkin-{os.getpid()}.sqlite3")

    from bench.survey_stats import setup

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"  # the server's SECRET_KEY signs the QR code
    setup(args.database_url, sqlite_path)
    from django.db import connection

    from activities.models import CheckIn

    activity, path = prepare()
    before = CheckIn.objects.filter(activity=activity).count()
    if before:  # numbers are unique per activity: start from an empty list
        CheckIn.objects.filter(activity=activity).delete()
    connection.close()
    print(f"database: {connection.vendor}; check-in page {path}")

    env = server_env(clock=CLOCK, database_url=args.database_url, sqlite_path=sqlite_path, redis_url=args.redis_url)
    use_wrk = shutil.which("wrk") and not args.python_load
    runs: list[tuple[dict, dict]] = []
    server: dict = {}
    with gunicorn(env, port=args.port, workers=args.workers, server=server) as base:
        cookie, token = csrf_pair(base + path)
        for number in range(args.rounds):
            run = number + 3  # numbers 13..., 14..., ...: valid mobile numbers, distinct per round
            pair = []
            for kind in ("floor", "checkin"):
                cpu_before = cpu_seconds(server["pid"])
                if use_wrk:
                    script = (
                        FLOOR_SCRIPT
                        if kind == "floor"
                        else WRK_SCRIPT
                        % {
                            "cookie": cookie,
                            "token": token,
                            "path": path,
                            "run": run,
                            "done": DONE,
                            "key": "false" if args.no_key else "true",
                        }
                    )
                    figures = wrk_run(
                        args.port, script, clients=args.clients, seconds=args.seconds, timeout=args.timeout
                    )
                else:
                    figures = python_run(
                        args.port,
                        kind,
                        clients=args.clients,
                        seconds=args.seconds,
                        run=run,
                        path=path,
                        cookie=cookie,
                        token=token,
                        key=not args.no_key,
                    )
                used = cpu_seconds(server["pid"]) - cpu_before
                figures["cpu_ms"] = used * 1000 / figures["requests"] if figures["requests"] else 0.0
                pair.append(figures)
            runs.append(tuple(pair))
    stored = CheckIn.objects.filter(activity=activity).count()
    successes = sum(c["requests"] - c["errors"] for _f, c in runs)
    errors = sum(c["errors"] for _f, c in runs)
    print(
        f"load: {'wrk' if use_wrk else 'python threads'}, {args.clients} concurrent clients, {args.seconds} s each, "
        f"{args.rounds} rounds of floor/check-in pairs, gunicorn {args.workers} sync workers, "
        f"cache: {'Redis' if args.redis_url else 'database'}, idempotency key: {'no' if args.no_key else 'yes'}"
    )
    print(f"  POST {path}")
    ratios, cpu_ratios = [], []
    for number, (floor, checkin) in enumerate(runs, start=1):
        ratio = checkin["rps"] / floor["rps"] if floor["rps"] else 0.0
        ratios.append(ratio)
        cpu_ratios.append((checkin["cpu_ms"], floor["cpu_ms"]))
        print(
            f"    round {number}: {checkin['rps']:8.1f}/s  errors {checkin['errors']}  p50 {checkin['p50']} "
            f"p99 {checkin['p99']}  CPU {checkin['cpu_ms']:.2f} ms/req  |  floor {floor['rps']:8.1f} req/s  "
            f"errors {floor['errors']}  CPU {floor['cpu_ms']:.2f} ms/req  ({ratio:.2f} x floor)"
        )
    ratios.sort()
    cpu_ratios.sort()
    middle = len(ratios) // 2
    print(
        f"    median {ratios[middle]:.2f} x floor; server CPU per request: check-in {cpu_ratios[middle][0]:.2f} ms, "
        f"floor {sorted(f['cpu_ms'] for f, _c in runs)[middle]:.2f} ms (gunicorn workers; SQL inside PostgreSQL "
        "is not in it)"
    )
    print(
        f"  check-ins stored: {stored:,}; successful responses: {successes:,}; errors: {errors}"
        + (
            ""
            if not use_wrk
            else f" (stored - successes = {stored - successes}: requests wrk abandoned in flight "
            f"when a run ended, at most {args.clients * args.rounds})"
        )
    )
    if scratch:
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
