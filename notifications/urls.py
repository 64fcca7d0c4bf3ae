from django.http import HttpResponse
from django.urls import path

app_name = "notifications"


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


urlpatterns = [path("", _todo, name="list")]
