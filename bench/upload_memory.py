"""How much memory storing a large video costs: ``.venv/bin/python bench/upload_memory.py [--mb 300]``.

Two measurements, each on an MP4-shaped file (an ftyp box, then zeros) of --mb megabytes:

1. the service alone: ``asset_store`` on a TemporaryUploadedFile, in this process;
2. the whole Django stack: a multipart POST streamed over a socket to a WSGI server (wsgiref, the
   server runserver is built on) running sciday's middleware and a view that calls ``asset_store``,
   in a child process.

Memory is the growth of the peak resident set (VmHWM in /proc/<pid>/status, reset through
/proc/<pid>/clear_refs just before the upload) over the resident set before it. Everything runs in
a temporary directory (its own SQLite database and MEDIA_ROOT) that is removed afterwards.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
CHUNK = MB


def _status(pid="self") -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values


def _reset_peak(pid="self") -> bool:
    """Make VmHWM start again from the current RSS (Linux 4.0+); False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _mp4_head() -> bytes:
    ftyp = b"ftyp" + b"isom" + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41"
    return (len(ftyp) + 4).to_bytes(4, "big") + ftyp


def _setup_django(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sciday.settings_test"
    os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")  # settings_test stores under <parent>/var/test-media
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _measure(run) -> dict:
    import gc

    gc.collect()
    reset = _reset_peak()
    before = _status()
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    after = _status()
    baseline = before["VmRSS"] if reset else before["VmHWM"]
    return {"result": result, "seconds": seconds, "rss_before": before["VmRSS"],
            "peak_growth": max(0, after["VmHWM"] - baseline), "exact": reset}


# --- the server child -------------------------------------------------------------------------
def serve(workdir: Path, port: int) -> None:
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic in the benchmark
    _setup_django(workdir)
    import types
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import JsonResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    import sciday.urls
    from uploads.models import AssetUse
    from uploads.services import asset_store

    @csrf_exempt
    def bench_upload(request):
        # The multipart body is parsed only now, when request.FILES is read: measured here too.
        measured = _measure(lambda: asset_store(uploaded_file=request.FILES["file"], use=AssetUse.VIDEO, owner=None))
        asset = measured.pop("result")
        return JsonResponse({**measured, "size": asset.size, "sha256": asset.sha256})

    settings.SCIDAY_UPLOAD_MAX_VIDEO_BYTES = int(os.environ["SCIDAY_BENCH_MAX_VIDEO_BYTES"])
    urlconf = types.ModuleType("bench_urls")
    urlconf.urlpatterns = [path("bench/upload/", bench_upload), *sciday.urls.urlpatterns]
    settings.ROOT_URLCONF = urlconf

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    make_server("127.0.0.1", port, WSGIHandler(), handler_class=QuietHandler).serve_forever()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(port: int, size: int) -> dict:
    boundary = "sciday-bench-boundary"
    prefix = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.mp4\"\r\n"
              "Content-Type: video/mp4\r\n\r\n").encode()
    suffix = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", "/bench/upload/")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(prefix) + size + len(suffix)))
    connection.endheaders()
    connection.send(prefix)
    head = _mp4_head()
    connection.send(head)
    zeros = b"\x00" * CHUNK
    remaining = size - len(head)
    while remaining > 0:
        connection.send(zeros[: min(CHUNK, remaining)])
        remaining -= CHUNK
    connection.send(suffix)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"the upload failed: HTTP {response.status}\n{body[:2000].decode(errors='replace')}")
    return json.loads(body)


def _through_the_server(workdir: Path, size: int) -> dict:
    port = _free_port()
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--workdir", str(workdir)],
                             env=os.environ.copy())
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        _post(port, 64 * 1024)  # warm up: imports, database connection, URL resolver
        reset = _reset_peak(child.pid)
        before = _status(child.pid)
        started = time.perf_counter()
        answer = _post(port, size)
        seconds = time.perf_counter() - started
        after = _status(child.pid)
        baseline = before["VmRSS"] if reset else before["VmHWM"]
        answer["process_peak_growth"] = max(0, after["VmHWM"] - baseline)
        answer["process_rss_before"] = before["VmRSS"]
        answer["request_seconds"] = seconds
        answer["process_exact"] = reset
        return answer
    finally:
        child.terminate()
        child.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300, help="size of the video in MB (default 300)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.workdir), args.serve)
        return

    size = args.mb * MB
    with tempfile.TemporaryDirectory(prefix="sciday-bench-") as tmp:
        workdir = Path(tmp)
        _setup_django(workdir)
        from django.conf import settings
        from django.core.files.uploadedfile import TemporaryUploadedFile
        from django.core.management import call_command

        from uploads.models import AssetUse
        from uploads.services import asset_store

        settings.SCIDAY_UPLOAD_MAX_VIDEO_BYTES = max(size + MB, 500 * MB)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)

        uploaded = TemporaryUploadedFile("bench.mp4", "video/mp4", size, None)
        head = _mp4_head()
        uploaded.write(head)
        zeros = b"\x00" * CHUNK
        remaining = size - len(head)
        while remaining > 0:
            uploaded.write(zeros[: min(CHUNK, remaining)])
            remaining -= CHUNK
        uploaded.flush()

        service = _measure(lambda: asset_store(uploaded_file=uploaded, use=AssetUse.VIDEO, owner=None))
        uploaded.close()
        os.environ["SCIDAY_BENCH_MAX_VIDEO_BYTES"] = str(settings.SCIDAY_UPLOAD_MAX_VIDEO_BYTES)
        stack = _through_the_server(workdir, size)

    mb = lambda n: f"{n / MB:7.1f} MB"  # noqa: E731
    print(f"sciday upload memory benchmark: one {args.mb} MB MP4-shaped video")
    print(f"  service (asset_store on a TemporaryUploadedFile): peak RSS growth {mb(service['peak_growth'])}"
          f"  (RSS before {mb(service['rss_before'])}, {service['seconds']:.1f} s)")
    print(f"  HTTP POST through Django (whole process):         peak RSS growth {mb(stack['process_peak_growth'])}"
          f"  (RSS before {mb(stack['process_rss_before'])}, {stack['request_seconds']:.1f} s)")
    print(f"    measured inside the view (body parsing + store): peak RSS growth {mb(stack['peak_growth'])}")
    if not (service["exact"] and stack["process_exact"]):
        print("  (could not reset VmHWM: growth is measured from the earlier peak and may read low)")
    worst = max(service["peak_growth"], stack["process_peak_growth"])
    print(f"  worst case: {mb(worst).strip()} extra for a {args.mb} MB upload "
          f"({'under' if worst < 150 * MB else 'OVER'} the 150 MB budget)")


if __name__ == "__main__":
    main()
