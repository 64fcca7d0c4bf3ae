"""Error pages: the API answers in JSON, like the rest of the API; every other path gets the page."""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def page_not_found(request, exception):
    """404: ``{"detail": "Not Found"}`` under /api/ (also for a path the API's routes do not match,
    such as /api/v1/units/abc), else sciday's 404 page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)
