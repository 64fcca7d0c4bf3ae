"""The tus 1.0 endpoints (core protocol + creation + termination): headers in, a service call, statuses out.

Plain Django views, not django-ninja: ninja reads a request's whole body before the view runs, and a
PATCH body must be streamed to disk in pieces. CSRF does not apply (no cookie authenticates here:
the caller sends a bearer token that a registered authenticator checks, transfer.registry).
"""

import base64
import binascii

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import conf, registry, services
from .models import Upload
from .selectors import upload_get

OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = conf.TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _empty(status: int = 204, **headers) -> HttpResponse:
    response = HttpResponse(status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return _tus(response)


def _refuse(status: int, message: str, **headers) -> HttpResponse:
    response = JsonResponse({"detail": str(message)}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return _tus(response)


def _options() -> HttpResponse:
    return _empty(
        204,
        Tus_Version=conf.TUS_VERSION,
        Tus_Extension=conf.TUS_EXTENSIONS,
        Tus_Max_Size=conf.max_bytes(),
        Sciday_Max_Chunk_Size=conf.max_chunk_bytes(),
    )


def _precheck(request):
    """(owner, None) or (None, the refusal): the caller's token first (a stranger learns nothing, not even the
    protocol), then the protocol version."""
    owner = registry.authenticate(request)
    if owner is None:
        response = _refuse(401, _("Send a valid transfer token (Authorization: Bearer …)."))
        response["WWW-Authenticate"] = "Bearer"
        return None, response
    if request.headers.get("Tus-Resumable") != conf.TUS_VERSION:
        return None, _refuse(
            412, _("Unsupported protocol version: send Tus-Resumable: 1.0.0."), Tus_Version=conf.TUS_VERSION
        )
    return owner, None


def parse_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs (a key alone has an empty value)."""
    metadata = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _sep, value = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(key) from None
    return metadata


def _int_header(request, name: str) -> int | None:
    value = request.headers.get(name)
    if value is None or not value.isdigit():
        return None
    return int(value)


@csrf_exempt
def uploads(request):
    """``/api/v1/transfer/uploads``: OPTIONS (what the server supports), POST (create an upload)."""
    if request.method == "OPTIONS":
        return _options()
    if request.method != "POST":
        return _refuse(405, _("Method not allowed."), Allow="OPTIONS, POST")
    owner, refusal = _precheck(request)
    if refusal:
        return refusal
    if request.headers.get("Upload-Defer-Length"):
        return _refuse(400, _("Announce the length of the file (Upload-Length); deferring it is not supported."))
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _refuse(400, _("Upload-Length must be the file's size in bytes."))
    try:
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _refuse(400, _("Upload-Metadata is not valid: each value must be base64."))
    try:
        upload = services.upload_create(
            owner=owner, filename=metadata.get("filename", ""), length=length, sha256=metadata.get("sha256", "")
        )
    except services.TransferRefused as refused:
        return _refuse(refused.status, refused.message)
    except ValidationError as error:
        return _refuse(400, " ".join(str(m) for messages in error.message_dict.values() for m in messages))
    # A path, not an absolute URL: behind nginx the Host the app sees may lack the public port or
    # scheme; tus clients resolve the Location against the URL they sent the POST to (RFC 9110 allows it).
    location = reverse("transfer:upload", args=[upload.pk])
    return _empty(201, Location=location, Upload_Offset=upload.offset)


@csrf_exempt
def upload(request, upload_id):
    """``/api/v1/transfer/uploads/<id>``: HEAD (the offset), PATCH (append), DELETE (abandon), GET (state)."""
    if request.method == "OPTIONS":
        return _options()
    owner, refusal = _precheck(request)
    if refusal:
        return refusal
    found = upload_get(owner=owner, upload_id=upload_id)
    if found is None:
        return _refuse(404, _("No such transfer."))
    if request.method == "HEAD":
        if found.state in (Upload.State.FAILED, Upload.State.CONSUMED):
            return _empty(410, Upload_State=found.state)
        return _empty(200, Upload_Offset=found.offset, Upload_Length=found.length, Upload_State=found.state)
    if request.method == "GET":
        return _tus(
            JsonResponse(
                {
                    "id": str(found.pk),
                    "filename": found.filename,
                    "length": found.length,
                    "offset": found.offset,
                    "state": found.state,
                    "error": found.error,
                }
            )
        )
    if request.method == "DELETE":
        services.upload_abandon(upload=found)
        return _empty(204)
    if request.method != "PATCH":
        return _refuse(405, _("Method not allowed."), Allow="OPTIONS, HEAD, GET, PATCH, DELETE")
    if request.content_type != OFFSET_CONTENT_TYPE:
        return _refuse(415, _("A piece must be sent as application/offset+octet-stream."))
    offset = _int_header(request, "Upload-Offset")
    if offset is None:
        return _refuse(400, _("Upload-Offset must be the position of this piece in bytes."))
    content_length = _int_header(request, "Content-Length")
    if content_length is None:
        return _refuse(411, _("Send the piece with a Content-Length."))
    try:
        result = services.upload_append(upload=found, offset=offset, stream=request, content_length=content_length)
    except services.TransferRefused as refused:
        headers = {"Upload_Offset": refused.offset} if refused.offset is not None else {}
        response = _refuse(refused.status, refused.message, **headers)
        if refused.status in (413, 409, 423):
            response["Connection"] = "close"  # the body was not read: this connection cannot carry another
        return response
    if result.upload.state == Upload.State.FAILED:
        return _refuse(422, result.upload.error, Upload_Offset=result.upload.offset, Upload_State="failed")
    return _empty(204, Upload_Offset=result.upload.offset, Upload_State=result.upload.state)
