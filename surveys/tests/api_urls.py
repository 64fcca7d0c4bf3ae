"""The site's URLs plus the survey router on a NinjaAPI of its own (the lead mounts it on the real API)."""

from django.urls import path
from ninja import NinjaAPI

from api.security import AUTH
from sciday.urls import urlpatterns as site_urlpatterns
from surveys.api import router

test_api = NinjaAPI(urls_namespace="surveys_test_api", auth=AUTH, docs_url=None)
test_api.add_router("/surveys/", router)

urlpatterns = [path("test-api/", test_api.urls), *site_urlpatterns]
