"""Hot pages against the bare-Django floor, under the same gunicorn, in the same run.

Usage: .venv/bin/python bench/hot_pages.py [path ...]   (default: the public home page)
Target: every hot page serves at least half the requests/s of the floor (a view rendering 50 rows).
"""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import bench_env, gunicorn, load, run_manage  # noqa: E402


def main(paths: list[str]):
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(SQLITE_PATH=f"{tmp}/bench.sqlite3") if "DATABASE_URL" not in bench_env() else bench_env()
        run_manage("migrate", "--noinput", env=env)
        run_manage("createcachetable", env=env)
        run_manage("load_campaign", "qingdao-2022", env=env)
        results = {}
        with gunicorn(env, port=8765, workers=2):
            for path in ["/bench/floor/", *paths]:
                load(8765, [("GET", path, None, {})], clients=4, seconds=1)  # warm up
                results[path] = load(8765, [("GET", path, None, {})], clients=16, seconds=8)
        floor = results["/bench/floor/"]["rps"]
        for path, figures in results.items():
            ratio = figures["rps"] / floor if floor else 0
            print(f"{path:40} {figures['rps']:8.1f} req/s  ({ratio:.2f} × floor)  statuses={figures['statuses']}")
        print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:] or ["/"])
