"""sciday's REST API, mounted at /api/v1/ (see docs/api.md)."""

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, ValidationError

from .accounts import router as accounts_router
from .campaigns import router as campaigns_router
from .docs import OfflineSwagger, docs_access, docs_asset_response
from .openapi import DocumentedAPI, on_invalid, on_out_of_range
from .security import AUTH
from .units import router as units_router

api = DocumentedAPI(
    title="sciday API",
    version="1",
    description="The National S&T Workers' Day campaign platform. Log in (session) or send "
    "`Authorization: Bearer sd_…` with a personal token.",
    urls_namespace="api",
    auth=AUTH,
    docs=OfflineSwagger(),
    docs_decorator=docs_access,
)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Log in, or send a valid API token.")}, status=401)


api.add_exception_handler(ValidationError, on_invalid(api))
api.add_exception_handler(OverflowError, on_out_of_range(api))
api.add_exception_handler(DataError, on_out_of_range(api))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs_asset")
def docs_asset(request, name: str):
    return docs_asset_response(name)


api.add_router("/campaigns/", campaigns_router)
api.add_router("/units/", units_router)
api.add_router("/", accounts_router)
api.add_router("/problems/", "problems.api.router")
api.add_router("/", "activities.api.router")
api.add_router("/", "summaries.api.router")
api.add_router("/", "awards.api.router")
api.add_router("/", "volunteering.api.router")
api.add_router("/", "rollup.api.router")
api.add_router("/", "dashboard.api.router")
api.add_router("/", "exhibitions.api.router")
api.add_router("/surveys/", "surveys.api.router")
api.add_router("/", "calendars.api.router")
