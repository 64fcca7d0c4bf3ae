"""A large upward package over a poor line: a resumable transfer through a throttled proxy that fails once.

    .venv/bin/python bench/rollup_transfer.py                       # 500 MB at 20 MB/s, cut at 40 %
    .venv/bin/python bench/rollup_transfer.py --mb 500 --rate-mb 3  # a few MB/s (about 3 minutes)
    .venv/bin/python bench/rollup_transfer.py --mb 20               # the smoke run of `make bench QUICK=1`

A file of ``--mb`` MiB of random bytes (video does not compress) is sent with ``transfer.client.send_file``
(8 MiB chunks) from a separate Python process to a gunicorn (``--workers`` sync workers, production
settings, a scratch SQLite database), through ``transfer.testing.ThrottlingProxy``: ``--rate-mb`` MB/s
upstream, the connection dropped once after ``--cut-at`` of the file. Printed: the time, the
throughput against the line's rate, the bytes sent upstream (what the cut cost), the peak RSS
(VmHWM) of the client process and of every gunicorn worker before and after, and the floor measured
in this run: the same file copied (shutil) and hashed (SHA-256) in one process. Asserts only that
the file arrived whole (the SHA-256 the server checked).
"""

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PY, ROOT, bench_env, gunicorn, run_manage  # noqa: E402
from transfer.testing import ThrottlingProxy  # noqa: E402

PORT = int(os.environ.get("SCIDAY_BENCH_PORT", "8121"))
MiB = 1024 * 1024
TOKEN = "bench-transfer-token"

CLIENT = """
import json, sys, time
from pathlib import Path

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from transfer.client import send_file
before = hwm()
start = time.monotonic()
upload_id = send_file(endpoint=sys.argv[1], path=sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[3]},
                      chunk_size=int(sys.argv[4]), backoff=0.5)
print(json.dumps({"id": upload_id, "seconds": time.monotonic() - start, "rss_before": before, "rss_after": hwm()}))
"""


def peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def worker_pids(master: int) -> list[int]:
    pids = []
    for task in Path(f"/proc/{master}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return sorted(pids)


def make_file(path: Path, mib: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for _ in range(mib):
            block = os.urandom(MiB)
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


def line_floor(source: Path, rate: float) -> float:
    """Seconds to push the file through the same throttled proxy to a socket that discards it: what
    the line itself delivers on this machine, protocol and server aside."""
    sink = socket.create_server(("127.0.0.1", 0))

    def discard():
        conn, _addr = sink.accept()
        with conn:
            while conn.recv(256 * 1024):
                pass

    reader = threading.Thread(target=discard, daemon=True)
    reader.start()
    with ThrottlingProxy(upstream=sink.getsockname()[:2], rate=rate) as proxy:
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", proxy.port)) as conn, source.open("rb") as handle:
            while block := handle.read(256 * 1024):
                conn.sendall(block)
        reader.join()
        seconds = time.monotonic() - start
    sink.close()
    return seconds


def floor(source: Path, scratch: Path) -> dict:
    start = time.monotonic()
    shutil.copyfile(source, scratch / "floor-copy.bin")
    copy = time.monotonic() - start
    start = time.monotonic()
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        while block := handle.read(MiB):
            digest.update(block)
    hashing = time.monotonic() - start
    (scratch / "floor-copy.bin").unlink()
    return {"copy_s": copy, "sha256_s": hashing}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=500, help="file size in MiB")
    parser.add_argument("--rate-mb", type=float, default=20.0, help="the line's rate, MB/s (10^6 bytes)")
    parser.add_argument("--cut-at", type=float, default=0.4, help="drop the connection once after this share")
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    size = args.mb * MiB
    with tempfile.TemporaryDirectory(prefix="sciday-bench-transfer-") as tmp:
        scratch = Path(tmp)
        source = scratch / "package-video.mp4"
        expected = make_file(source, args.mb)
        floors = floor(source, scratch)
        floors["line_s"] = line_floor(source, args.rate_mb * 1e6)
        env = bench_env(SQLITE_PATH=str(scratch / "bench.sqlite3"), MEDIA_ROOT=str(scratch / "media"),
                        SCIDAY_TRANSFER_DIR=str(scratch / "transfer"), BENCH_TRANSFER_TOKEN=TOKEN,
                        DJANGO_SETTINGS_MODULE="bench.settings_transfer")
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        run_manage("migrate", "--noinput", env=env)
        run_manage("createcachetable", env=env)
        server: dict = {}
        with gunicorn(env, port=PORT, workers=args.workers, server=server):
            workers = worker_pids(server["pid"])
            for _ in range(50):
                if len(workers) >= args.workers:
                    break
                time.sleep(0.2)
                workers = worker_pids(server["pid"])
            # Warm every worker up (imports, URLconf) with small uploads before the first reading.
            warm = scratch / "warm.bin"
            make_file(warm, 1)
            for _ in range(args.workers * 6):
                subprocess.run([PY, "-c", CLIENT, f"http://127.0.0.1:{PORT}/api/v1/transfer/uploads", str(warm),
                                TOKEN, str(MiB)], cwd=ROOT, env=env, check=True, capture_output=True)
            rss_before = {pid: peak_rss_mib(pid) for pid in workers}
            with ThrottlingProxy(upstream=("127.0.0.1", PORT), rate=args.rate_mb * 1e6,
                                 cut_after=int(size * args.cut_at)) as proxy:
                start = time.monotonic()
                result = subprocess.run(
                    [PY, "-c", CLIENT, f"{proxy.url}/api/v1/transfer/uploads", str(source), TOKEN,
                     str(args.chunk_mb * MiB)], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
                wall = time.monotonic() - start
            client = json.loads(result.stdout.strip().splitlines()[-1])
            rss_after = {pid: peak_rss_mib(pid) for pid in workers}
            check = subprocess.run(
                [PY, "manage.py", "shell", "-c",
                 f"from transfer.models import Upload; u = Upload.objects.get(pk={client['id']!r}); "
                 "print('RESULT', u.state, u.sha256, u.offset)"], cwd=ROOT, env=env, check=True, capture_output=True,
                text=True)
        _marker, state, sha, offset = [line for line in check.stdout.splitlines() if line.startswith("RESULT")][-1].split()
        assert (state, sha, int(offset)) == ("complete", expected, size), check.stdout
    line_seconds = size / (args.rate_mb * 1e6)
    print(f"rollup_transfer: {args.mb} MiB of random bytes, line {args.rate_mb:g} MB/s, cut once at "
          f"{args.cut_at:.0%} (cuts: {proxy.cuts}), {args.chunk_mb} MiB chunks, {args.workers} gunicorn workers")
    print(f"  arrived whole: state {state}, SHA-256 checked by the server = the sender's")
    print(f"  time {client['seconds']:.1f} s (process {wall:.1f} s), {size / client['seconds'] / 1e6:.1f} MB/s; "
          f"the line alone: {line_seconds:.1f} s ({line_seconds / client['seconds']:.0%} of the line's rate)")
    print(f"  sent upstream {proxy.sent / MiB:.1f} MiB for {args.mb} MiB "
          f"(beyond the file, headers included: {(proxy.sent - size) / 1024:.0f} KiB), {proxy.connections} connections")
    print(f"  client peak RSS {client['rss_before']:.1f} -> {client['rss_after']:.1f} MiB")
    for pid in workers:
        print(f"  server worker {pid} peak RSS {rss_before[pid]:.1f} -> {rss_after[pid]:.1f} MiB")
    print(f"  floor, same run: shutil.copyfile {floors['copy_s']:.2f} s ({size / floors['copy_s'] / 1e6:.0f} MB/s), "
          f"SHA-256 of the file {floors['sha256_s']:.2f} s ({size / floors['sha256_s'] / 1e6:.0f} MB/s); "
          f"the file through the same proxy to a discarding socket {floors['line_s']:.1f} s "
          f"({size / floors['line_s'] / 1e6:.1f} MB/s): the transfer took {client['seconds'] / floors['line_s']:.2f} x that")
    return 0


if __name__ == "__main__":
    sys.exit(main())
