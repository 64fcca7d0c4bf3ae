"""Send a file to a tus 1.0 server (sciday's transfer app, or any other): ``send_file``.

Only the standard library (http.client): the body of each PATCH is streamed from the file in small
blocks, so memory stays flat whatever the file's size. On a lost connection, a timeout, a 5xx, a 423
(the server still holds the cut request) or a 409 (the offset moved), the client waits (exponential
backoff), asks the server where the upload stands (HEAD) and resumes from there. A refusal (4xx) is
final and raised as TransferError.

    upload_id = send_file(endpoint="https://province.example/api/v1/transfer/uploads",
                          path="package.zip", headers={"Authorization": "Bearer …"})
"""

import base64
import hashlib
import http.client
import json
import ssl
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

TUS_VERSION = "1.0.0"
BLOCK = 256 * 1024  # the client's read and send unit
MIN_CHUNK = 256 * 1024
RETRY_STATUSES = frozenset({408, 423, 429, 500, 502, 503, 504})


class TransferError(Exception):
    """The transfer was refused (``status``) or gave up after too many failed attempts (status None)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class _Retry(Exception):
    pass


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _slice(handle, offset: int, length: int):
    handle.seek(offset)
    left = length
    while left:
        block = handle.read(min(BLOCK, left))
        if not block:
            raise OSError("the file became shorter while it was being sent")
        left -= len(block)
        yield block


class _Http:
    def __init__(self, timeout: float):
        self.timeout = timeout

    def request(self, method: str, url: str, headers: dict, body=None) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read(64 * 1024)  # answers are small: never read an unbounded body
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            conn.close()


def _detail(body: bytes) -> str:
    try:
        return str(json.loads(body.decode("utf-8")).get("detail", ""))
    except (ValueError, AttributeError):
        return body[:200].decode("utf-8", "replace")


def send_file(
    *,
    endpoint: str,
    path,
    headers: dict,
    chunk_size: int = 8 * 1024 * 1024,
    on_progress: Callable[[int, int], None] | None = None,
    max_retries: int = 10,
    timeout: float = 60.0,
    backoff: float = 1.0,
    max_backoff: float = 60.0,
    resume_url: str | None = None,
) -> str:
    """Send ``path`` to the tus creation ``endpoint`` and return the upload's id (the Location's last part).

    ``headers`` go with every request (the Authorization). ``max_retries`` is the number of failed
    attempts in a row (without progress) before giving up; each waits ``backoff`` × 2ⁿ seconds, at
    most ``max_backoff``. After two failures in a row the chunk is halved (down to 256 KiB): a line
    too slow to carry a whole chunk within the server's timeout still gets through. ``resume_url``
    continues an upload created earlier (e.g. by a process that was stopped) instead of creating one.
    """
    path = Path(path)
    size = path.stat().st_size
    line = _Http(timeout)
    base = {**headers, "Tus-Resumable": TUS_VERSION}
    failures = 0

    def fail(reason: str) -> None:
        nonlocal failures
        failures += 1
        if failures > max_retries:
            raise TransferError(f"gave up after {max_retries} retries: {reason}")
        time.sleep(min(max_backoff, backoff * 2 ** (failures - 1)))

    # What the server accepts: its largest file and (sciday's own header) its largest PATCH.
    while True:
        try:
            status, answer, _body = line.request("OPTIONS", endpoint, base)
            break
        except (OSError, http.client.HTTPException) as exc:
            fail(f"OPTIONS: {exc!r}")
    if status < 300:
        if answer.get("tus-max-size", "").isdigit() and size > int(answer["tus-max-size"]):
            raise TransferError(
                f"the file ({size} bytes) is larger than the server accepts ({answer['tus-max-size']} bytes)",
                status=413,
            )
        if answer.get("sciday-max-chunk-size", "").isdigit():
            chunk_size = min(chunk_size, int(answer["sciday-max-chunk-size"]))
    failures = 0

    url = resume_url
    if url is None:
        sha256 = _file_sha256(path)
        create = {
            **base,
            "Upload-Length": str(size),
            "Upload-Metadata": f"filename {_b64(path.name)},sha256 {_b64(sha256)}",
            "Content-Length": "0",
        }
        while url is None:
            try:
                status, answer, body = line.request("POST", endpoint, create)
            except (OSError, http.client.HTTPException) as exc:
                fail(f"create: {exc!r}")
                continue
            if status == 201 and answer.get("location"):
                url = urljoin(endpoint, answer["location"])
            elif status in RETRY_STATUSES:
                fail(f"create: HTTP {status}")
            else:
                raise TransferError(_detail(body) or f"HTTP {status}", status=status)
    failures = 0

    def where() -> tuple[int, str]:
        """(offset, state) from HEAD; raises TransferError when the upload failed or is gone."""
        status, answer, _body = line.request("HEAD", url, base)
        if status == 200:
            return int(answer.get("upload-offset", "0")), answer.get("upload-state", "receiving")
        if status in RETRY_STATUSES:
            raise _Retry(f"HEAD: HTTP {status}")
        reason = ""
        if status == 410:
            try:
                _s, _a, info = line.request("GET", url, base)
                reason = json.loads(info.decode("utf-8")).get("error", "")
            except (OSError, http.client.HTTPException, ValueError):
                pass
        raise TransferError(reason or f"the upload is gone (HTTP {status})", status=status)

    offset, state = where() if (resume_url is not None or size == 0) else (0, "receiving")
    with path.open("rb") as handle:
        while offset < size:
            length = min(chunk_size, size - offset)
            patch = {
                **base,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
                "Content-Length": str(length),
            }
            try:
                status, answer, body = line.request("PATCH", url, patch, body=_slice(handle, offset, length))
                if status == 204:
                    new = int(answer.get("upload-offset", offset))
                    if new > offset:
                        failures = 0
                    offset, state = new, answer.get("upload-state", state)
                    if on_progress:
                        on_progress(offset, size)
                    continue
                if status == 409:
                    offset = int(answer["upload-offset"]) if answer.get("upload-offset", "").isdigit() else where()[0]
                    fail("offset moved")
                    continue
                if status not in RETRY_STATUSES:
                    raise TransferError(_detail(body) or f"HTTP {status}", status=status)
                raise _Retry(f"PATCH: HTTP {status}")
            except (OSError, http.client.HTTPException, _Retry) as exc:
                fail(repr(exc))
                if failures >= 2 and chunk_size > MIN_CHUNK:
                    chunk_size = max(MIN_CHUNK, chunk_size // 2)
                while True:  # where does the upload stand now?
                    try:
                        offset, state = where()
                        break
                    except (OSError, http.client.HTTPException, _Retry) as again:
                        fail(repr(again))
                if on_progress:
                    on_progress(offset, size)
    if state != "complete":
        offset, state = where()
        if state != "complete":
            raise TransferError(f"the server holds {offset} of {size} bytes but does not call the upload complete")
    return url.rstrip("/").rsplit("/", 1)[-1]
