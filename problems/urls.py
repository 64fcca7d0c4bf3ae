from django.urls import path

from . import views

app_name = "problems"

urlpatterns = [
    path("", views.results, name="results"),
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submitted, name="submitted"),
    path("follow/", views.follow, name="follow"),
    path("follow/status/", views.follow_status, name="follow_status"),
    path("follow/respond/", views.follow_respond, name="follow_respond"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/new/", views.create, name="create"),
    path("ledger/<int:pk>/", views.detail, name="detail"),
    path("ledger/<int:pk>/<slug:action>/", views.action, name="action"),
]
