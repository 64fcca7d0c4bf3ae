from django.urls import path

from . import views

app_name = "volunteering"

urlpatterns = [
    # public
    path("request/", views.request_public, name="request_public"),
    path("request/done/", views.request_done, name="request_done"),
    path("follow/", views.follow, name="follow"),
    path("follow/status/", views.follow_status, name="follow_status"),
    path("follow/confirm/", views.follow_confirm, name="follow_confirm"),
    path("me/<str:token>/", views.volunteer_public, name="volunteer_public"),
    path("programmes/", views.programmes, name="programmes"),
    # staff
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:team_pk>/records/new/", views.record_create, name="record_create"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/import/", views.volunteer_import, name="volunteer_import"),
    path("volunteers/template.xlsx", views.volunteer_template, name="volunteer_template"),
    path("volunteers/export.xlsx", views.volunteer_export, name="volunteer_export"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/<slug:action>/", views.request_action, name="request_action"),
    path("records/", views.record_list, name="record_list"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/confirm-hours/", views.record_confirm_hours, name="record_confirm_hours"),
    path("lists/", views.lists, name="lists"),
    path("lists/<slug:kind>/<int:pk>/toggle/", views.list_toggle, name="list_toggle"),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:by>.xlsx", views.report_xlsx, name="report_xlsx"),
]
