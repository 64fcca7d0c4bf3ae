from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("large-text/", views.large_text, name="large_text"),
    path("c/<slug:slug>/", views.campaign_detail, name="campaign"),
]
