"""The roll-up API at the receiving level (docs/rollup.md), authenticated by an upward link's token:

- ``POST /api/v1/rollup/packages`` — a package as multipart (field ``package``, a .zip) or, after a resumable
  upload through the transfer app, ``{"upload": "<upload id>"}``; ``?dry_run=1`` answers the import summary
  without writing anything.
- ``GET /api/v1/rollup/decisions?since=…`` — the decisions on the sender's recommended activities, changed after
  ``since`` (ISO 8601), oldest first, with the cursor to ask from next time.
"""

import json
from importlib.util import find_spec

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status as Reply

from . import selectors, services
from .auth import UpwardLinkAuth

router = Router(tags=["rollup"])


class RefusalOut(Schema):
    detail: str
    code: str = ""
    errors: list[str] = []


class ImportCounts(Schema):
    new: int
    updated: int
    unchanged: int
    removed: int
    refused: int


class ImportSummaryOut(Schema):
    package_id: str
    dry_run: bool
    package: str
    counts: ImportCounts
    records: dict


class DecisionOut(Schema):
    id: str
    decision: str
    reason: str
    decided_at: str


class DecisionsOut(Schema):
    campaign: str
    decisions: list[DecisionOut]
    cursor: str


PACKAGE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["package"], "properties": {
            "package": {"type": "string", "format": "binary", "description": "the upward package (.zip)"}}}},
        "application/json": {"schema": {"type": "object", "required": ["upload"], "properties": {
            "upload": {"type": "string", "description": "the id of a complete resumable upload (transfer app)"}}}},
    },
}


def _refused(exc: services.PackageRefused):
    return Reply(exc.status, {"detail": exc.message, "code": exc.code, "errors": exc.errors})


def transfer_available() -> bool:
    return find_spec("transfer") is not None


@router.post("/rollup/packages", auth=UpwardLinkAuth(),
             response={200: ImportSummaryOut, 201: ImportSummaryOut, 400: RefusalOut, 403: RefusalOut,
                       409: RefusalOut, 413: RefusalOut, 422: RefusalOut, 501: RefusalOut},
             openapi_extra={"requestBody": PACKAGE_BODY},
             summary="Send an upward package (multipart .zip, or the id of a resumable upload); dry_run=1 only checks")
def package_post(request, dry_run: bool = False):
    link = request.auth
    upload = None
    if request.content_type == "multipart/form-data":
        fileobj = request.FILES.get("package")
        if fileobj is None:
            return Reply(400, {"detail": _("Send the package as the multipart field “package”."), "code": "body"})
    else:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = None
        upload_id = body.get("upload") if isinstance(body, dict) else None
        if not isinstance(upload_id, str) or not upload_id:
            return Reply(400, {"detail": _("Send the package as multipart, or {\"upload\": \"<upload id>\"}."),
                               "code": "body"})
        if not transfer_available():
            return Reply(501, {"detail": _("Resumable uploads are not available on this sciday; send the package "
                                           "as multipart."), "code": "transfer_unavailable"})
        upload = selectors.transfer_upload(link=link, upload_id=upload_id)
        if upload is None or upload.state != "complete":
            return Reply(400, {"detail": _("There is no complete upload with this id for this link."),
                               "code": "upload"})
        fileobj = upload.open()
    try:
        summary = services.package_import(fileobj=fileobj, link=link, dry_run=dry_run)
    except services.PackageRefused as exc:
        return _refused(exc)
    finally:
        if upload is not None:
            fileobj.close()
    if upload is not None and not dry_run:
        from transfer.services import upload_consume

        upload_consume(upload=upload)
    created = summary["package"] == "new" and not dry_run
    return Reply(201 if created else 200, summary)


@router.get("/rollup/decisions", auth=UpwardLinkAuth(), response={200: DecisionsOut, 422: RefusalOut},
            summary="The decisions on the sender's recommended activities changed after `since` (ISO 8601)")
def decisions_get(request, since: str = ""):
    link = request.auth
    after = None
    if since:
        after = parse_datetime(since)
        if after is None:
            return Reply(422, {"detail": _("“since” must be an ISO 8601 date-time."), "code": "since"})
    decisions, cursor = selectors.decisions_for_link(link=link, since=after)
    return Reply(200, {"campaign": link.sender_campaign, "decisions": decisions, "cursor": cursor or since})
