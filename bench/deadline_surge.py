"""The deadline surge through the whole stack: `make cluster` first, then

    .venv/bin/python bench/deadline_surge.py [--units 1000] [--late 20] [--clients 50] [--kill-after 10]
                                             [--impatient-every N]

N units' coordinators (made here, in the cluster's database, as 压测单位 0001…) log in through nginx and
submit their unit's summary with sciday's clock at 2022-06-15 23:50 (the deadline day), from --clients
concurrent clients, each on its own loopback address (127.0.1.k: the per-address login throttle sees
50 clients, not one nginx). With --kill-after S, app server 1 is SIGKILLed (master and workers) S
seconds into the surge and started again 10 s later. Then the clock moves past midnight and --late more
units submit. Finally the database is checked: every summary present exactly once, submitted, routed
to the office the campaign's routing names, audited once; late ones flagged (or refused, if the
campaign's late policy is "closed"). The floor is /healthz through the same nginx, measured in the
same run. The demo clock is put back at the end.

Retries with idempotency keys (issue #16 item 4): the summary form carries a hidden
``idempotency_key`` made when the page was rendered; the client posts the form with it, as a browser
does (the form's field, not the ``Idempotency-Key`` header an API client sends). A submission that got no answer (connection lost), a 502/503/504
(nginx: the app server died) or a 409 (「正在处理」: the first request with this key still holds it) is
SENT AGAIN AS IT WAS, same key, same body, same cookies: it never reloads the page. With
--impatient-every N, every Nth unit's client also stops waiting for its first answer after 0.2 s and
sends it again: the first request usually commits meanwhile, so this exercises the replay. If the first
request had committed, the retry gets its answer (``Idempotent-Replayed: true``); if it died before
committing, nothing of it exists and the retry does the work. Logging in and opening the page are
simply repeated (they record nothing). Afterwards the database must hold each summary exactly once.
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "var" / "cluster"
CLUSTER = ROOT / "deploy" / "cluster" / "cluster.sh"
PASSWORD = "Surge-bench-2022!"  # noqa: S105 - bench accounts in the local cluster only
PREFIX = "压测单位"


def load_env() -> dict:
    env = {}
    for line in (RUN / "env").read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    return env


def set_clock(clock: str, ports: list[str]) -> None:
    """Rewrite the cluster's clock and restart its app servers (the clock is read at start-up)."""
    text = re.sub(r"^SCIDAY_CLOCK=.*$", f"SCIDAY_CLOCK={clock}", (RUN / "env").read_text(), flags=re.M)
    (RUN / "env").write_text(text)
    for port in ports:
        subprocess.run([str(CLUSTER), "restart-app", port], check=True, stdout=subprocess.DEVNULL)


def django_setup(env: dict):
    os.environ.update({k: v for k, v in env.items() if k != "SCIDAY_CLOCK"})
    os.environ["DJANGO_SETTINGS_MODULE"] = "sciday.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_units(total: int):
    """Units and coordinators for the bench, made afresh (the previous run's are deleted first)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from campaigns.models import Campaign
    from organisations.models import Unit, UnitMembership
    from summaries.models import Summary

    campaign = Campaign.objects.get(slug="qingdao-2022")
    types = [rule.unit_type for rule in campaign.routing_rules.all()]
    old = Unit.objects.filter(name__startswith=PREFIX)
    Summary.objects.filter(unit__in=old).delete()
    User.objects.filter(username__startswith="surge-").delete()
    old.delete()
    units = Unit.objects.bulk_create(
        [Unit(name=f"{PREFIX}{i:04d}", unit_type=types[i % len(types)]) for i in range(total)])
    units = list(Unit.objects.filter(name__startswith=PREFIX).order_by("name"))
    hashed = make_password(PASSWORD)  # once: hashing 1,000 passwords would take minutes
    users = User.objects.bulk_create([User(username=f"surge-{i:04d}", password=hashed, must_change_password=False)
                                      for i in range(total)])
    users = {u.username: u for u in User.objects.filter(username__startswith="surge-")}
    UnitMembership.objects.bulk_create([UnitMembership(user=users[f"surge-{i:04d}"], unit=unit)
                                        for i, unit in enumerate(units)])
    return campaign, units


class Client:
    """One browser: its own loopback address, cookies and keep-alive connection to nginx."""

    def __init__(self, host: str, port: int, source: str):
        self.host, self.port, self.source = host, port, source
        self.cookies: dict[str, str] = {}
        self.conn = None

    def reset(self, keep_cookies=False):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if not keep_cookies:
            self.cookies.clear()

    def request(self, method, path, fields=None, extra=None, give_up_after=None):
        """One request; ``give_up_after`` seconds: stop waiting for the answer then (socket timeout)."""
        body = urllib.parse.urlencode(fields).encode() if fields is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": self.host,
                   **(extra or {})}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        for attempt in range(2):  # a kept-alive connection nginx closed meanwhile: reconnect once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60,
                                                       source_address=(self.source, 0))
            try:
                self.conn.request(method, path, body=body, headers=headers)
                if give_up_after is not None:
                    self.conn.sock.settimeout(give_up_after)  # the connection is dropped on the timeout
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt or method != "GET":
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data.decode("utf-8", "replace")


_INPUT = re.compile(r"<input[^>]*>", re.S)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def hidden_fields(html: str) -> dict:
    fields = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def form_fields(html: str, marker: str) -> dict:
    """The hidden fields of the one form whose opening tag contains ``marker`` (a page has several)."""
    at = html.find(marker)
    if at < 0:
        return {}
    begin = html.rfind("<form", 0, at)
    return hidden_fields(html[begin:html.find("</form>", at)])


RETRY_STATUSES = (409, 502, 503, 504)


def open_page(client: Client, username: str, edit_path: str, stats: dict, lock) -> str:
    """Log in and open the summary page (repeated on any failure: neither records anything)."""
    for attempt in range(10):
        try:
            client.cookies.clear()
            status, _, html = client.request("GET", "/accounts/login/")
            fields = {**form_fields(html, 'name="password"'), "username": username, "password": PASSWORD}
            status, _, _ = client.request("POST", "/accounts/login/", fields)
            if status != 302:
                raise RuntimeError(f"login answered {status}")
            status, _, html = client.request("GET", edit_path)
            if status != 200:
                raise RuntimeError(f"summary page answered {status}")
            return html
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            with lock:
                stats["page_retries"] += 1
                stats["errors"].append(f"{username} login/page: {error!r}"[:200])
            client.reset()
            time.sleep(0.5 * (attempt + 1))
    raise RuntimeError(f"{username}: could not log in and open the page")


def submit_one(client: Client, username: str, edit_path: str, stats: dict, lock, impatient=False) -> str:
    """Log in, open the page, submit its form; the same request again (same key) until it is answered.

    An ``impatient`` client stops waiting for its first answer after 0.2 s (a phone on a weak signal, a
    browser's timeout): the server usually finishes that request meanwhile, so the same request sent
    again must get the first answer, not a second submission.

    Returns 'submitted', 'refused' (the form came back: the late policy refused) or 'failed'."""
    try:
        html = open_page(client, username, edit_path, stats, lock)
    except RuntimeError:
        return "failed"
    if edit_path + "withdraw/" in html:
        return "already submitted"  # cannot happen on fresh units: counted so that it would show
    fields = {**form_fields(html, 'data-testid="summary-form"'), "work_done": f"{username} 开展科技工作者日活动。",
              "results": "成效", "experience": "经验", "suggestions": "建议", "submit": "1"}
    key = fields.get("idempotency_key")
    if not key:
        raise SystemExit("the summary form carries no idempotency_key: nothing to retry with")
    began = time.perf_counter()
    for attempt in range(20):
        started = time.perf_counter()
        try:
            status, headers, _ = client.request("POST", edit_path, fields,
                                                give_up_after=0.2 if impatient and not attempt else None)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                stats["no_answer"] += 1
                if impatient and not attempt:
                    stats["gave_up_waiting"] += 1
                stats["resent"] += 1
                stats["errors"].append(f"{username} submit: {error!r}"[:200])
            client.reset(keep_cookies=True)
            time.sleep(min(0.5 * (attempt + 1), 3))
            continue
        with lock:
            stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
            stats["latencies"].append(time.perf_counter() - started)
            if attempt:
                stats["resent_answers"][status] = stats["resent_answers"].get(status, 0) + 1
            if headers.get("Idempotent-Replayed") == "true":
                stats["replayed"] += 1
        if status in RETRY_STATUSES:
            with lock:
                stats["resent"] += 1
                stats["errors"].append(f"{username} submit answered {status}")
            time.sleep(min(0.5 * (attempt + 1), 3))
            continue
        with lock:
            stats["submit_times"].append(time.perf_counter() - began)
        if status == 302:
            try:  # the browser follows the redirect to its page (the confirmation message)
                client.request("GET", urllib.parse.urlsplit(headers.get("Location") or edit_path).path)
            except (OSError, http.client.HTTPException):
                client.reset(keep_cookies=True)
            return "submitted"
        return "refused" if status == 200 else f"answered {status}"
    return "failed"


def surge(units, campaign, *, host, port, clients, kill_after=None, app_ports=(), impatient_every=0):
    lock = threading.Lock()
    stats = {"statuses": {}, "latencies": [], "submit_times": [], "page_retries": 0, "no_answer": 0, "resent": 0,
             "resent_answers": {}, "replayed": 0, "gave_up_waiting": 0, "errors": [], "outcomes": {}, "load": []}
    queue = list(units)
    kill_log = []
    done = threading.Event()

    def sampler():  # the machine is shared: the load average while the surge runs goes beside its figures
        while not done.wait(2):
            stats["load"].append(os.getloadavg()[0])

    def worker(k):
        client = Client(host, port, f"127.0.1.{k + 1}")
        while True:
            with lock:
                if not queue:
                    return
                unit = queue.pop(0)
            index = int(unit.name.removeprefix(PREFIX))
            outcome = submit_one(client, f"surge-{index:04d}", f"/summaries/{campaign.slug}/{unit.pk}/", stats, lock,
                                 impatient=bool(impatient_every) and index % impatient_every == 0)
            with lock:
                stats["outcomes"][outcome] = stats["outcomes"].get(outcome, 0) + 1

    def killer():
        time.sleep(kill_after)
        port = app_ports[0]
        pid = int((RUN / f"app-{port}.pid").read_text())
        victims = [pid]
        for task in Path(f"/proc/{pid}/task").iterdir():
            victims += [int(p) for p in (task / "children").read_text().split()]
        for victim in victims:
            os.kill(victim, signal.SIGKILL)
        kill_log.append(f"SIGKILL app server {port} (pids {victims}) at {kill_after} s")
        time.sleep(10)
        started = time.perf_counter()
        subprocess.run([str(CLUSTER), "restart-app", port], check=True, stdout=subprocess.DEVNULL)
        kill_log.append(f"app server {port} started again 10 s later, ready after {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    if kill_after is not None:
        threads.append(threading.Thread(target=killer))
    watcher = threading.Thread(target=sampler)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats["seconds"] = time.perf_counter() - started
    done.set()
    watcher.join()
    stats["kill_log"] = kill_log
    return stats


def floor(host, port, clients, seconds=5.0):
    """/healthz through the same nginx and app servers: requests/s with the same number of clients."""
    sys.path.insert(0, str(ROOT))
    from bench.harness import load

    return load(port, [("GET", "/healthz", None, {"Host": host})], clients=clients, seconds=seconds)


def check(campaign, units, *, late: set):
    from audit.models import AuditEntry
    from organisations.models import UnitMembership
    from summaries.models import Summary

    summaries = list(Summary.objects.filter(unit__in=units).select_related("unit", "office"))
    per_unit = {}
    for s in summaries:
        per_unit.setdefault(s.unit_id, []).append(s)
    routed = sum(1 for s in summaries if s.office_id and s.office == campaign.office_for(s.unit.unit_type))
    submitted = [s for s in summaries if s.submitted_at is not None]
    audits = {}
    for object_id in AuditEntry.objects.filter(action="summaries.summary.submit",
                                               object_id__in=[str(s.pk) for s in summaries]).values_list("object_id",
                                                                                                        flat=True):
        audits[object_id] = audits.get(object_id, 0) + 1
    from idempotency.models import IdempotencyKey

    members = UnitMembership.objects.filter(unit__in=units).values_list("user_id", flat=True)
    keys = IdempotencyKey.objects.filter(scope__in=[f"u:{pk}" for pk in members], method="POST",
                                         path__startswith=f"/summaries/{campaign.slug}/")
    return {
        "units": len(units), "summaries": len(summaries), "submitted": len(submitted),
        "submit_keys_kept": keys.filter(status=302).count(),
        "duplicates": sum(1 for v in per_unit.values() if len(v) > 1),
        "missing": sum(1 for u in units if u.pk not in per_unit),
        "routed_right": routed, "audited_once": sum(1 for s in submitted if audits.get(str(s.pk)) == 1),
        "late_flagged": sum(1 for s in submitted if s.is_late and s.unit_id in late),
        "flagged_wrongly": sum(1 for s in submitted if s.is_late != (s.unit_id in late)),
    }


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def report(label, stats):
    lat, whole = stats["latencies"], stats["submit_times"]
    five = sum(n for status, n in stats["statuses"].items() if status >= 500)
    load = stats["load"] or [os.getloadavg()[0]]
    print(f"{label}: {sum(stats['outcomes'].values())} units in {stats['seconds']:.1f} s = "
          f"{stats['outcomes'].get('submitted', 0) / stats['seconds']:.1f} submissions/s (log in, page, submit, "
          f"page); outcomes {stats['outcomes']}")
    print(f"    submit POST p50 {statistics.median(lat) * 1000 if lat else float('nan'):.0f} ms, "
          f"p99 {percentile(lat, 0.99) * 1000:.0f} ms; submission until answered (with its retries) p50 "
          f"{statistics.median(whole) * 1000 if whole else float('nan'):.0f} ms, p99 {percentile(whole, 0.99) * 1000:.0f} ms")
    print(f"    answers to submit POSTs {dict(sorted(stats['statuses'].items()))} (5xx: {five}); no answer "
          f"(connection lost, or the client gave up waiting: {stats['gave_up_waiting']}): {stats['no_answer']}; sent again with the same key: {stats['resent']}, answered "
          f"{stats['resent_answers']}; replayed first answers (Idempotent-Replayed): {stats['replayed']}; "
          f"login/page repeated: {stats['page_retries']}")
    print(f"    load average (1 min) during the surge: {min(load):.1f}-{max(load):.1f}, "
          f"mean {statistics.mean(load):.1f} on {os.cpu_count()} cores")
    for line in stats["kill_log"]:
        print("   ", line)
    for line in stats["errors"][:8]:
        print("    retried after:", line)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--late", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--kill-after", type=float, default=None, help="SIGKILL app server 1 after S seconds")
    parser.add_argument("--impatient-every", type=int, default=0, metavar="N",
                        help="every Nth unit's client stops waiting for its first submit answer after 0.2 s")
    args = parser.parse_args()

    env = load_env()
    listen = env["SCIDAY_SITE_URL"].removeprefix("http://").rstrip("/")
    host, port = listen.rsplit(":", 1)
    port = int(port)
    app_ports = re.findall(r"server 127\.0\.0\.1:(\d+)", (RUN / "nginx.conf").read_text())
    demo_clock = env["SCIDAY_CLOCK"]
    django_setup(env)
    campaign, units = make_units(args.units + args.late)
    on_time, late_units = units[:args.units], units[args.units:]
    print(f"{args.units} + {args.late} units and coordinators made; app servers {app_ports}; "
          f"{args.clients} clients; late policy {campaign.late_policy}")
    try:
        set_clock("2022-06-15T23:50+08:00", app_ports)
        before = floor(host, port, args.clients)
        first = surge(on_time, campaign, host=host, port=port, clients=args.clients, kill_after=args.kill_after,
                      app_ports=app_ports, impatient_every=args.impatient_every)
        report("deadline day 23:50", first)
        set_clock("2022-06-16T00:10+08:00", app_ports)
        second = surge(late_units, campaign, host=host, port=port, clients=min(args.clients, max(1, args.late)))
        report("after midnight 00:10", second)
        after = floor(host, port, args.clients)
        print(f"floor (/healthz through nginx, {args.clients} clients): {before['rps']} req/s before, "
              f"{after['rps']} after; statuses {before['statuses']} / {after['statuses']}")
        result = check(campaign, units, late={u.pk for u in late_units})
        print("check:", result)
        fives = sum(n for s in (first, second) for status, n in s["statuses"].items() if status >= 500)
        lost = sum(s["no_answer"] for s in (first, second))
        failed = sum(n for s in (first, second) for outcome, n in s["outcomes"].items() if outcome != "submitted"
                     and not (outcome == "refused" and campaign.late_policy != "allow_flagged"))
        expected_late = args.late if campaign.late_policy == "allow_flagged" else 0
        ok = (result["submitted"] == args.units + expected_late and result["duplicates"] == 0
              and result["routed_right"] == result["submitted"] and result["audited_once"] == result["submitted"]
              and result["flagged_wrongly"] == 0 and result["late_flagged"] == expected_late
              and result["missing"] == 0 and failed == 0)
        print(f"5xx answers to submit POSTs: {fives}, submit POSTs without an answer: {lost}; each sent again "
              f"with its idempotency key until answered; clients that gave up: {failed}")
        print("RESULT:", "every summary present exactly once, routed, audited, late ones flagged" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        set_clock(demo_clock, app_ports)


if __name__ == "__main__":
    sys.exit(main())
