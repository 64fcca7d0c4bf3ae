"""Serving stored files: public ones to anyone, private ones after a permission check, 404 otherwise."""

import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.decorators import public_view

from . import conf
from .filetypes import INLINE_TYPES, JPEG
from .selectors import asset_get_visible
from .services import download_name


def _signed_url(storage, name: str, *, content_type: str, disposition: str) -> str | None:
    """An absolute URL the browser may fetch the file from directly (object storage), else None.

    django-storages' S3 backend signs the URL for a short time and makes the object store send our
    content type and disposition; a local FileSystemStorage gives a relative /media/ URL: stream it.
    """
    try:
        if getattr(storage, "querystring_auth", False):
            url = storage.url(
                name,
                parameters={"ResponseContentType": content_type, "ResponseContentDisposition": disposition},
                expire=conf.signed_url_seconds(),
            )
        else:
            url = storage.url(name)
    except (NotImplementedError, ValueError, TypeError):
        return None
    return url if url.startswith(("https://", "http://")) else None


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int):
    """(first, last) of a single "bytes=" range; None to send the whole file; "invalid" for 416.

    Browsers play video by asking for ranges (Safari will not play an MP4 without them); several
    ranges in one request are rare and get the whole file, which the standard allows.
    """
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
        if int(last) == 0:
            return "invalid"
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start > end or start >= size:
        return "invalid"
    return start, end


def _read_range(handle, start: int, length: int, chunk_size: int):
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(chunk_size, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def _partial(request, handle, *, content_type: str, headers: dict):
    """A 206 (or 416) response for a Range request, streamed like FileResponse; None if there is none."""
    header = request.headers.get("Range")
    if not header:
        return None
    size = handle.size
    byte_range = _byte_range(header, size)
    if byte_range is None:
        return None
    if byte_range == "invalid":
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = byte_range
    length = end - start + 1
    response = StreamingHttpResponse(_read_range(handle, start, length, conf.chunk_bytes()), status=206,
                                     content_type=content_type, headers=headers)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    return response


def _accel_redirect(name: str, *, content_type: str, disposition: str, headers: dict):
    """The permission check passed: nginx sends the file (ranges included) from its internal location.

    No byte of the file passes through Python; nginx keeps the headers set here (it only replaces
    Content-Length and answers Range requests itself).
    """
    headers = {key: value for key, value in headers.items() if key != "Accept-Ranges"}  # nginx says it itself
    response = HttpResponse(content_type=content_type, headers={**headers, "Content-Disposition": disposition})
    response["X-Accel-Redirect"] = settings.SCIDAY_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + quote(name)
    return response


def _serve(request, asset, field_file, *, content_type: str, filename: str):
    if not field_file:
        raise Http404
    inline = content_type in INLINE_TYPES
    disposition = content_disposition_header(not inline, filename)
    storage = field_file.storage
    url = _signed_url(storage, field_file.name, content_type=content_type, disposition=disposition)
    if url is not None:
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"  # the signed URL expires; never reuse it
        return response
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Accept-Ranges": "bytes",
        # Names are never reused, so a file may be cached; a private one only by the browser.
        "Cache-Control": "public, max-age=86400" if asset.is_public else "private, max-age=3600",
    }
    if settings.SCIDAY_ACCEL_REDIRECT:
        return _accel_redirect(field_file.name, content_type=content_type, disposition=disposition, headers=headers)
    try:
        handle = storage.open(field_file.name, "rb")
    except FileNotFoundError:
        raise Http404
    partial = _partial(request, handle, content_type=content_type, headers={**headers, "Content-Disposition": disposition})
    if partial is not None:
        return partial
    # FileResponse sends the file in blocks as the client reads them; nothing is read whole.
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    for key, value in headers.items():
        response[key] = value
    return response


@require_safe
@public_view  # public assets to anyone; private ones after the permission check inside
def asset_file(request, public_id):
    asset = asset_get_visible(user=request.user, public_id=public_id)
    return _serve(request, asset, asset.file, content_type=asset.content_type, filename=download_name(asset))


@require_safe
@public_view
def asset_thumbnail(request, public_id):
    asset = asset_get_visible(user=request.user, public_id=public_id)
    return _serve(request, asset, asset.thumbnail, content_type=JPEG, filename=download_name(asset, suffix="-thumb", content_type=JPEG))

