from django.urls import path

from . import views

app_name = "rollup"

urlpatterns = [
    path("", views.home, name="home"),
    path("cities/", views.overview, name="overview"),
    path("links/", views.links, name="links"),
    path("links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("upload/", views.upload, name="upload"),
    path("review/", views.queue, name="queue"),
    path("review/<int:pk>/", views.record, name="record"),
    path("review/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("role-models/", views.role_models, name="role_models"),
    path("files/<int:pk>/", views.received_file, name="file"),
    path("province/", views.province, name="province"),
    path("province/push/", views.push, name="push"),
    path("province/pull/", views.pull, name="pull"),
]
