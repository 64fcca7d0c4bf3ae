"""Shortcuts for views: what a user may not see does not exist for them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def visible_or_404(user, permission: str, obj):
    """``obj`` if ``user`` has ``permission`` on it; Http404 if it is None or the user lacks the
    permission, so that another unit's object cannot be told from a missing one. The denial is
    audited (``accounts.permissions.require``)."""
    if obj is None:
        raise Http404
    from accounts.permissions import require

    try:
        require(user, permission, obj)
    except PermissionDenied:
        raise Http404
    return obj
