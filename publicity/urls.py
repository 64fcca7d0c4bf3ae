from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("videos/", views.video_gallery, name="videos"),
    path("videos/submit/", views.video_submit, name="video_submit"),
    path("videos/status/<str:token>/", views.video_status, name="video_status"),
    path("videos/<int:pk>/", views.video_detail, name="video"),
    path("videos/<int:pk>/like/", views.video_like, name="video_like"),
    path("videos/<int:pk>/played/", views.video_played, name="video_played"),
    path("posters/", views.poster_gallery, name="posters"),
    path("articles/", views.article_list, name="articles"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("coverage/", views.coverage_list, name="coverage"),
    path("manage/", views.manage_home, name="manage"),
    path("manage/videos/", views.video_review_list, name="video_review_list"),
    path("manage/videos/<int:pk>/", views.video_review, name="video_review"),
    path("manage/videos/<int:pk>/<slug:action>/", views.video_action, name="video_action"),
    path("manage/templates/new/", views.template_create, name="template_create"),
    path("manage/posters/new/", views.poster_create, name="poster_create"),
    path("manage/articles/new/", views.article_create, name="article_create"),
    path("manage/initiative/new/", views.initiative_create, name="initiative_create"),
    path("manage/coverage/", views.coverage_manage, name="coverage_manage"),
    path("manage/coverage/<int:pk>/delete/", views.coverage_delete, name="coverage_delete"),
]
