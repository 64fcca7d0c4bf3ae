from django.contrib import admin
from django.urls import include, path

from api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("manage/units/", include("organisations.urls")),
    path("manage/campaigns/", include("campaigns.urls")),
    path("manage/audit/", include("audit.urls")),
    path("manage/holidays/", include("calendars.urls")),
    path("manage/dashboard/", include("dashboard.urls")),
    path("notifications/", include("notifications.urls")),
    path("files/", include("uploads.urls")),
    path("activities/", include("activities.urls")),
    path("surveys/", include("surveys.urls")),
    path("problems/", include("problems.urls")),
    path("summaries/", include("summaries.urls")),
    path("awards/", include("awards.urls")),
    path("volunteering/", include("volunteering.urls")),
    path("exhibitions/", include("exhibitions.urls")),
    path("publicity/", include("publicity.urls")),
    path("workbench/", include("workbench.urls")),
    path("rollup/", include("rollup.urls")),
    # Before the API: plain views that stream a PATCH body to disk (django-ninja reads bodies whole).
    path("api/v1/transfer/", include("transfer.urls")),
    path("api/v1/", api.urls),
    path("", include("ops.urls")),
    path("", include("public.urls")),
]

handler404 = "core.errors.page_not_found"
