from django.http import HttpResponse
from django.urls import path

app_name = "organisations"


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


urlpatterns = [
    path("", _todo, name="list"),
    path("<int:pk>/", _todo, name="detail"),
    path("<int:pk>/edit/", _todo, name="edit"),
]
