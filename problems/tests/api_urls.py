"""A URLconf for the API tests: the site plus problems.api.router on an API of its own."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from ninja import NinjaAPI

from api.security import AUTH
from sciday.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(urls_namespace="problems-test-api", auth=AUTH, docs_url=None)
api.add_router("/problems/", "problems.api.router")


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": "forbidden"}, status=403)


urlpatterns = [path("test-api/", api.urls), *site_urlpatterns]
