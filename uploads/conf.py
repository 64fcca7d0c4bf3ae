"""The upload policy in one table: what each use accepts and how large it may be, with limits from settings.

Settings are read at call time (``getattr(settings, "SCIDAY_UPLOAD_...", default)``) so that tests
and deployments can change them; none of them is required.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .filetypes import DOCX, JPEG, MP4, PDF, PNG, WEBP
from .models import AssetUse

MB = 1024 * 1024


@dataclass(frozen=True)
class UseRule:
    """The file types one use accepts, its size cap and the message that names what it accepts."""

    types: tuple[str, ...]
    size_setting: str
    default_max_bytes: int
    wrong_type_message: Promise

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.size_setting, self.default_max_bytes))


USES: dict[str, UseRule] = {
    AssetUse.IMAGE: UseRule(
        (JPEG, PNG, WEBP), "SCIDAY_UPLOAD_MAX_IMAGE_BYTES", 20 * MB,
        _("Wrong file type: only JPEG, PNG or WebP images are accepted."),
    ),
    AssetUse.VIDEO: UseRule(
        (MP4,), "SCIDAY_UPLOAD_MAX_VIDEO_BYTES", 500 * MB,
        _("Wrong file type: only MP4 videos are accepted."),
    ),
    AssetUse.DOCUMENT: UseRule(
        (PDF, DOCX), "SCIDAY_UPLOAD_MAX_DOCUMENT_BYTES", 50 * MB,
        _("Wrong file type: only PDF or Word (DOCX) documents are accepted."),
    ),
    AssetUse.PLAN: UseRule(
        (PDF, DOCX, JPEG, PNG, WEBP), "SCIDAY_UPLOAD_MAX_PLAN_BYTES", 50 * MB,
        _("Wrong file type: only PDF or Word (DOCX) documents, or JPEG, PNG or WebP images, are accepted."),
    ),
}


def use_rule(use: str) -> UseRule:
    try:
        return USES[AssetUse(use)]
    except ValueError as exc:  # a typo in a caller must fail loudly, never accept everything
        raise ValueError(f"Unknown upload use {use!r}") from exc


def max_image_pixels() -> int:
    """Images with more pixels are refused before decoding (a decompression bomb guard)."""
    return int(getattr(settings, "SCIDAY_UPLOAD_MAX_IMAGE_PIXELS", 50_000_000))


def thumbnail_pixels() -> int:
    """The longer side of a thumbnail."""
    return int(getattr(settings, "SCIDAY_UPLOAD_THUMBNAIL_PIXELS", 480))


def signed_url_seconds() -> int:
    """How long a redirect to a signed object-storage URL stays valid."""
    return int(getattr(settings, "SCIDAY_UPLOAD_SIGNED_URL_SECONDS", 300))


def chunk_bytes() -> int:
    """The size of the pieces a file is streamed in."""
    return int(getattr(settings, "SCIDAY_UPLOAD_CHUNK_BYTES", 1 * MB))


def max_request_bytes() -> int:
    """The largest request body sciday accepts, judged from Content-Length before the body is read: the
    largest form (an outcome report: nine photos and a video) plus room for the other fields. nginx's
    ``client_max_body_size`` should match it (docs/deployment.md)."""
    default = USES[AssetUse.VIDEO].max_bytes + 9 * USES[AssetUse.IMAGE].max_bytes + 20 * MB
    return int(getattr(settings, "SCIDAY_UPLOAD_MAX_REQUEST_BYTES", default))
