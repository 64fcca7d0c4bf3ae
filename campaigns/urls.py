from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("choose/", views.campaign_choose, name="choose"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/edit/", views.campaign_edit, name="edit"),
    path("<slug:slug>/categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("<slug:slug>/routing/", views.routing_edit, name="routing_edit"),
    path("<slug:slug>/contacts/add/", views.contact_add, name="contact_add"),
    path("<slug:slug>/contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("<slug:slug>/contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<slug:slug>/publish/", views.campaign_publish, {"publish": True}, name="publish"),
    path("<slug:slug>/unpublish/", views.campaign_publish, {"publish": False}, name="unpublish"),
    path("<slug:slug>/copy/", views.campaign_copy, name="copy"),
]
