"""Encryption of the few personal details a survey may ask for (name, phone): Fernet with a key
derived from SECRET_KEY by HKDF, so no second secret has to be managed. Rotating SECRET_KEY makes
old contacts unreadable, which for a one-season survey is acceptable (and said in docs)."""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sciday.surveys", info=b"respondent-contact").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(settings.SECRET_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The clear text, or "" when the token is empty or was made with another key."""
    if not token:
        return ""
    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def mask_name(value: str) -> str:
    """张** : keep the first character only."""
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
