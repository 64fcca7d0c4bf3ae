from functools import wraps

from django.contrib.auth.decorators import login_required


def permission_required(permission: str):
    """The view needs a logged-in user with ``permission`` (accounts.permissions); else login or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            from accounts.permissions import require

            require(request.user, permission)
            return view(request, *args, **kwargs)

        wrapped.sciday_permission = permission
        return wrapped

    return decorator


def public_view(view):
    """Mark a view as public on purpose: anyone, logged in or not, may open it.

    Every other view must send an anonymous visitor to the login page; a test walks every URL and
    holds each view to one of the two.
    """
    view.sciday_public = True
    return view


def permissions_policy(**features: str):
    """Let one view use browser features the site-wide Permissions-Policy denies, e.g.
    ``@permissions_policy(camera="(self)")`` for a page that scans QR codes with the camera."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response._sciday_permissions_policy = features
            return response

        return wrapped

    return decorator
