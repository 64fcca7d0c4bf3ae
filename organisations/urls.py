from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("import/", views.unit_import, name="import"),
    path("import/template.xlsx", views.unit_import_template, name="import_template"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("<int:pk>/deactivate/", views.unit_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.unit_reactivate, name="reactivate"),
]
