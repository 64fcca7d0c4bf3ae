"""The site's URLs plus the activities router on an API of its own, for tests before the lead mounts it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from activities.api import build_router
from api.security import AUTH
from sciday.urls import urlpatterns as site_urlpatterns

api = NinjaAPI(urls_namespace="activities-test-api", auth=AUTH, docs_url=None)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "login"}, status=401)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": "forbidden"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


api.add_router("/", build_router())

urlpatterns = [path("api/act/", api.urls), *site_urlpatterns]
