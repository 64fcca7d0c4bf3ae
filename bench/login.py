"""What one password login costs: Django's default argon2 parameters against sciday's. Prints figures;
asserts nothing.

    .venv/bin/python bench/login.py                  # a scratch SQLite file
    .venv/bin/python bench/login.py --seconds 20 --clients 8 --workers 8

For each hasher, Django's ``Argon2PasswordHasher`` (argon2id m = 100 MiB, t = 2, p = 8) and sciday's
``accounts.hashers.SciDayArgon2PasswordHasher`` (m = 19 MiB, t = 2, p = 1, OWASP's minimum):

1. **the hash alone**, in a fresh Python process: CPU ms of one ``check_password`` (median of 5) and
   how far the first check lifts the process's peak RSS (ru_maxrss);
2. **whole logins** on a gunicorn (production settings, ``--workers`` sync workers) over a scratch
   database: ``--clients`` clients send correct password logins to ``POST /api/v1/auth/token`` (the
   same ``authenticate()`` as the login page: django-axes, the per-address check, the audit entry,
   then a token) for ``--seconds``: logins/s, the server's CPU ms per login, and the workers' peak
   RSS (VmHWM) before and after.

The user's stored hash is made with the hasher being measured, so nothing is rehashed during a run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PY, ROOT, bench_env, cpu_seconds, gunicorn, load, run_manage  # noqa: E402

PORT = int(os.environ.get("SCIDAY_BENCH_PORT", "8111"))
PASSWORD = "Correct-Horse-42"
HASHERS = {
    "django default (m=100 MiB, t=2, p=8)": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "sciday (m=19 MiB, t=2, p=1)": "accounts.hashers.SciDayArgon2PasswordHasher",
}

HASH_ALONE = """
import resource, statistics, sys, time
import django
django.setup()
from django.contrib.auth.hashers import check_password, get_hasher, make_password
hasher = get_hasher("default")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
encoded = make_password(%(password)r, hasher=hasher)
times = []
for _ in range(5):
    start = time.process_time()
    assert check_password(%(password)r, encoded)
    times.append((time.process_time() - start) * 1000)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(type(hasher).__name__, round(statistics.median(times), 1), round((after - before) / 1024, 1))
"""


def hash_alone(env: dict) -> dict:
    out = subprocess.run([PY, "-c", HASH_ALONE % {"password": PASSWORD}], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return {"hasher": out[0], "cpu_ms": float(out[1]), "peak_rss_lift_mib": float(out[2])}


def worker_pids(master: int) -> list[int]:
    pids = []
    for task in Path(f"/proc/{master}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = bench_env()
        base.pop("DATABASE_URL", None)
        base.pop("REDIS_URL", None)
        base["SQLITE_PATH"] = f"{tmp}/bench.sqlite3"
        run_manage("migrate", "--noinput", env=base)
        run_manage("createcachetable", env=base)
        for n, (label, hasher) in enumerate(HASHERS.items()):
            env = {**base, "BENCH_PASSWORD_HASHER": hasher}
            username = f"bench-login-{n}"
            run_manage("shell", "-c", (
                "from accounts.models import User; "
                f"u, _ = User.objects.get_or_create(username={username!r}); "
                f"u.set_password({PASSWORD!r}); u.save()"), env=env)
            figures = {"hash_alone": hash_alone(env)}
            body = json.dumps({"username": username, "password": PASSWORD, "name": "bench"}).encode()
            request = ("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
            server: dict = {}
            with gunicorn(env, port=PORT, workers=args.workers, server=server):
                workers = worker_pids(server["pid"])
                for _ in range(50):  # the workers may still be starting on a busy machine
                    if len(workers) >= args.workers:
                        break
                    time.sleep(0.2)
                    workers = worker_pids(server["pid"])
                rss_before = [peak_rss_mib(p) for p in workers]
                load(PORT, [request], clients=1, seconds=2, max_requests=2 * args.workers)  # warm up
                cpu_before = cpu_seconds(server["pid"])
                run = load(PORT, [request], clients=args.clients, seconds=args.seconds)
                used = cpu_seconds(server["pid"]) - cpu_before
                rss_after = [peak_rss_mib(p) for p in workers]
            figures["logins"] = {
                "logins_per_s": run["rps"], "statuses": run["statuses"],
                "cpu_ms_per_login": round(used * 1000 / run["requests"], 1) if run["requests"] else None,
                "worker_peak_rss_mib_before": max(rss_before, default=0.0),
                "worker_peak_rss_mib_after": max(rss_after, default=0.0),
            }
            results[label] = figures
    print(f"{args.workers} workers, {args.clients} clients × {args.seconds} s, POST /api/v1/auth/token, SQLite")
    for label, figures in results.items():
        alone, logins = figures["hash_alone"], figures["logins"]
        print(f"{label}: hash {alone['cpu_ms']} ms CPU, peak RSS +{alone['peak_rss_lift_mib']} MiB; "
              f"{logins['logins_per_s']} logins/s, {logins['cpu_ms_per_login']} ms server CPU per login, "
              f"worker peak RSS {logins['worker_peak_rss_mib_before']} → {logins['worker_peak_rss_mib_after']} MiB, "
              f"statuses {logins['statuses']}")
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
