"""Shared benchmark tools: a gunicorn server on loopback and a bounded concurrent load generator.

Loads only ever go to 127.0.0.1, are bounded in count and time, and stop by themselves.
"""

import http.client
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run_manage(*args, env=None):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def bench_env(**extra) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_bench", "DEBUG": "0", **extra}
    return env


def server_env(*, clock: str, database_url: str | None, sqlite_path, redis_url: str | None = None) -> dict:
    """The environment of a load bench's gunicorn: the bench settings at the clock, behind one trusted proxy (each
    request's X-Forwarded-For is a new address), on PostgreSQL or the SQLite file, with Redis as the cache if given
    (emptied first)."""
    extra = {"SCIDAY_CLOCK": clock, "SCIDAY_TRUSTED_PROXIES": "1"}
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        extra["REDIS_URL"] = redis_url
    extra |= {"DATABASE_URL": database_url} if database_url else {"SQLITE_PATH": str(sqlite_path)}
    env = bench_env(**extra)
    if not database_url:
        env.pop("DATABASE_URL", None)
    return env


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its running children, e.g. a gunicorn master
    and its workers (Linux /proc; 0 elsewhere). Unlike requests/s it does not depend on what else the machine
    is running: the CPU a request costs the server, compared with the floor's, is the steadier figure."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        return 0.0
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


@contextmanager
def gunicorn(env: dict, *, port: int = 8765, workers: int = 2, threads: int = 1, server: dict | None = None):
    """A gunicorn serving sciday on 127.0.0.1:port until the block ends. ``server``, if given, receives the
    master's ``pid`` (for ``cpu_seconds``)."""
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "sciday.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    if server is not None:
        server["pid"] = proc.pid
    try:
        deadline = time.time() + 90  # eight workers importing Django on a busy two-core machine
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()  # never leave a server behind
            proc.wait(timeout=20)


def load(port: int, requests: list[tuple[str, str, bytes | None, dict]], *, clients: int = 16,
         seconds: float = 10.0, max_requests: int = 20000) -> dict:
    """Send ``requests`` round-robin from ``clients`` keep-alive connections for at most ``seconds``
    (and ``max_requests``); return requests/s and the status counts."""
    lock = threading.Lock()
    counts: dict[int, int] = {}
    sent = [0]
    stop = time.time() + seconds
    errors = []

    def worker(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = offset
        while time.time() < stop:
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            method, path, body, headers = requests[i % len(requests)]
            i += clients
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = -1
            with lock:
                counts[status] = counts.get(status, 0) + 1

    started = time.time()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    total = sum(counts.values())
    return {"requests": total, "seconds": round(elapsed, 2), "rps": round(total / elapsed, 1),
            "statuses": counts, "errors": errors[:3]}


def against_floor(port: int, pages: dict[str, list], *, server: dict | None = None, rounds: int = 3,
                  seconds: float = 5.0, clients: int = 16, warm_up: float = 1.0) -> dict:
    """Load the floor (``/bench/floor/``) and each page in turn, ``rounds`` times over, so that each page is
    measured right beside the floor while the machine's other load comes and goes. Per page: the requests/s of
    every round, the median ratio to the floor of the same round, and (with ``server`` from ``gunicorn``) the
    median server CPU milliseconds per request and the floor's CPU per request divided by the page's."""
    pages = {"floor": [("GET", "/bench/floor/", None, {})], **pages}
    runs: dict[str, list[dict]] = {label: [] for label in pages}
    for _round in range(rounds):
        for label, requests in pages.items():
            load(port, requests, clients=4, seconds=warm_up, max_requests=max(20, len(requests)))
            before = cpu_seconds(server["pid"]) if server else 0.0
            figures = load(port, requests, clients=clients, seconds=seconds)
            used = cpu_seconds(server["pid"]) - before if server else 0.0
            figures["cpu_ms"] = round(used * 1000 / figures["requests"], 2) if server and figures["requests"] else None
            runs[label].append(figures)

    def median(values):
        values = sorted(v for v in values if v is not None)
        return values[len(values) // 2] if values else None

    results = {}
    for label, figures in runs.items():
        ratios = [f["rps"] / floor["rps"] for f, floor in zip(figures, runs["floor"], strict=True) if floor["rps"]]
        cpu = median(f["cpu_ms"] for f in figures)
        floor_cpu = median(f["cpu_ms"] for f in runs["floor"])
        statuses: dict = {}
        for f in figures:
            for status, n in f["statuses"].items():
                statuses[status] = statuses.get(status, 0) + n
        results[label] = {
            "rps": median(f["rps"] for f in figures), "rps_rounds": [f["rps"] for f in figures],
            "ratio": round(median(ratios), 2) if ratios else None,
            "cpu_ms": cpu, "cpu_ratio": round(floor_cpu / cpu, 2) if cpu and floor_cpu else None,
            "statuses": statuses, "errors": [e for f in figures for e in f["errors"]][:3],
        }
    return results


def print_against_floor(results: dict) -> None:
    print(f"\n{'gunicorn, 2 workers':28} {'req/s':>8} {'× floor':>8} {'CPU ms/req':>11} {'CPU × floor':>12}"
          "  req/s per round")
    for label, row in results.items():
        cpu = f"{row['cpu_ms']:.2f}" if row["cpu_ms"] is not None else "-"
        cpu_ratio = f"{row['cpu_ratio']:.2f}" if row["cpu_ratio"] is not None else "-"
        print(f"{label:28} {row['rps']:8.1f} {row['ratio']:8.2f} {cpu:>11} {cpu_ratio:>12}  "
              f"{row['rps_rounds']}  {row['statuses'] if set(row['statuses']) != {200} else ''}")
