from django.urls import path, re_path

from . import views

app_name = "surveys"

ENTRY = r"^(?P<kind>[sc])/(?P<token>[A-Za-z0-9_-]{4,40})/"

urlpatterns = [
    # answering (public)
    re_path(ENTRY + r"$", views.survey_entry, name="entry"),
    re_path(ENTRY + r"answer/$", views.survey_answer, name="answer"),
    re_path(ENTRY + r"draft/$", views.survey_draft, name="draft"),
    re_path(ENTRY + r"done/$", views.survey_done, name="done"),
    path("c/", views.code_enter, name="code_enter"),
    path("qr/<str:token>.svg", views.link_qr, name="qr"),
    # managing
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.survey_create, name="create"),
    path("manage/<int:pk>/", views.survey_detail, name="detail"),
    path("manage/<int:pk>/edit/", views.survey_edit, name="edit"),
    path("manage/<int:pk>/copy/", views.survey_copy, name="copy"),
    path("manage/<int:pk>/preview/", views.survey_preview, name="preview"),
    path("manage/<int:pk>/preview/frame/", views.survey_preview_frame, name="preview_frame"),
    path("manage/<int:pk>/sections/add/", views.section_add, name="section_add"),
    path("manage/<int:pk>/questions/add/", views.question_edit, name="question_add"),
    path("manage/<int:pk>/questions/<int:qid>/", views.question_edit, name="question_edit"),
    path("manage/<int:pk>/questions/<int:qid>/delete/", views.question_delete, name="question_delete"),
    path("manage/<int:pk>/questions/<int:qid>/move/<str:direction>/", views.question_move, name="question_move"),
    path("manage/<int:pk>/units/", views.survey_units, name="units"),
    path("manage/<int:pk>/units/links/<int:link_id>/headcount/", views.link_headcount, name="headcount"),
    path("manage/<int:pk>/units/<int:unit_id>/codes/", views.unit_codes, name="codes"),
    path("manage/<int:pk>/results/", views.survey_results, name="results"),
    path("manage/<int:pk>/results/texts/<int:qid>/", views.open_texts, name="texts"),
    path("manage/<int:pk>/results/answers/<int:answer_id>/problem/", views.answer_to_problem, name="to_problem"),
    path("manage/<int:pk>/export.<str:fmt>", views.survey_export, name="export"),
]
