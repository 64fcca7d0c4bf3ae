"""User-supplied web links: one rule for every path that stores one and every page that shows one.

Only ``http`` and ``https`` links with a host are accepted (``javascript:``, ``data:``, ``vbscript:``,
``file:``, ``ftp:`` … are refused). Services call ``validate_link`` (so the page and the API share it), the
API schemas use ``HttpLink`` (the same check, answered as 422), and templates show a stored link only
through ``{{ value|safe_link }}``, which gives "" for anything else — rows stored before the rule included.
"""

import re
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from pydantic import AfterValidator

ALLOWED_SCHEMES = ("http", "https")
MAX_LENGTH = 500
# The whole value: http(s)://, then no whitespace, control characters, quotes or angle brackets at all (a
# browser drops tabs and newlines inside a scheme, so "java\tscript:" must never get this far).
_SAFE = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>\\`]+", re.IGNORECASE)
_validator = URLValidator(schemes=list(ALLOWED_SCHEMES))


def is_safe_link(value) -> bool:
    """True if ``value`` is an http(s) link a page may put in ``href``."""
    return isinstance(value, str) and bool(_SAFE.fullmatch(value)) and len(value) <= 2000


def safe_link(value) -> str:
    """``value`` if it is a safe http(s) link, else ""."""
    return value if is_safe_link(value) else ""


def validate_link(value, *, field: str | None = None) -> str:
    """``value`` stripped ("" stays ""); ValidationError (keyed by ``field`` if given) unless it is an http or
    https link."""
    value = "" if value is None else str(value).strip()
    if not value:
        return ""
    message = _("Enter a web address beginning with http:// or https://.")
    try:
        if len(value) > MAX_LENGTH:
            raise ValidationError(message)
        _validator(value)
        if not is_safe_link(value):
            raise ValidationError(message)
    except ValidationError:
        raise ValidationError({field: [message]} if field else message, code="invalid_link") from None
    return value


def _pydantic_link(value: str) -> str:
    try:
        return validate_link(value)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None


# An API schema field holding a link: "" or an http(s) link (anything else is a 422).
HttpLink = Annotated[str, AfterValidator(_pydantic_link)]


def link_form_field(**kwargs):
    """A form field for a user's link: Django's URLField (which would also take ftp://) held to the same rule
    as ``validate_link``, so the page says so beside the field before the service refuses it."""
    from django import forms

    kwargs.setdefault("max_length", MAX_LENGTH)
    kwargs.setdefault("assume_scheme", "https")
    field = forms.URLField(**kwargs)
    field.validators = [v for v in field.validators if not isinstance(v, URLValidator)] + [_form_validator]
    return field


def _form_validator(value) -> None:
    validate_link(value)
