"""Who may use the transfer endpoints: other apps register an authenticator.

An authenticator is ``fn(request) -> str | None``: it reads ``Authorization: Bearer <token>`` (or
anything else it likes) and returns an owner key such as ``"rollup-link:12"``, or None when the
request is not its. The first authenticator that returns a key wins; a request no authenticator
accepts is answered 401. The owner key scopes every upload: one owner never sees another's.

    from transfer.registry import register_authenticator
    register_authenticator(rollup_link_owner)   # e.g. in an AppConfig.ready()
"""

from collections.abc import Callable

from django.http import HttpRequest

Authenticator = Callable[[HttpRequest], "str | None"]

_authenticators: list[Authenticator] = []


def register_authenticator(fn: Authenticator) -> Authenticator:
    """Add ``fn`` (once; registering it again does nothing). Returns ``fn``, so it works as a decorator."""
    if fn not in _authenticators:
        _authenticators.append(fn)
    return fn


def unregister_authenticator(fn: Authenticator) -> None:
    if fn in _authenticators:
        _authenticators.remove(fn)


def authenticate(request: HttpRequest) -> str | None:
    """The owner key of the first authenticator that accepts the request, else None."""
    for fn in list(_authenticators):
        owner = fn(request)
        if owner:
            return str(owner)
    return None
