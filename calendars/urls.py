from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.holiday_list, name="list"),
    path("add/", views.day_add, name="add"),
    path("<int:pk>/edit/", views.day_edit, name="edit"),
    path("<int:pk>/delete/", views.day_delete, name="delete"),
    path("paste/", views.year_paste, name="paste"),
    path("<int:year>/complete/", views.year_complete, name="complete"),
]
