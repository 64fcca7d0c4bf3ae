from django.urls import path

from . import views

app_name = "exhibitions"

urlpatterns = [
    path("", views.exhibition_list, name="list"),
    path("<int:pk>/", views.exhibition_detail, name="detail"),
    path("bases/", views.base_list, name="base_list"),
    path("bases/<int:pk>/", views.base_detail, name="base_detail"),
    path("visits/<str:code>/", views.visit_status, name="visit_status"),
    path("checkin/<str:code>/", views.visit_checkin, name="visit_checkin"),
    path("manage/", views.manage_home, name="manage"),
    path("manage/exhibitions/new/", views.exhibition_create, name="exhibition_create"),
    path("manage/exhibitions/<int:pk>/", views.exhibition_manage, name="exhibition_manage"),
    path("manage/exhibitions/<int:pk>/end/", views.exhibition_end, name="exhibition_end"),
    path("manage/exhibitions/<int:pk>/reopen/", views.exhibition_end, {"reopen": True}, name="exhibition_reopen"),
    path("manage/exhibitions/<int:pk>/edit/", views.exhibition_edit, name="exhibition_edit"),
    path("manage/exhibitions/<int:pk>/stops/new/", views.stop_create, name="stop_create"),
    path("manage/stops/<int:pk>/edit/", views.stop_edit, name="stop_edit"),
    path("manage/stops/<int:pk>/report/", views.stop_report, name="stop_report"),
    path("manage/bases/new/", views.base_create, name="base_create"),
    path("manage/bases/<int:pk>/", views.base_manage, name="base_manage"),
    path("manage/bases/<int:pk>/edit/", views.base_edit, name="base_edit"),
    path("manage/bases/<int:pk>/book/", views.base_book, name="base_book"),
    path("manage/visits/", views.visit_list, name="visits"),
    path("manage/visits/<int:pk>/", views.visit_manage, name="visit_manage"),
    path("manage/visits/<int:pk>/<slug:action>/", views.visit_action, name="visit_action"),
]
