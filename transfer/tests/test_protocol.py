"""The tus 1.0 protocol through Django's test client: create, append, resume, refuse."""

import hashlib
import io

import pytest

from audit.models import AuditEntry
from transfer import services
from transfer.models import Upload
from transfer.selectors import upload_get

from .conftest import metadata, tus_headers

URL = "/api/v1/transfer/uploads"
OCTETS = "application/offset+octet-stream"


def create(client, content: bytes, token="alpha-token", name="video.mp4", length=None):
    return client.post(
        URL,
        **tus_headers(
            token, Upload_Length=len(content) if length is None else length, Upload_Metadata=metadata(name, content)
        ),
    )


def patch(client, location, body: bytes, offset: int, token="alpha-token"):
    return client.generic("PATCH", location, body, content_type=OCTETS, **tus_headers(token, Upload_Offset=offset))


def head(client, location, token="alpha-token"):
    return client.head(location, **tus_headers(token))


def test_options_advertises_the_protocol_and_the_limits(client, settings):
    settings.SCIDAY_TRANSFER_MAX_BYTES = 123456
    response = client.options(URL)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination"}
    assert response["Tus-Max-Size"] == "123456"


@pytest.mark.django_db
def test_create_append_in_two_chunks_and_complete(client):
    content = bytes(range(256)) * 1000
    response = create(client, content)
    assert response.status_code == 201
    location = response["Location"]
    assert location.startswith("/api/v1/transfer/uploads/")
    assert head(client, location)["Upload-Offset"] == "0"

    first = patch(client, location, content[:100_000], 0)
    assert first.status_code == 204, first.content
    assert first["Upload-Offset"] == "100000"
    answer = head(client, location)
    assert (answer.status_code, answer["Upload-Offset"], answer["Upload-Length"]) == (200, "100000", "256000")

    last = patch(client, location, content[100_000:], 100_000)
    assert last.status_code == 204
    upload = Upload.objects.get()
    assert (upload.state, upload.offset, upload.filename) == ("complete", len(content), "video.mp4")
    with upload.open() as handle:
        assert handle.read() == content
    assert AuditEntry.objects.filter(action="transfer.upload.complete", object_id=str(upload.pk)).exists()


@pytest.mark.django_db
def test_an_offset_that_does_not_match_is_409_and_writes_nothing(client):
    content = b"x" * 5000
    location = create(client, content)["Location"]
    patch(client, location, content[:1000], 0)
    response = patch(client, location, content[2000:3000], 2000)
    assert response.status_code == 409
    assert response["Upload-Offset"] == "1000"
    assert "偏移" in response.json()["detail"]
    assert Upload.objects.get().offset == 1000
    assert Upload.objects.get().path.stat().st_size == 1000


@pytest.mark.django_db
def test_a_request_cut_in_the_middle_keeps_what_arrived_and_resumes(client):
    content = hashlib.sha256(b"seed").digest() * 40_000  # 1.28 MB
    location = create(client, content)["Location"]
    upload = Upload.objects.get()

    class Cut(io.BytesIO):
        """A body whose connection is lost after 300,000 bytes (the rest never arrives)."""

        def read(self, n=-1):
            if self.tell() >= 300_000:
                raise ConnectionResetError("line dropped")
            return super().read(min(n, 300_000 - self.tell()))

    result = services.upload_append(upload=upload, offset=0, stream=Cut(content), content_length=len(content))
    assert result.cut and result.received == 300_000
    assert head(client, location)["Upload-Offset"] == "300000"
    # The sender asks where it stands and sends the rest.
    assert patch(client, location, content[300_000:], 300_000).status_code == 204
    upload.refresh_from_db()
    assert upload.state == "complete"
    assert hashlib.sha256(upload.path.read_bytes()).digest() == hashlib.sha256(content).digest()


@pytest.mark.django_db
def test_bytes_beyond_the_recorded_offset_are_dropped_on_resume(client):
    """A worker killed after writing but before recording: the next PATCH starts at the recorded offset."""
    content = b"abcdef" * 1000
    location = create(client, content)["Location"]
    patch(client, location, content[:1000], 0)
    upload = Upload.objects.get()
    with upload.path.open("ab") as part:
        part.write(b"GARBAGE")
    assert patch(client, location, content[1000:], 1000).status_code == 204
    upload.refresh_from_db()
    assert upload.state == "complete" and upload.path.read_bytes() == content


@pytest.mark.django_db
def test_a_checksum_mismatch_fails_the_upload_with_the_reason(client):
    content = b"the real content" * 100
    location = create(client, content)["Location"]
    tampered = b"X" + content[1:]
    response = patch(client, location, tampered, 0)
    assert response.status_code == 422
    assert "SHA-256" in response.json()["detail"]
    upload = Upload.objects.get()
    assert upload.state == "failed" and "SHA-256" in upload.error
    assert not upload.path.exists()
    assert head(client, location).status_code == 410
    assert patch(client, location, b"z", 0).status_code == 410
    assert AuditEntry.objects.filter(action="transfer.upload.failed", outcome="failure").count() == 1


@pytest.mark.django_db
def test_another_owner_sees_nothing(client):
    content = b"private" * 100
    location = create(client, content)["Location"]
    assert head(client, location, token="beta-token").status_code == 404
    assert patch(client, location, content, 0, token="beta-token").status_code == 404
    assert client.delete(location, **tus_headers("beta-token")).status_code == 404
    assert Upload.objects.get().offset == 0
    upload = Upload.objects.get()
    assert upload_get(owner="test:beta", upload_id=upload.pk) is None
    assert upload_get(owner="test:alpha", upload_id=upload.pk) == upload
    assert upload_get(owner="test:alpha", upload_id="not-a-uuid") is None


@pytest.mark.django_db
def test_unauthenticated_or_wrong_version_is_refused(client):
    content = b"a" * 10
    response = create(client, content, token=None)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    assert create(client, content, token="forged").status_code == 401
    response = client.post(URL, HTTP_AUTHORIZATION="Bearer alpha-token", HTTP_UPLOAD_LENGTH="10")
    assert response.status_code == 412 and response["Tus-Version"] == "1.0.0"
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_size_caps_are_413(client, settings):
    settings.SCIDAY_TRANSFER_MAX_BYTES = 10_000
    settings.SCIDAY_TRANSFER_MAX_CHUNK_BYTES = 4_000
    assert create(client, b"z" * 10_001).status_code == 413
    assert not Upload.objects.exists()
    content = b"z" * 10_000
    location = create(client, content)["Location"]
    response = patch(client, location, content[:4_001], 0)
    assert response.status_code == 413  # refused by the request-size middleware from Content-Length
    assert Upload.objects.get().offset == 0
    # more than the bytes still missing
    assert patch(client, location, content[:4_000], 0).status_code == 204
    upload = Upload.objects.get()
    with pytest.raises(services.TransferRefused) as refused:
        services.upload_append(upload=upload, offset=4_000, stream=io.BytesIO(b"z" * 7_000), content_length=7_000)
    assert refused.value.status == 413


@pytest.mark.django_db
def test_the_chunk_cap_overrides_the_general_request_cap_on_these_paths_only(client, settings):
    settings.SCIDAY_UPLOAD_MAX_REQUEST_BYTES = 1_000
    settings.SCIDAY_TRANSFER_MAX_CHUNK_BYTES = 50_000
    content = b"q" * 40_000
    location = create(client, content)["Location"]
    assert patch(client, location, content, 0).status_code == 204
    assert client.post("/api/v1/auth/token", b"x" * 2_000, content_type="application/json").status_code == 413


@pytest.mark.django_db
def test_an_idempotency_key_does_not_make_the_body_read_whole(client, monkeypatch):
    import idempotency.middleware as middleware

    def boom(request):
        raise AssertionError("the body must not be fingerprinted")

    monkeypatch.setattr(middleware, "request_fingerprint", boom)
    content = b"k" * 3000
    location = create(client, content)["Location"]
    response = client.generic(
        "PATCH", location, content, content_type=OCTETS, **tus_headers(Upload_Offset=0, Idempotency_Key="abc")
    )
    assert response.status_code == 204


@pytest.mark.django_db
def test_delete_abandons_and_removes_the_part(client):
    content = b"d" * 100
    location = create(client, content)["Location"]
    path = Upload.objects.get().path
    assert path.exists()
    assert client.delete(location, **tus_headers()).status_code == 204
    assert not Upload.objects.exists() and not path.exists()
    assert head(client, location).status_code == 404
    assert AuditEntry.objects.filter(action="transfer.upload.abandoned").count() == 1


@pytest.mark.django_db
def test_consume_deletes_the_file_and_is_audited(client):
    content = b"c" * 100
    create(client, content)
    upload = Upload.objects.get()
    patch(client, create.__globals__["URL"] + f"/{upload.pk}", content, 0)
    upload.refresh_from_db()
    services.upload_consume(upload=upload)
    upload.refresh_from_db()
    assert upload.state == "consumed" and not upload.path.exists()
    assert AuditEntry.objects.filter(action="transfer.upload.consumed").count() == 1
    with pytest.raises(ValueError):
        upload.open()


@pytest.mark.django_db
def test_bad_requests(client):
    assert client.post(URL, **tus_headers(Upload_Length="abc", Upload_Metadata=metadata("a", b"a"))).status_code == 400
    assert client.post(URL, **tus_headers(Upload_Length="1", Upload_Metadata="filename !!!")).status_code == 400
    response = client.post(URL, **tus_headers(Upload_Length="1", Upload_Metadata="filename YQ==,sha256 eHl6"))
    assert response.status_code == 400 and "SHA-256" in response.json()["detail"]
    location = create(client, b"abc")["Location"]
    response = client.generic(
        "PATCH", location, b"abc", content_type="application/octet-stream", **tus_headers(Upload_Offset=0)
    )
    assert response.status_code == 415


@pytest.mark.django_db
def test_prune_removes_stale_incomplete_uploads_only(client, settings):
    from django.core.management import call_command

    settings.SCIDAY_CLOCK = "2026-05-01T10:00:00+08:00"
    stale = create(client, b"s" * 10)
    complete_content = b"c" * 10
    done = create(client, complete_content, name="done.bin")
    patch(client, done["Location"], complete_content, 0)
    settings.SCIDAY_CLOCK = "2026-05-09T10:00:00+08:00"
    fresh = create(client, b"f" * 10, name="fresh.bin")
    out = io.StringIO()
    call_command("prune_transfer_uploads", stdout=out)
    assert "1" in out.getvalue()
    names = set(Upload.objects.values_list("filename", flat=True))
    assert names == {"done.bin", "fresh.bin"}
    assert stale and fresh
    assert AuditEntry.objects.filter(action="transfer.upload.pruned").count() == 1


@pytest.mark.django_db
def test_a_patch_while_another_writes_the_same_upload_is_423(client):
    import fcntl

    content = b"l" * 1000
    location = create(client, content)["Location"]
    upload = Upload.objects.get()
    with upload.path.open("r+b") as held:  # another request is writing this upload
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        response = patch(client, location, content, 0)
    assert response.status_code == 423
    assert Upload.objects.get().offset == 0
    assert patch(client, location, content, 0).status_code == 204


@pytest.mark.django_db
def test_an_empty_file_is_complete_at_creation(client):
    response = create(client, b"")
    assert response.status_code == 201
    upload = Upload.objects.get()
    assert upload.state == "complete" and upload.length == 0
    assert head(client, response["Location"])["Upload-State"] == "complete"


@pytest.mark.django_db
def test_a_file_the_disk_cannot_hold_is_refused_at_creation(client, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 5000, 5000))
    assert create(client, b"a" * 4000).status_code == 201
    response = create(client, b"b" * 2000)  # 4,000 bytes are still to come for the first
    assert response.status_code == 507
    assert Upload.objects.count() == 1
