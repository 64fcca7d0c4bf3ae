import base64
import hashlib

import pytest

from transfer.registry import register_authenticator, unregister_authenticator

TOKENS = {"alpha-token": "test:alpha", "beta-token": "test:beta"}


def _test_owner(request):
    auth = request.headers.get("Authorization", "")
    return TOKENS.get(auth[7:].strip()) if auth[:7].lower() == "bearer " else None


@pytest.fixture(autouse=True)
def transfer_settings(settings, tmp_path):
    settings.SCIDAY_TRANSFER_DIR = str(tmp_path / "transfer")
    register_authenticator(_test_owner)
    yield settings
    unregister_authenticator(_test_owner)


def tus_headers(token="alpha-token", **extra):
    headers = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    headers.update({f"HTTP_{k.upper()}": str(v) for k, v in extra.items()})
    return headers


def metadata(filename: str, content: bytes) -> str:
    b64 = lambda s: base64.b64encode(s.encode()).decode()  # noqa: E731
    return f"filename {b64(filename)},sha256 {b64(hashlib.sha256(content).hexdigest())}"
