"""Where does one request's CPU go? In-process, no network: the WSGI handler is called directly, so
the figure is the application's own CPU per request (what an app server pays), beside the bare-Django
floor (/bench/floor/) measured the same way in the same run. Prints figures and, with --profile, the
functions that cost most; asserts nothing.

    .venv/bin/python bench/profile_request.py                    # survey submit and the floor
    .venv/bin/python bench/profile_request.py --profile submit   # and a cProfile of the submit path
    .venv/bin/python bench/profile_request.py --profile checkin  # ... of a QR check-in (form POST, new phone)
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
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def environ(method: str, path: str, body: bytes = b"", *, address: str, cookie: str = "",
            content_type: str = "application/json") -> dict:
    env = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_FOR": address, "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
        "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
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
    parser.add_argument("--profile", choices=["", "submit", "checkin", "floor"], default="")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_bench"
    os.environ["SCIDAY_TRUSTED_PROXIES"] = "1"
    sqlite_path = str(Path(tempfile.gettempdir()) / f"sciday-bench-profile-{os.getpid()}.sqlite3")

    from bench.survey_stats import prepare, setup
    from bench.survey_submit import ANSWERS

    setup(args.database_url, sqlite_path)
    from django.core.handlers.wsgi import WSGIHandler

    survey, _questions, link = prepare(0)
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from bench.checkin import CLOCK as CHECKIN_CLOCK
    from bench.checkin import prepare as checkin_prepare

    _activity, checkin_path = checkin_prepare()
    handler = WSGIHandler()
    secret = _get_new_csrf_string()
    csrf_cookie = f"{settings.CSRF_COOKIE_NAME}={secret}"
    csrf_token = _mask_cipher_secret(secret)
    phones = iter(range(10**8))

    def checkin_env(i: int) -> dict:
        settings.SCIDAY_CLOCK = CHECKIN_CLOCK  # the check-in window (the survey's clock is set back below)
        # As a phone sends the form: the CSRF token and the form's own idempotency key beside the fields.
        form = (f"csrfmiddlewaretoken={csrf_token}&idempotency_key={uuid.uuid4().hex}&name=%E5%BC%A0%E4%B8%89"
                f"&phone=13{next(phones):09d}").encode()
        return environ("POST", checkin_path, form, address=address(i), cookie=csrf_cookie,
                       content_type="application/x-www-form-urlencoded")

    def submit_env(i: int) -> dict:
        settings.SCIDAY_CLOCK = os.environ["SCIDAY_CLOCK"]
        return environ("POST", f"/api/v1/surveys/{survey.pk}/responses", body, address=address(i))

    body = json.dumps({"token": link.token, "consent": True, "answers": ANSWERS}, ensure_ascii=False).encode()

    def address(i: int) -> str:
        return f"10.{random.randrange(256)}.{random.randrange(256)}.{i % 250 + 1}"

    paths = {
        "floor": lambda i: environ("GET", "/bench/floor/", address=address(i)),
        "submit": submit_env,
        "checkin": checkin_env,
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
        stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
        stats.print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), int(os.environ.get("BENCH_PROFILE_LINES", "45")))
        print(out.getvalue())
    if not args.database_url:
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
