from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("calendar/", views.public_calendar, name="calendar"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/calendar.ics", views.public_ics, name="ics"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.activity_create, name="create"),
    path("manage/export.xlsx", views.export, name="export"),
    path("manage/import/", views.import_activities, name="import"),
    path("manage/import/template.xlsx", views.import_template, name="import_template"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("manage/<int:pk>/plans/", views.activity_plans, name="plans"),
    path("manage/<int:pk>/return/", views.activity_return, name="return"),
    path("manage/<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("manage/<int:pk>/report/", views.activity_report, name="report"),
    path("manage/<int:pk>/checkin/", views.checkin_manage, name="checkin_manage"),
    path("manage/<int:pk>/plans/<slug:kind>/file/", views.plan_file, name="plan_file"),
    path("manage/<int:pk>/media/", views.activity_media, name="media"),
    path("manage/<int:pk>/photos/<int:photo_pk>/remove/", views.photo_remove, name="photo_remove"),
    path("manage/<int:pk>/photos/<int:photo_pk>/star/", views.photo_star, name="photo_star"),
    path("manage/<int:pk>/coverage/<int:coverage_pk>/remove/", views.coverage_remove, name="coverage_remove"),
    path("manage/<int:pk>/video/remove/", views.video_remove, name="video_remove"),
    path("manage/<int:pk>/<slug:action>/", views.activity_action, name="action"),
    path("review/", views.review_queue, name="review"),
]
