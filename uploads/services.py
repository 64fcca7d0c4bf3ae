"""Every write to uploads: storing a file after checking what it really is, its thumbnail, deleting it.

Every file of sciday goes through ``asset_store``: activity plans and photos, summary attachments,
nomination photos and consent forms, service-record photos. A refused file leaves nothing behind.
"""

import datetime
import hashlib
import logging
import tempfile
import unicodedata
import uuid
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from audit.services import audit_record
from core.zipguard import DOCX_PARTS, ContainerRejected, check_container

from . import conf
from .filetypes import DOCX, EXTENSIONS, HEAD_BYTES, IMAGE_TYPES, PDF, PILLOW_FORMATS, is_docx, sniff
from .models import Asset, PendingUpload
from .owners import asset_owner_rules
from .pdfcheck import UnsafePdf, check_pdf
from .selectors import asset_can_delete

logger = logging.getLogger(__name__)

_MAX_NAME_CHARS = 200
# Image re-encoding output stays in memory up to this size, then spills to a temporary file.
_SPOOL_BYTES = 8 * conf.MB


class _TooLarge(Exception):
    pass


class _MeteredStream(File):
    """Hands a file to storage piece by piece, hashing and counting as it goes, and stops at the cap.

    Storage backends read it either through ``chunks()`` (file system) or ``read(n)`` (S3); both go
    through ``read`` so that nothing is ever read whole.
    """

    def __init__(self, source, *, max_bytes: int | None, chunk_size: int):
        super().__init__(source, name=getattr(source, "name", None))
        self.max_bytes = max_bytes
        self.chunk_size = chunk_size
        self._restart()

    def _restart(self):
        self.hasher = hashlib.sha256()
        self.bytes_read = 0
        self.linear = True

    def seek(self, offset, whence=0):
        if offset == 0 and whence == 0:
            self._restart()
        else:
            self.linear = False  # the running hash no longer matches; asset_store recomputes it
        return self.file.seek(offset, whence)

    def read(self, size=-1):
        data = self.file.read(size)
        self.bytes_read += len(data)
        if self.max_bytes is not None and self.bytes_read > self.max_bytes:
            raise _TooLarge
        self.hasher.update(data)
        return data

    def chunks(self, chunk_size=None):
        self.seek(0)
        while data := self.read(chunk_size or self.chunk_size):
            yield data


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is too large: at most %(limit)s is allowed.") % {"limit": filesizeformat(limit)},
        code="too_large",
    )


def _corrupt() -> ValidationError:
    return ValidationError(_("The image is damaged or incomplete and cannot be read."), code="corrupt")


def clean_original_name(name: str | None) -> str:
    """The uploaded name fit to keep as metadata: no path, no control characters, not too long."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Categories C* are control and format characters, such as a right-to-left override that would
    # make "gpj.exe" look like "exe.jpg".
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C")).strip().strip(".")
    if len(name) > _MAX_NAME_CHARS:
        path = PurePosixPath(name)
        suffix = path.suffix[:20]
        name = path.stem[: _MAX_NAME_CHARS - len(suffix)] + suffix
    return name


def download_name(asset: Asset, *, suffix: str = "", content_type: str | None = None) -> str:
    """The name a download gets: the uploaded name's stem with the extension of the detected type."""
    stem = PurePosixPath(asset.original_name).stem if asset.original_name else ""
    return f"{stem or 'file'}{suffix}.{EXTENSIONS.get(content_type or asset.content_type, 'bin')}"


def _storage_name(folder: str, extension: str) -> str:
    now = timezone.now()
    return f"uploads/{folder}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"


def _head(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    return head


def asset_check_upload(*, uploaded_file, use: str) -> str:
    """Refuse an empty, over-size or wrong-type file for ``use``; return its detected content type.

    Reads the first bytes, a DOCX's zip directory (core.zipguard: sizes, ratios, parts, macros) and a PDF's
    objects (uploads.pdfcheck: no scripts, no opening actions, no HTML); forms call it for early errors, and
    ``asset_store`` calls it again before storing anything.
    """
    rule = conf.use_rule(use)
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > rule.max_bytes:
        raise _too_large(rule.max_bytes)
    content_type = sniff(_head(uploaded_file))
    if content_type not in rule.types:
        raise ValidationError(rule.wrong_type_message, code="wrong_type")
    if content_type == DOCX:  # a zip: is it a Word document (is_docx reads one small part), and a sound one?
        if not is_docx(uploaded_file):
            raise ValidationError(rule.wrong_type_message, code="wrong_type")
        try:
            check_container(uploaded_file, parts=DOCX_PARTS)
        except ContainerRejected as error:
            raise ValidationError(error.message, code="unsafe_container") from None
    if content_type == PDF:
        try:
            check_pdf(uploaded_file)
        except UnsafePdf as error:
            raise ValidationError(_("This PDF contains HTML; it is refused. Print the document to PDF again "
                                    "and upload that.") if error.reason == "html" else
                                  _("This PDF runs scripts or actions when it is opened; it is refused. Print "
                                    "the document to PDF again (without scripts) and upload that."),
                                  code="unsafe_pdf") from None
    return content_type


def _reencode_image(uploaded_file, content_type: str):
    """A clean copy of the image: orientation applied, every metadata block (EXIF, GPS, XMP) dropped.

    Returns a temporary file holding the new image. Refuses images with too many pixels before
    decoding them, and damaged or truncated images.
    """
    uploaded_file.seek(0)
    pillow_format = PILLOW_FORMATS[content_type]
    try:
        with Image.open(uploaded_file, formats=[pillow_format]) as image:
            if image.width * image.height > conf.max_image_pixels():
                raise ValidationError(
                    _("The image has too many pixels: at most %(limit)s million are allowed.")
                    % {"limit": conf.max_image_pixels() // 1_000_000},
                    code="too_many_pixels",
                )
            image.load()
            icc_profile = image.info.get("icc_profile")
            clean = ImageOps.exif_transpose(image)
            # exif_transpose keeps the rest of the metadata in .info, and Pillow writes some of it
            # (XMP, EXIF) back on save: start from nothing.
            clean.info = {}
    except Image.DecompressionBombError:
        raise ValidationError(
            _("The image has too many pixels: at most %(limit)s million are allowed.")
            % {"limit": conf.max_image_pixels() // 1_000_000},
            code="too_many_pixels",
        )
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        logger.info("Refused a damaged %s upload: %s", content_type, exc)
        raise _corrupt()

    options = {"icc_profile": icc_profile} if icc_profile else {}
    if pillow_format in ("JPEG", "WEBP"):
        options["quality"] = 90
    output = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - closed by the caller
    try:
        clean.save(output, format=pillow_format, **options)
    except (OSError, ValueError) as exc:
        output.close()
        logger.info("Could not re-encode a %s upload: %s", content_type, exc)
        raise _corrupt()
    output.seek(0)
    return output


def _discard(storage, names) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # a leftover file must never turn a refusal into a server error
            logger.exception("Could not delete the stored file %s", name)


def _sha256(fileobj, chunk_size: int) -> str:
    hasher = hashlib.sha256()
    fileobj.seek(0)
    while data := fileobj.read(chunk_size):
        hasher.update(data)
    return hasher.hexdigest()


def asset_store(*, uploaded_file, use: str, owner, unit=None, is_public: bool = False) -> Asset:
    """Check an uploaded file against its use, store it under a random name and return its Asset.

    Images are stored as a re-encoded copy without metadata, and get a thumbnail in the background;
    everything else is streamed to storage as it is. Raises ValidationError (nothing is stored) for
    an empty, over-size, wrong-type or damaged file.
    """
    rule = conf.use_rule(use)
    content_type = asset_check_upload(uploaded_file=uploaded_file, use=use)
    chunk_size = conf.chunk_bytes()
    storage = Asset._meta.get_field("file").storage
    name = _storage_name(str(use), EXTENSIONS[content_type])

    if content_type in IMAGE_TYPES:
        source = _reencode_image(uploaded_file, content_type)
        max_bytes = None  # the cap applies to what was uploaded; the clean copy may differ a little
    else:
        source = uploaded_file
        max_bytes = rule.max_bytes
    stream = _MeteredStream(source, max_bytes=max_bytes, chunk_size=chunk_size)
    stored_name = None
    try:
        stored_name = storage.save(name, stream)
        if stream.linear:
            sha256, size = stream.hasher.hexdigest(), stream.bytes_read
        else:  # the backend jumped around in the stream: hash the source in a second pass
            sha256, size = _sha256(source, chunk_size), source.seek(0, 2)
        with transaction.atomic():
            asset = Asset.objects.create(
                use=use, content_type=content_type, size=size, sha256=sha256,
                original_name=clean_original_name(getattr(uploaded_file, "name", "")),
                file=stored_name, owner=owner if getattr(owner, "pk", None) else None, unit=unit,
                is_public=is_public,
            )
            audit_record(
                action="uploads.asset.stored", actor=owner, obj=asset,
                changes={"use": str(use), "content_type": content_type, "size": size, "unit": unit,
                         "is_public": is_public},
            )
    except _TooLarge:
        _discard(storage, [stored_name or name])
        raise _too_large(rule.max_bytes)
    except BaseException:
        _discard(storage, [stored_name or name])
        raise
    finally:
        if source is not uploaded_file:
            source.close()

    if asset.is_image:
        from .tasks import asset_thumbnail_task

        transaction.on_commit(lambda: asset_thumbnail_task.enqueue(asset.pk))
    return asset


def assets_store_many(*, files, use: str, owner, unit=None, is_public: bool = False) -> list[Asset]:
    """Store several uploads for one use, all or none: if one is refused, those stored are removed."""
    stored: list[Asset] = []
    for uploaded_file in files:
        try:
            stored.append(asset_store(uploaded_file=uploaded_file, use=use, owner=owner, unit=unit,
                                      is_public=is_public))
        except ValidationError as exc:
            for asset in stored:
                _asset_remove(asset=asset, actor=owner)
            name = clean_original_name(getattr(uploaded_file, "name", ""))
            raise ValidationError(
                [_("%(name)s: %(reason)s") % {"name": name, "reason": message} for message in exc.messages],
                code=getattr(exc, "code", None),
            )
    return stored


def asset_files_delete_on_commit(names) -> None:
    """Once the transaction commits, a task deletes these stored files (a rolled-back delete keeps them)."""
    from .tasks import asset_files_delete_task

    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: asset_files_delete_task.enqueue(names))


def _asset_remove(*, asset: Asset, actor, erase: bool = False) -> None:
    with transaction.atomic():
        locked = Asset.objects.select_for_update().filter(pk=asset.pk).first()
        if locked is None:  # already removed
            return
        names = [locked.file.name, locked.thumbnail.name]
        changes = {"use": locked.use, "sha256": locked.sha256}
        if not erase:  # an erasure of personal data keeps no file name in the log either
            changes["original_name"] = locked.original_name
        audit_record(action="uploads.asset.deleted", actor=actor, obj=locked, changes=changes)
        locked.delete()
        asset_files_delete_on_commit(names)


def assets_release(*, actor, assets, erase: bool = False) -> int:
    """Delete files that nothing holds any more: a replaced plan or photo, a detached attachment.

    Call it in the transaction that let go of them, after the owner rows changed; a file some other
    row still holds (uploads.owners) stays. The rows go now (so the file is no longer served) and
    the stored files go by a task once the transaction commits. ``erase``: personal data is being
    erased, so the audit entry keeps no file name. Returns how many were deleted.
    """
    released = 0
    for asset in assets:
        if asset is None or next(asset_owner_rules(asset), None) is not None:
            continue
        _asset_remove(asset=asset, actor=actor, erase=erase)
        released += 1
    return released


def asset_delete(*, actor, asset: Asset) -> None:
    """Delete a file and its thumbnail; allowed to its owner, organisers and its unit's coordinators."""
    if not asset_can_delete(actor, asset):
        from audit.models import AuditEntry

        audit_record(
            action="permissions.denied", actor=actor, obj=asset, changes={"permission": "asset.delete"},
            outcome=AuditEntry.Outcome.DENIED,
        )
        raise PermissionDenied("asset.delete")
    _asset_remove(asset=asset, actor=actor)


def asset_thumbnail_create(*, asset: Asset) -> str:
    """Make the thumbnail of an image asset (a JPEG, longer side SCIDAY_UPLOAD_THUMBNAIL_PIXELS) and store it.

    Returns the thumbnail's storage name; empty for an asset that is not an image or whose file is gone.
    """
    if not asset.is_image:
        return ""
    if asset.thumbnail:
        return asset.thumbnail.name
    storage = asset.file.storage
    pixels = conf.thumbnail_pixels()
    try:
        with storage.open(asset.file.name, "rb") as handle, Image.open(handle) as image:
            image.thumbnail((pixels, pixels))  # for JPEG this decodes at a reduced scale
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                rgba = image.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                image = flat
            elif image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = BytesIO()
            image.save(buffer, format="JPEG", quality=82)
    except FileNotFoundError:
        return ""
    name = storage.save(_storage_name("thumbs", "jpg"), ContentFile(buffer.getvalue()))
    updated = Asset.objects.filter(pk=asset.pk, thumbnail="").update(thumbnail=name)
    if not updated:  # deleted meanwhile, or another worker was first
        _discard(storage, [name])
        return ""
    asset.thumbnail.name = name
    return name


# --- files kept while a long form is corrected ------------------------------------------------------

PENDING_FOR = datetime.timedelta(days=1)


def pending_keep(*, owner, field: str, uploaded_file, use: str) -> PendingUpload:
    """Keep a checked upload of ``owner`` for the form field ``field`` until the form is saved (a day at most)."""

    asset = asset_store(uploaded_file=uploaded_file, use=use, owner=owner)
    return PendingUpload.objects.create(owner=owner, asset=asset, field=field)


def pending_get(*, owner, field: str, tokens) -> list:
    """``owner``'s kept files for ``field`` among ``tokens`` (another person's token finds nothing)."""
    valid = []
    for token in tokens:
        try:
            valid.append(uuid.UUID(str(token)))
        except ValueError:
            continue
    if not valid or not getattr(owner, "pk", None):
        return []
    since = timezone.now() - PENDING_FOR
    return list(PendingUpload.objects.select_related("asset").filter(
        owner=owner, field=field, token__in=valid, created_at__gte=since).order_by("pk"))


def pending_as_upload(pending) -> UploadedFile:
    """The kept file as an upload again (streamed from storage), for the service that stores it for good."""
    asset = pending.asset
    upload = UploadedFile(file=asset.file.open("rb"), name=asset.original_name or asset.file.name,
                          content_type=asset.content_type, size=asset.size)
    upload._kept = True  # already kept: not kept a second time if the form is refused again
    return upload


def pending_forget(*, pendings) -> None:
    """The form was saved: its kept files were stored for good, the pending copies go."""
    for pending in pendings:
        _asset_remove(asset=pending.asset, actor=pending.owner)


def pending_prune(*, now=None) -> int:
    """Remove kept files older than a day (``manage.py prune_pending_uploads``); returns how many."""
    cutoff = (now or timezone.now()) - PENDING_FOR
    old = list(PendingUpload.objects.select_related("asset", "owner").filter(created_at__lt=cutoff))
    for pending in old:
        _asset_remove(asset=pending.asset, actor=None)
    return len(old)
