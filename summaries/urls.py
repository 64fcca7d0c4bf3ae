from django.urls import path

from . import views

app_name = "summaries"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("board/<slug:office_code>/", views.board, name="board"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("highlights/<int:pk>/star/", views.star, name="star"),
    path("attachments/<int:pk>/remove/", views.detach, name="detach"),
    path("<slug:campaign_slug>/<int:unit_id>/", views.edit, name="edit"),
    path("<slug:campaign_slug>/<int:unit_id>/preview/", views.preview, name="preview"),
    path("<slug:campaign_slug>/<int:unit_id>/attach/", views.attach, name="attach"),
    path("<slug:campaign_slug>/<int:unit_id>/extend/", views.extend, name="extend"),
    path("<slug:campaign_slug>/<int:unit_id>/docx/", views.summary_docx, name="docx"),
    path("<slug:campaign_slug>/<int:unit_id>/<slug:action>/", views.transition, name="transition"),
]
