"""The nominee's sensitive fields: encrypted at rest (core.crypto), hashed for duplicates, shown masked."""

import re

from django.utils.crypto import salted_hmac

from core.crypto import decrypt_text, encrypt_text

PURPOSE = "sciday.awards.personal"
_ID = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1\d{10}$")


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def valid_id_number(value: str) -> bool:
    """An 18-character resident ID number with a correct check digit (GB 11643)."""
    value = normalise_id_number(value)
    if not _ID.match(value):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(value[:17], weights, strict=True))
    return "10X98765432"[total % 11] == value[17]


def valid_mobile(value: str) -> bool:
    return bool(_MOBILE.match(re.sub(r"\s", "", value or "")))


def id_hash(value: str) -> str:
    """A keyed hash of the ID number: finds the same person twice without storing the number in clear."""
    value = normalise_id_number(value)
    return salted_hmac("sciday.awards.id-number", value).hexdigest() if value else ""


def encrypt(value: str) -> str:
    return encrypt_text(value, purpose=PURPOSE)


def decrypt(token: str) -> str:
    return decrypt_text(token, purpose=PURPOSE)


def mask_mobile(value: str) -> str:
    """138****1234"""
    value = re.sub(r"\s", "", value or "")
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_id_number(value: str) -> str:
    """3702**********1234"""
    value = normalise_id_number(value)
    if len(value) < 9:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def nominee_mobile(nomination, *, reveal: bool = False) -> str:
    value = decrypt(nomination.mobile_encrypted)
    return value if reveal else mask_mobile(value)


def nominee_id_number(nomination, *, reveal: bool = False) -> str:
    value = decrypt(nomination.id_number_encrypted)
    return value if reveal else mask_id_number(value)
