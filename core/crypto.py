"""Encrypting small personal data at rest (a submitter's contact) with Fernet keyed from SECRET_KEY.

The key is derived (HKDF-SHA256) from ``settings.SECRET_KEY`` with a purpose string, so the same
secret never serves two uses; ``SECRET_KEY_FALLBACKS`` still decrypt after a key rotation. Any app
may use it: ``encrypt_text("13800138000")`` → token, ``decrypt_text(token)`` → text.
"""

import base64
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

DEFAULT_PURPOSE = "sciday.personal-data"


def _key(secret: str, purpose: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(secret.encode())
    return base64.urlsafe_b64encode(derived)


def _fernet(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_key(secret, purpose)) for secret in secrets])


def encrypt_text(value: str, *, purpose: str = DEFAULT_PURPOSE) -> str:
    """The Fernet token of ``value`` (empty for empty text)."""
    if not value:
        return ""
    return _fernet(purpose).encrypt(value.encode()).decode()


def decrypt_text(token: str, *, purpose: str = DEFAULT_PURPOSE) -> str:
    """The text of a token from ``encrypt_text``; empty if it cannot be read (wrong key, damaged)."""
    if not token:
        return ""
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


_PHONE = re.compile(r"^\+?[\d\s-]{7,}$")


def mask_contact(value: str) -> str:
    """Show enough to recognise a contact, not enough to use it: 138****8000, z***@example.com."""
    value = (value or "").strip()
    if not value:
        return ""
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    if _PHONE.match(value):
        digits = re.sub(r"\D", "", value)
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "*" * len(digits)
    # A WeChat id or anything else: the first and last characters.
    return f"{value[:1]}***{value[-1:]}" if len(value) > 2 else "*" * len(value)
