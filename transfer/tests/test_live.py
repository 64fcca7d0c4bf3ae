"""A real HTTP server, a line throttled to a few MB/s that fails once in the middle: the file arrives whole."""

import hashlib
import os
from urllib.parse import urlsplit

import pytest

from transfer.client import TransferError, send_file
from transfer.models import Upload
from transfer.testing import ThrottlingProxy

MiB = 1024 * 1024


def _random_file(path, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        for _ in range(size // MiB):
            block = os.urandom(MiB)
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


@pytest.mark.django_db(transaction=True)
def test_send_file_survives_a_throttled_line_cut_once(live_server, tmp_path):
    size = 24 * MiB
    source = tmp_path / "video.mp4"
    expected = _random_file(source, size)
    parts = urlsplit(live_server.url)
    progress = []
    with ThrottlingProxy(upstream=(parts.hostname, parts.port), rate=8e6, cut_after=10 * MiB + 12345) as proxy:
        upload_id = send_file(
            endpoint=f"{proxy.url}/api/v1/transfer/uploads",
            path=source,
            headers={"Authorization": "Bearer alpha-token"},
            chunk_size=4 * MiB,
            on_progress=lambda done, total: progress.append(done),
            backoff=0.2,
        )
    assert proxy.cuts == 1  # the line did fail once, in the middle of a PATCH
    upload = Upload.objects.get(pk=upload_id)
    assert (upload.state, upload.owner, upload.length, upload.filename) == ("complete", "test:alpha", size, "video.mp4")
    digest = hashlib.sha256()
    with upload.open() as handle:
        while block := handle.read(MiB):
            digest.update(block)
    assert digest.hexdigest() == expected
    # It resumed from what had arrived: the offset after the cut is past the last whole chunk before it.
    assert progress[-1] == size
    assert any(done % (4 * MiB) for done in progress[:-1])
    # Less than one chunk was sent twice: the upstream bytes are the file, one resent partial chunk and headers.
    assert proxy.sent < size + 4 * MiB + 64 * 1024


@pytest.mark.django_db(transaction=True)
def test_send_file_raises_on_a_refusal(live_server, tmp_path):
    source = tmp_path / "small.bin"
    _random_file(source, MiB)
    with pytest.raises(TransferError) as refused:
        send_file(
            endpoint=f"{live_server.url}/api/v1/transfer/uploads",
            path=source,
            headers={"Authorization": "Bearer forged"},
            backoff=0.01,
        )
    assert refused.value.status == 401
    assert not Upload.objects.exists()
