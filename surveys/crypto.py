"""The few personal details a survey may ask for (name, phone): encrypted with sciday's one
Fernet helper (core.crypto) under the survey's own purpose key, and shown masked."""

from core.crypto import decrypt_text, encrypt_text

PURPOSE = "sciday.surveys.respondent-contact"


def encrypt(value: str) -> str:
    return encrypt_text(value, purpose=PURPOSE)


def decrypt(token: str) -> str:
    """The clear text, or "" when the token is empty or was made with another key."""
    return decrypt_text(token, purpose=PURPOSE)


def mask_name(value: str) -> str:
    """张** : keep the first character only."""
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
