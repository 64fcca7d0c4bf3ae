from django.urls import path

from . import views

app_name = "uploads"

urlpatterns = [
    path("<uuid:public_id>/", views.asset_file, name="asset"),
    path("<uuid:public_id>/thumb/", views.asset_thumbnail, name="asset_thumbnail"),
]
