from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.home, name="home"),
    path("selections/new/", views.selection_create, name="selection_create"),
    path("selections/<int:pk>/", views.selection_detail, name="selection"),
    path("selections/<int:pk>/settings/", views.selection_settings, name="settings"),
    path("selections/<int:pk>/nominations/", views.nomination_list, name="nominations"),
    path("selections/<int:pk>/nominations/new/", views.nomination_create, name="nomination_create"),
    path("selections/<int:pk>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("selections/<int:pk>/assignments/", views.assignments, name="assignments"),
    path("selections/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("selections/<int:pk>/notice/", views.notice_publish, name="notice_publish"),
    path("selections/<int:pk>/objections/", views.objections, name="objections"),
    path("selections/<int:pk>/release/", views.release, name="release"),
    path("selections/<int:pk>/exports/<str:kind>", views.export, name="export"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/form.docx", views.nomination_docx, name="nomination_docx"),
    path("nominations/<int:pk>/<slug:action>/", views.nomination_transition, name="nomination_transition"),
    path("objections/<int:pk>/", views.objection_decide, name="objection"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    # public
    path("<slug:slug>/notice/", views.public_notice, name="public_notice"),
    path("<slug:slug>/winners/", views.announcement, name="announcement"),
    path("<slug:slug>/exhibition/", views.exhibition, name="exhibition"),
    path("winners/<uuid:public_id>/", views.profile, name="profile"),
    path("winners/<uuid:public_id>/poster.png", views.poster, name="poster"),
]
