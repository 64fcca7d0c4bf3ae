"""Where does one request's CPU go? In-process, no network: the WSGI handler is called directly, so
the figure is the application's own CPU per request (what an app server pays), beside the bare-Django
floor (/bench/floor/) measured the same way in the same run. Prints figures and, with --profile, the
functions that cost most; asserts nothing.

    .venv/bin/python bench/profile_request.py                    # survey submit and the floor
    .venv/bin/python bench/profile_request.py --profile submit   # and a cProfile of the submit path
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def environ(method: str, path: str, body: bytes = b"", *, address: str, cookie: str = "") -> dict:
    env = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_FOR": address, "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
        "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
        "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) bench",
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call(handler, env: dict) -> int:
    statuses = []
    chunks = handler(env, lambda status, headers, exc_info=None: statuses.append(status))
    for _chunk in chunks:
        pass
    if hasattr(chunks, "close"):
        chunks.close()
    return int(statuses[0].split()[0])


def measure(handler, make_env, n: int) -> tuple[float, dict]:
    """CPU milliseconds per request (process time) over ``n`` requests, and their statuses."""
    statuses: dict[int, int] = {}
    start = time.process_time()
    for i in range(n):
        status = call(handler, make_env(i))
        statuses[status] = statuses.get(status, 0) + 1
    return (time.process_time() - start) * 1000 / n, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400, help="requests per path")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", choices=["", "submit", "floor"], default="")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    os.environ["SCIDAY_TRUSTED_PROXIES"] = "1"
    sqlite_path = str(Path(tempfile.gettempdir()) / f"sciday-bench-profile-{os.getpid()}.sqlite3")

    from bench.survey_stats import prepare, setup
    from bench.survey_submit import ANSWERS

    setup(args.database_url, sqlite_path)
    from django.core.handlers.wsgi import WSGIHandler

    survey, _questions, link = prepare(0)
    handler = WSGIHandler()
    body = json.dumps({"token": link.token, "consent": True, "answers": ANSWERS}, ensure_ascii=False).encode()

    def address(i: int) -> str:
        return f"10.{random.randrange(256)}.{random.randrange(256)}.{i % 250 + 1}"

    paths = {
        "floor": lambda i: environ("GET", "/bench/floor/", address=address(i)),
        "submit": lambda i: environ("POST", f"/api/v1/surveys/{survey.pk}/responses", body, address=address(i)),
    }
    for make in paths.values():  # warm up: imports, caches, connections
        measure(handler, make, 20)
    print(f"database: {os.environ.get('DATABASE_URL') and 'postgresql' or 'sqlite'}, {args.n} requests each, "
          "in-process WSGI (no network)")
    floor_ms = None
    for label, make in paths.items():
        cpu_ms, statuses = measure(handler, make, args.n)
        floor_ms = floor_ms or cpu_ms
        print(f"  {label:8} {cpu_ms:7.2f} CPU ms/request  ({cpu_ms / floor_ms:4.1f} x floor)  statuses {statuses}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        measure(handler, paths[args.profile], args.n)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)
        print(out.getvalue())
    if not args.database_url:
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
