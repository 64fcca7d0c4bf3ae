"""The transfer app's limits, read from settings at call time (tests and deployments change them).

- SCIDAY_TRANSFER_MAX_BYTES: the largest file one upload may announce (default 2 GiB).
- SCIDAY_TRANSFER_MAX_CHUNK_BYTES: the largest body of one PATCH (default 16 MiB). nginx's
  ``client_max_body_size`` on /api/v1/transfer/ must equal it (deploy/nginx/sciday.conf), and
  uploads.middleware.RequestSizeLimitMiddleware allows exactly this much on these paths.
- SCIDAY_TRANSFER_DIR: where the parts are written, a private directory no URL serves (default
  MEDIA_ROOT/transfer; it must be on a local or shared POSIX file system: a part is appended to).
- SCIDAY_TRANSFER_STALE_HOURS: an upload untouched this long is pruned (default 7 days).
"""

from pathlib import Path

from django.conf import settings

MiB = 1024 * 1024
GiB = 1024 * MiB
PREFIX = "/api/v1/transfer/"  # the paths whose bodies are streamed (middleware exemptions key on it)
TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination"
PIECE_BYTES = 1 * MiB  # a PATCH body is read and written in pieces of this size


def max_bytes() -> int:
    return int(getattr(settings, "SCIDAY_TRANSFER_MAX_BYTES", 2 * GiB))


def max_chunk_bytes() -> int:
    return int(getattr(settings, "SCIDAY_TRANSFER_MAX_CHUNK_BYTES", 16 * MiB))


def storage_dir() -> Path:
    configured = getattr(settings, "SCIDAY_TRANSFER_DIR", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "transfer"


def stale_hours() -> int:
    return int(getattr(settings, "SCIDAY_TRANSFER_STALE_HOURS", 24 * 7))
