"""The interactive API documentation, served with the Swagger UI files ninja ships in its package,
so that it works on a network with no access to a CDN."""

import json
from pathlib import Path

import ninja
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
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
