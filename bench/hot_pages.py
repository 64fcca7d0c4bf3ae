"""Hot pages against the bare-Django floor, under the same gunicorn, in the same run.

    .venv/bin/python bench/hot_pages.py [path ...]          (default: the public home page /)
    .venv/bin/python bench/hot_pages.py / --redis-url redis://127.0.0.1:6379/7
                                       # the deployment's cache (Redis) instead of the database table
    .venv/bin/python bench/hot_pages.py / --database-url postgres://postgres@127.0.0.1:5432/sciday_bench_hot
                                       # PostgreSQL (a scratch database: it is migrated)

A scratch database (SQLite file unless --database-url or DATABASE_URL) is migrated and the 2022 campaign
loaded. Then the floor (/bench/floor/, a view rendering 50 rows) and each page are loaded in turn, --rounds
times over (16 clients, --seconds each), so that every page is measured right beside the floor; the medians
are printed: requests/s, the ratio to the floor of the same round, and the server's CPU per request (the
gunicorn workers' own CPU time, steadier than requests/s on a shared machine; work done inside PostgreSQL or
Redis is not in it). Last, the SQL queries of each page with a warm cache (Django test client).
Target: every hot page serves at least half the requests/s of the floor.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import against_floor, bench_env, gunicorn, print_against_floor, run_manage  # noqa: E402

PORT = int(os.environ.get("SCIDAY_BENCH_PORT", "8765"))  # bench/run.py gives each its own
VERSION_KEYS = ["activities:public:version", "campaigns:public:version"]


def queries_per_page(env: dict, paths: list[str]) -> dict:
    """The SQL queries of each page's second request (warm cache), in a fresh process with the bench's settings."""
    code = (
        "import json, sys, django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "client, out = Client(), {}\n"
        "for path in sys.argv[1:]:\n"
        "    client.get(path)\n"
        "    with CaptureQueriesContext(connection) as ctx:\n"
        "        status = client.get(path).status_code\n"
        "    out[path] = {'status': status, 'queries': len(ctx.captured_queries)}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *paths], env=env, cwd=Path(__file__).resolve().parent.parent,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page and round")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="", help="use this Redis as the cache (as deployed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(ALLOWED_HOSTS="127.0.0.1,localhost,testserver")
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        else:
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = f"{tmp}/bench.sqlite3"
        if args.redis_url:
            env["REDIS_URL"] = args.redis_url
        else:
            env.pop("REDIS_URL", None)
        run_manage("migrate", "--noinput", env=env)
        run_manage("createcachetable", env=env)
        run_manage("load_campaign", "qingdao-2022", env=env)
        # A cache that outlives the scratch database (Redis) must not serve pages built from an earlier one.
        run_manage("shell", "-c", f"from django.core.cache import cache; cache.delete_many({VERSION_KEYS!r})", env=env)
        server: dict = {}
        with gunicorn(env, port=PORT, workers=2, server=server):
            results = against_floor(PORT, {path: [("GET", path, None, {})] for path in args.paths}, server=server,
                                    rounds=args.rounds, seconds=args.seconds)
        queries = queries_per_page(env, args.paths)
    engine = "postgresql" if args.database_url.startswith("postgres") else "sqlite"
    print(f"database: {engine}, cache: {'redis' if args.redis_url else 'database table'}, "
          f"{args.rounds} rounds × {args.seconds} s")
    print_against_floor(results)
    print("\nSQL queries per page (warm cache): " + ", ".join(f"{p} {q['queries']}" for p, q in queries.items()))
    print(json.dumps({"results": results, "queries": queries}, ensure_ascii=False))


if __name__ == "__main__":
    main()
