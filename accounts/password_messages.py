"""Django's own password-length messages, carried here for their Chinese translation.

Django 5.2 rewrote these msgids with ``%d`` and its zh_Hans catalogue still has the old
``%(min_length)d`` ones, so without this the "too short" message shows in English. Listing them
here puts them in accounts/locale, which Django consults before its own catalogue.
"""

from django.utils.translation import ngettext_lazy

DJANGO_MIN_LENGTH_MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %d character.",
        "Your password must contain at least %d characters.",
        "min_length",
    ),
)
