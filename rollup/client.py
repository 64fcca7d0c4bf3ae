"""The sending level's side of the wire: push the package 「上报」 and pull the decisions 「获取省级决定」.

The package is written to a temporary file (never held whole in memory). A package above
``SCIDAY_ROLLUP_RESUMABLE_BYTES`` goes through the transfer app's resumable upload (tus 1.0 style: sent in
8 MB chunks, resumed from the last confirmed offset after an interruption) and is then imported by its upload
id; a smaller one, or any package where the transfer app is absent, as one multipart request. A pull asks for
the decisions changed since the last one; the city needs no inbound connectivity."""

import json
import tempfile
from importlib.util import find_spec
from pathlib import Path

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from . import services
from .models import ProvinceLink
from .package import package_write

TIMEOUT = (10, 600)


class PushFailed(Exception):
    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message, self.result = message, result or {}


def _headers(link: ProvinceLink) -> dict:
    token = services.province_token(link)
    if not token:
        raise PushFailed(_("Enter the token the province gave you first."))
    return {"Authorization": f"Bearer {token}", "Accept-Language": "zh-hans"}


def resumable_threshold() -> int:
    return settings.SCIDAY_ROLLUP_RESUMABLE_BYTES


def _answer(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = {"detail": response.text[:300]}
    return {"status": response.status_code, **(body if isinstance(body, dict) else {"detail": str(body)})}


def push(*, actor, link: ProvinceLink, dry_run: bool = False, on_progress=None) -> dict:
    """Build the package and send it to the province; the province's answer (import summary or refusal)."""
    headers = _headers(link)
    endpoint = f"{link.address}/api/v1/rollup/packages" + ("?dry_run=1" if dry_run else "")
    with tempfile.TemporaryDirectory(prefix="sciday-upward-") as folder:
        path = Path(folder) / f"{link.campaign.slug}-upward-package.zip"
        package_write(campaign=link.campaign, target=path)
        size = path.stat().st_size
        try:
            if size > resumable_threshold() and find_spec("transfer") is not None:
                from transfer.client import send_file

                upload_id = send_file(endpoint=f"{link.address}/api/v1/transfer/uploads", path=path,
                                      headers=headers, on_progress=on_progress)
                response = requests.post(endpoint, data=json.dumps({"upload": upload_id}), timeout=TIMEOUT,
                                         headers={**headers, "Content-Type": "application/json"})
                how = "resumable"
            else:
                with path.open("rb") as handle:
                    response = requests.post(endpoint, files={"package": (path.name, handle, "application/zip")},
                                             headers=headers, timeout=TIMEOUT)
                how = "multipart"
        except Exception as exc:  # noqa: BLE001 - the line (requests) or the resumable upload (transfer) failed
            if not isinstance(exc, requests.RequestException) and exc.__class__.__name__ != "TransferError":
                raise
            result = {"status": 0, "detail": _("The province's sciday could not be reached: %(error)s")
                      % {"error": exc.__class__.__name__}, "bytes": size}
            services.push_record(actor=actor, link=link, result=result, ok=False)
            raise PushFailed(result["detail"], result) from None
    result = {**_answer(response), "bytes": size, "how": how, "dry_run": dry_run}
    ok = response.status_code in (200, 201)
    services.push_record(actor=actor, link=link, result=result, ok=ok)
    if not ok:
        raise PushFailed(result.get("detail") or _("The province refused the package."), result)
    return result


def pull(*, actor, link: ProvinceLink) -> dict:
    """Fetch the province's decisions since the last pull and apply them."""
    headers = _headers(link)
    try:
        response = requests.get(f"{link.address}/api/v1/rollup/decisions", params={"since": link.pull_since},
                                headers=headers, timeout=(10, 60))
    except requests.RequestException as exc:
        raise PushFailed(_("The province's sciday could not be reached: %(error)s")
                         % {"error": exc.__class__.__name__}) from None
    if response.status_code != 200:
        raise PushFailed(_answer(response).get("detail") or _("The province refused the request."))
    body = response.json()
    return services.decisions_apply(actor=actor, link=link, decisions=body.get("decisions", []),
                                    cursor=body.get("cursor", ""))
