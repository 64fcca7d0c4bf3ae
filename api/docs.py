"""The interactive API documentation, served with the Swagger UI files ninja ships in its package,
so that it works on a network with no access to a CDN."""

import json
from functools import wraps
from pathlib import Path

import ninja
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger

NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
# Only these files may be served: the name comes from the URL.
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
    "favicon.png": "image/png",
}


class OfflineSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": True,
            "asset_base": reverse(f"{api.urls_namespace}:docs_asset", kwargs={"name": "x"})[:-1],
        }
        return render(request, "api/docs.html", context)


def docs_asset_response(name: str):
    content_type = DOCS_ASSETS.get(name)
    if content_type is None:
        raise Http404(name)
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def docs_access(view):
    """The documentation page and the OpenAPI schema: public only with SCIDAY_PUBLIC_API_DOCS on;
    otherwise for logged-in users and callers with a valid personal token (the schema is what the
    CI's schemathesis run loads, with a token). A stranger is sent to log in (the page) or gets 401
    (the schema). The session's TOTP rule is applied before this, by StaffOTPMiddleware."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.SCIDAY_PUBLIC_API_DOCS or request.user.is_authenticated or _token_user(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": _("Log in, or send a valid API token.")}, status=401)
        return redirect_to_login(request.get_full_path())

    return wrapper


def _token_user(request):
    from .security import PersonalTokenAuth

    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    # The same rules as every API call (a staff token needs a device when TOTP is required).
    try:
        return PersonalTokenAuth().authenticate(request, key.strip())
    except HttpError:
        return None
