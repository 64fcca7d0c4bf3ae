"""Run every benchmark in bench/, one after the other, each in its own process: ``make bench``.

    .venv/bin/python bench/run.py            # the sizes of the README's figures (takes hours)
    .venv/bin/python bench/run.py --quick    # a smoke run at small sizes (a few minutes): ``make bench QUICK=1``
    .venv/bin/python bench/run.py --only exports --only hot_pages

Every benchmark prints its own figures and asserts nothing; this runner only says which ones ran, how
long each took, and fails (exit status 1) if any of them failed, so that a broken benchmark is noticed.
Each one gets its own scratch database (SQLite in a temporary directory, or --database-url for all) and
its own loopback port.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BASE_PORT = int(os.environ.get("SCIDAY_BENCH_BASE_PORT", "8780"))


def benchmarks(scratch: str, quick: bool, database_url: str) -> list[tuple[str, list[str]]]:
    """(name, arguments) of every benchmark in bench/, at full size or, with ``quick``, a small one."""
    def db(name):  # each its own scratch database
        return ["--database-url", database_url] if database_url else []

    port = iter(range(BASE_PORT, BASE_PORT + 2))  # the two survey benchmarks; the others BASE_PORT + 2 + i
    if quick:
        return [
            ("survey_stats", ["--n", "300", "--submit", "20", "--threads", "2", "--port", str(next(port)),
                              *(db("survey_stats") or ["--sqlite", f"{scratch}/survey_stats.sqlite3"])]),
            ("survey_submit", ["--seconds", "2", "--clients", "4", "--workers", "2", "--port", str(next(port)),
                               *(db("survey_submit") or ["--sqlite", f"{scratch}/survey_submit.sqlite3"])]),
            ("hot_pages", ["--rounds", "1", "--seconds", "1", *db("hot_pages")]),
            ("activities", ["--n", "300", "--rounds", "1", "--seconds", "1", *db("activities"),
                            *([] if database_url else ["--sqlite-path", f"{scratch}/activities.sqlite3"])]),
            ("exports", ["--n", "300", *db("exports"),
                         *([] if database_url else ["--sqlite-path", f"{scratch}/exports.sqlite3"])]),
            ("summaries_report", ["--n", "300", "--units", "20", *db("summaries_report")]),
            ("volunteer_import", ["--n", "100", *db("volunteer_import")]),
            ("upload_memory", ["--mb", "5"]),
            ("login", ["--seconds", "2", "--clients", "2", "--workers", "2"]),
            ("profile_request", ["--n", "30", *db("profile_request")]),
            ("dashboard", ["--n", "300", "--repeat", "1", *db("dashboard"),
                           *([] if database_url else ["--sqlite-path", f"{scratch}/dashboard.sqlite3"])]),
            ("rollup_transfer", ["--mb", "20"]),
            ("deadline_surge", ["--help"]),  # needs `make cluster` (nginx, PostgreSQL): the smoke run only loads it
            ("cluster_hot_paths", ["--help"]),
        ]
    return [
        ("survey_stats", ["--port", str(next(port)), *(db("survey_stats") or [])]),
        ("survey_submit", ["--port", str(next(port)),
                           *(db("survey_submit") or ["--sqlite", f"{scratch}/survey_submit.sqlite3"])]),
        ("hot_pages", [*db("hot_pages")]),
        ("activities", [*db("activities")]),
        ("exports", [*db("exports")]),
        ("summaries_report", [*db("summaries_report")]),
        ("volunteer_import", [*db("volunteer_import")]),
        ("upload_memory", []),
        ("login", []),
        ("profile_request", [*db("profile_request")]),
        ("dashboard", [*db("dashboard")]),
        ("rollup_transfer", []),
        ("deadline_surge", []),  # through `make cluster` (PostgreSQL, nginx): see its docstring
        ("cluster_hot_paths", []),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every benchmark")
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database for all (default: SQLite)")
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory(prefix="sciday-bench-run-") as scratch:
        plan = benchmarks(scratch, args.quick, args.database_url)
        unknown = set(args.only or []) - {name for name, _ in plan}
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        for index, (name, arguments) in enumerate(plan):
            if args.only and name not in args.only:
                continue
            command = [PY, str(ROOT / "bench" / f"{name}.py"), *arguments]
            print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
            env = dict(os.environ, SCIDAY_BENCH_PORT=str(BASE_PORT + 2 + index), PYTHONPATH=str(ROOT))
            started = time.monotonic()
            result = subprocess.run(command, cwd=ROOT, env=env, check=False)
            took = time.monotonic() - started
            print(f"=== {name}: {'ok' if result.returncode == 0 else f'FAILED ({result.returncode})'} in {took:.0f} s",
                  flush=True)
            if result.returncode != 0:
                failures.append(name)
    if failures:
        print(f"\nfailed: {', '.join(failures)}", flush=True)
        return 1
    print("\nevery benchmark ran", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
