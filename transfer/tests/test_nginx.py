"""Through nginx as deployed (deploy/cluster/nginx.conf.in, the same transfer location as
deploy/nginx/sciday.conf) in front of gunicorn: chunks pass, an over-size chunk is refused by nginx,
and a PATCH body reaches the app unbuffered, so a cut keeps what had arrived."""

import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from transfer.client import send_file
from transfer.models import Upload

pytestmark = [
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024
AUTH = {"Authorization": "Bearer nginx-token", "Tus-Resumable": "1.0.0"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never answered 200")


@pytest.fixture
def behind_nginx(tmp_path, settings):  # the autouse fixture points SCIDAY_TRANSFER_DIR into tmp_path
    app_port, nginx_port = _free_port(), _free_port()
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "transfer.tests.nginx_settings",
        "SQLITE_PATH": connection.settings_dict["NAME"],
        "DATABASE_URL": "",
        "SCIDAY_TRANSFER_DIR": str(tmp_path / "transfer"),
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        "GUNICORN_WORKERS": "2",
    }
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
            f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}"
        )
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "sciday.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "app.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    conf = tmp_path / "nginx.conf"
    (tmp_path / "nginx-tmp").mkdir()
    conf.write_text(
        (ROOT / "deploy/cluster/nginx.conf.in")
        .read_text()
        .replace("@RUN@", str(tmp_path))
        .replace("@LISTEN@", f"127.0.0.1:{nginx_port}")
        .replace("@STATIC@", str(ROOT / "static"))
        .replace("@MEDIA@", str(media))
        .replace("@UPSTREAMS@", f"        server 127.0.0.1:{app_port} max_fails=3 fail_timeout=10s;")
        .replace("user root;", "" if os.geteuid() != 0 else "user root;")
    )
    nginx = None
    try:
        _wait(f"http://127.0.0.1:{app_port}/healthz")
        nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"])
        _wait(f"http://127.0.0.1:{nginx_port}/healthz", seconds=20)
        yield nginx_port
    finally:
        for process in (nginx, app):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def _create(port: int, content_length: int) -> str:
    conn = socket.create_connection(("127.0.0.1", port))
    meta = f"filename {base64.b64encode(b'v.mp4').decode()},sha256 {base64.b64encode(b'0' * 64).decode()}"
    conn.sendall(
        (
            f"POST /api/v1/transfer/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
            f"Authorization: Bearer nginx-token\r\nTus-Resumable: 1.0.0\r\nUpload-Length: {content_length}\r\n"
            f"Upload-Metadata: {meta}\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    answer = b""
    while chunk := conn.recv(65536):
        answer += chunk
    conn.close()
    assert b" 201 " in answer.split(b"\r\n")[0], answer
    location = next(line for line in answer.split(b"\r\n") if line.lower().startswith(b"location:"))
    return location.split(b":", 1)[1].strip().decode().split("/api/", 1)[1]


def _patch_head(upload_path: str, offset: int, length: int) -> bytes:
    return (
        f"PATCH /api/{upload_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
        f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\n"
        f"Authorization: Bearer nginx-token\r\nTus-Resumable: 1.0.0\r\nConnection: close\r\n\r\n"
    ).encode()


def test_chunks_pass_through_nginx_unbuffered_and_over_size_ones_are_refused(behind_nginx, tmp_path):
    port = behind_nginx
    source = tmp_path / "video.mp4"
    source.write_bytes(os.urandom(20 * MiB))
    upload_id = send_file(
        endpoint=f"http://127.0.0.1:{port}/api/v1/transfer/uploads",
        path=source,
        headers={"Authorization": "Bearer nginx-token"},
        chunk_size=8 * MiB,
    )
    upload = Upload.objects.get(pk=upload_id)
    assert upload.state == "complete"
    with upload.open() as handle:
        assert hashlib.sha256(handle.read()).digest() == hashlib.sha256(source.read_bytes()).digest()

    # A body over nginx's cap (16 MiB = SCIDAY_TRANSFER_MAX_CHUNK_BYTES) is refused by nginx itself.
    path = _create(port, 40 * MiB)
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(_patch_head(path, 0, 17 * MiB))
        assert b" 413 " in conn.recv(65536).split(b"\r\n")[0]

    # Unbuffered: 3 MiB of an 8 MiB PATCH, then the line fails. The app has them (nginx buffering the
    # body would have passed nothing on, since the body never completed).
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(_patch_head(path, 0, 8 * MiB))
        conn.sendall(os.urandom(3 * MiB))
        time.sleep(1.5)
    received = 0
    for _ in range(50):
        time.sleep(0.2)
        received = Upload.objects.get(pk=path.rsplit("/", 1)[1]).offset
        if received:
            break
    assert 1 * MiB <= received <= 3 * MiB
