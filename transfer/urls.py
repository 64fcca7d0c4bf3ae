from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("uploads", views.uploads, name="uploads"),
    path("uploads/<uuid:upload_id>", views.upload, name="upload"),
]
