"""Every write of the transfer app: create an upload, append a PATCH body, verify, consume, abandon, prune.

The protocol's rules live here; views.py only translates headers and statuses. A PATCH body is read
from the request in pieces of conf.PIECE_BYTES and written straight to the part file, so memory
does not grow with the chunk or the file. The part is locked (flock) while a PATCH writes to it: a
client that resumes while its previous, cut request is still being read gets 423 and retries.

The SHA-256 is checked once, when the last byte has arrived, by reading the part again in pieces.
hashlib cannot save a digest's state between requests (a resume may land on another worker or
server), and reading the file again costs about 1.6 s per GiB here (hashlib runs at ~1.3 GB/s on
this machine), against ~11 minutes to receive 2 GiB at 3 MB/s: docs/transfer.md.
"""

import fcntl
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import audit_record
from core import clock
from core.exceptions import TransitionNotAllowed

from . import conf
from .models import Upload

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
RECORD_EVERY = 4  # pieces between two writes of the offset to the database (a killed worker loses at most these)

TRANSITIONS = {
    (Upload.State.RECEIVING, "complete"): Upload.State.COMPLETE,
    (Upload.State.RECEIVING, "fail"): Upload.State.FAILED,
    (Upload.State.COMPLETE, "consume"): Upload.State.CONSUMED,
}


class TransferRefused(Exception):
    """A request the protocol refuses: ``status`` is the HTTP status the view answers with."""

    def __init__(self, status: int, message: str, *, offset: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.offset = offset


@dataclass
class AppendResult:
    upload: Upload
    received: int  # bytes of this request's body written
    cut: bool  # the body ended before its Content-Length (the connection was lost)


def _move(upload: Upload, event: str) -> str:
    try:
        return TRANSITIONS[(upload.state, event)]
    except KeyError:
        raise TransitionNotAllowed(_("This transfer cannot do that now."), state=upload.state, action=event) from None


def _clean_filename(filename: str) -> str:
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255]


def upload_create(*, owner: str, filename: str, length: int, sha256: str) -> Upload:
    """A new, empty upload of ``length`` bytes whose content must hash to ``sha256`` (hex)."""
    errors = {}
    name = _clean_filename(filename)
    if not name:
        errors["filename"] = _("The file name is missing.")
    sha = (sha256 or "").strip().lower()
    if not SHA256_RE.match(sha):
        errors["sha256"] = _("The SHA-256 must be 64 hexadecimal characters.")
    if length < 0:
        errors["length"] = _("The length must not be negative.")
    if errors:
        raise ValidationError(errors)
    if length > conf.max_bytes():
        raise TransferRefused(
            413,
            _("The file is too large: a transfer may carry at most %(limit)s.")
            % {"limit": filesizeformat(conf.max_bytes())},
        )
    upload = Upload(owner=owner, filename=name, length=length, sha256=sha)
    directory = conf.storage_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # Refuse at once what the disk cannot hold (with room for the uploads already receiving), rather
    # than after an hour of sending. Not a reservation: two large uploads at once can still meet a full disk.
    pending = sum(
        u.length - u.offset for u in Upload.objects.filter(state=Upload.State.RECEIVING).only("length", "offset")
    )
    if shutil.disk_usage(directory).free < length + pending:
        raise TransferRefused(507, _("The server has no room for this file now; try again later."))
    with transaction.atomic():
        upload.save()
        # O_EXCL: a new id never reuses a file; 0o600: the part is the app's alone.
        os.close(os.open(upload.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        audit_record(
            action="transfer.upload.created",
            obj=upload,
            actor_name=owner,
            changes={"filename": name, "length": length, "sha256": sha},
        )
    if length == 0:
        upload = _finish(upload)
    return upload


def upload_append(*, upload: Upload, offset: int, stream, content_length: int) -> AppendResult:
    """Write the PATCH body ``stream`` (``content_length`` bytes announced) at ``offset``.

    Refusals (TransferRefused): 409 the offset is not where the upload stands, 423 another request is
    writing this upload, 413 the body is larger than a chunk or than the bytes still missing, 410 the
    upload is no longer receiving. A body cut short keeps the bytes that arrived."""
    if upload.state != Upload.State.RECEIVING:
        if upload.state == Upload.State.COMPLETE and offset == upload.length and content_length == 0:
            return AppendResult(upload, 0, False)  # a repeated last request: nothing to do
        raise TransferRefused(
            410 if upload.state != Upload.State.COMPLETE else 409,
            _("This transfer is no longer receiving data."),
            offset=upload.offset,
        )
    if content_length > conf.max_chunk_bytes():
        raise TransferRefused(
            413,
            _("The piece is too large: one request may carry at most %(limit)s.")
            % {"limit": filesizeformat(conf.max_chunk_bytes())},
        )
    try:
        part = open(upload.path, "r+b")  # noqa: SIM115 - held open for the lock, closed below
    except FileNotFoundError:
        raise TransferRefused(410, _("This transfer is no longer receiving data.")) from None
    with part:
        try:
            fcntl.flock(part.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TransferRefused(
                423, _("This transfer is receiving another request; try again in a moment."), offset=upload.offset
            ) from None
        try:
            upload.refresh_from_db()  # what the request that held the lock recorded
        except Upload.DoesNotExist:  # abandoned (DELETE) meanwhile
            raise TransferRefused(410, _("This transfer is no longer receiving data.")) from None
        if upload.state != Upload.State.RECEIVING:
            raise TransferRefused(410, _("This transfer is no longer receiving data."), offset=upload.offset)
        size = os.fstat(part.fileno()).st_size
        if size < upload.offset:  # the machine crashed after the offset was recorded: trust the file
            upload.offset = size
            Upload.objects.filter(pk=upload.pk).update(offset=size, updated=clock.now())
        if offset != upload.offset:
            raise TransferRefused(
                409,
                _("The offset does not match: ask for the current offset (HEAD) and resume from there."),
                offset=upload.offset,
            )
        if offset + content_length > upload.length:
            raise TransferRefused(413, _("The piece goes past the announced length of the file."), offset=upload.offset)
        part.truncate(offset)  # bytes written after the last recorded offset (a killed worker's) go
        part.seek(offset)
        received, cut, pieces = 0, False, 0
        try:
            while received < content_length:
                try:
                    data = stream.read(min(conf.PIECE_BYTES, content_length - received))
                except OSError:  # the connection was reset or timed out
                    data = b""
                if not data:
                    cut = True
                    break
                part.write(data)
                received += len(data)
                pieces += 1
                if pieces % RECORD_EVERY == 0:
                    part.flush()
                    Upload.objects.filter(pk=upload.pk).update(offset=offset + received, updated=clock.now())
        finally:
            part.flush()
            os.fsync(part.fileno())
            upload.offset = offset + received
            Upload.objects.filter(pk=upload.pk).update(offset=upload.offset, updated=clock.now())
        if upload.offset == upload.length:
            upload = _finish(upload)
    return AppendResult(upload, received, cut)


def file_sha256(path) -> str:
    """The SHA-256 of a file, read in pieces (memory stays flat)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while piece := handle.read(conf.PIECE_BYTES):
            digest.update(piece)
    return digest.hexdigest()


def _finish(upload: Upload) -> Upload:
    """The last byte has arrived: check the SHA-256 and move to complete, or to failed with the reason."""
    actual = file_sha256(upload.path)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if actual == upload.sha256:
            upload.state = _move(upload, "complete")
            upload.error = ""
        else:
            upload.state = _move(upload, "fail")
            upload.error = _(
                "The file's SHA-256 (%(actual)s) is not the one announced (%(expected)s): the file "
                "was damaged on the way; send it again."
            ) % {"actual": actual, "expected": upload.sha256}
        upload.save(update_fields=["state", "error", "updated"])
        audit_record(
            action=f"transfer.upload.{upload.state}",
            obj=upload,
            actor_name=upload.owner,
            changes={"sha256": actual, "length": upload.length},
            outcome=AuditEntry.Outcome.SUCCESS if upload.state == Upload.State.COMPLETE else AuditEntry.Outcome.FAILURE,
        )
    if upload.state == Upload.State.FAILED:
        upload.path.unlink(missing_ok=True)
    return upload


def upload_consume(*, upload: Upload) -> Upload:
    """The receiving app has taken the complete file: delete it and mark the upload consumed."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        upload.state = _move(upload, "consume")
        upload.save(update_fields=["state", "updated"])
        audit_record(
            action="transfer.upload.consumed",
            obj=upload,
            actor_name=upload.owner,
            changes={"filename": upload.filename, "length": upload.length},
        )
    upload.path.unlink(missing_ok=True)
    return upload


def upload_abandon(*, upload: Upload, reason: str = "abandoned") -> None:
    """The sender gives up (tus DELETE), or the upload went stale: remove the part and the record."""
    with transaction.atomic():
        audit_record(
            action=f"transfer.upload.{reason}",
            obj=upload,
            actor_name=upload.owner,
            changes={
                "filename": upload.filename,
                "offset": upload.offset,
                "length": upload.length,
                "state": upload.state,
            },
        )
        Upload.objects.filter(pk=upload.pk).delete()
    upload.path.unlink(missing_ok=True)


def upload_prune_stale() -> int:
    """Remove uploads left receiving (or failed) for longer than SCIDAY_TRANSFER_STALE_HOURS. Idempotent."""
    cutoff = clock.now() - timedelta(hours=conf.stale_hours())
    stale = Upload.objects.filter(state__in=[Upload.State.RECEIVING, Upload.State.FAILED], updated__lt=cutoff)
    count = 0
    for upload in stale.iterator():
        upload_abandon(upload=upload, reason="pruned")
        count += 1
    return count
