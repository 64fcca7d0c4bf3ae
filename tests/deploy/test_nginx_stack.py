"""nginx (deploy/cluster/nginx.conf.in, the `make cluster` configuration) in front of a real gunicorn
(deploy/gunicorn.conf.py): the home page, /readyz, request ids, static files and an upload sent by
nginx through X-Accel-Redirect. A minimal cluster (one app server, SQLite) so that it takes seconds."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
APP_PORT, NGINX_PORT = 8113, 8114  # h11's range (docs: 8100 + helper * 10)


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never answered 200")


@pytest.fixture
def stack(tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sciday.settings_test",
        "SQLITE_PATH": connection.settings_dict["NAME"],
        "DATABASE_URL": "",
        "SCIDAY_ACCEL_REDIRECT": "1",
        "SCIDAY_TRUSTED_PROXIES": "1",
        "SCIDAY_REQUEST_LOG": "1",
        "SCIDAY_LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{APP_PORT}",
        "GUNICORN_WORKERS": "1",
    }
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
                               f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}")
    log = tmp_path / "app.log"
    app = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "sciday.wsgi"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    conf = tmp_path / "nginx.conf"
    (tmp_path / "nginx-tmp").mkdir()
    conf.write_text(
        (ROOT / "deploy/cluster/nginx.conf.in").read_text()
        .replace("@RUN@", str(tmp_path)).replace("@LISTEN@", f"127.0.0.1:{NGINX_PORT}")
        .replace("@STATIC@", str(ROOT / "static")).replace("@MEDIA@", str(media))
        .replace("@UPSTREAMS@", f"        server 127.0.0.1:{APP_PORT} max_fails=3 fail_timeout=10s;")
        .replace("user root;", "" if os.geteuid() != 0 else "user root;")
    )
    nginx = None
    try:
        _wait(f"http://127.0.0.1:{APP_PORT}/healthz")
        nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"])
        _wait(f"http://127.0.0.1:{NGINX_PORT}/healthz", seconds=20)
        yield f"http://127.0.0.1:{NGINX_PORT}", log
    finally:
        for process in (nginx, app):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def test_nginx_serves_the_home_page_readiness_static_files_and_uploads(stack):
    from uploads.models import AssetUse
    from uploads.services import asset_store
    from uploads.tests import samples

    base, log = stack

    status, headers, body = _get(base + "/", {"X-Request-ID": "test-request-0001"})
    assert status == 200 and "text/html" in headers["Content-Type"]
    assert "科技工作者日".encode() in body or b"sciday" in body.lower()
    assert headers["X-Request-ID"] == "test-request-0001"

    status, _, body = _get(base + "/readyz")
    assert status == 200
    assert b'"ready": true' in body and all(name in body for name in (b"database", b"cache", b"storage", b"queue"))

    assert _get(base + "/metrics")[0] == 404  # never through nginx

    status, headers, _ = _get(base + "/static/sciday/confirm.js")
    assert status == 200 and "immutable" in headers["Cache-Control"]

    asset = asset_store(uploaded_file=samples.upload("海报.png", samples.image_bytes("PNG")), use=AssetUse.IMAGE,
                        owner=None, is_public=True)
    status, headers, body = _get(base + asset.get_absolute_url())
    assert status == 200 and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
    assert "X-Accel-Redirect" not in headers  # nginx followed it and sent the file itself
    assert _get(base + "/_protected/" + asset.file.name)[0] == 404  # the internal location is not reachable

    time.sleep(0.5)
    assert '"request_id": "test-request-0001"' in log.read_text()
