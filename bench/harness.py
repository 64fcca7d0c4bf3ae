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


@contextmanager
def gunicorn(env: dict, *, port: int = 8765, workers: int = 2, threads: int = 1):
    """A gunicorn serving sciday on 127.0.0.1:port until the block ends."""
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "sciday.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.time() + 30
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
