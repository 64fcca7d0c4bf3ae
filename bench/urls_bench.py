"""The project's URLs plus ``/bench/floor/``: a bare Django view rendering 50 rows, the floor that
every hot page is measured against in the same run, under the same gunicorn."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from sciday.urls import urlpatterns as project_urlpatterns

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><body><table>{% for row in rows %}<tr><td>{{ row.0 }}</td><td>{{ row.1 }}</td>"
    "<td>{{ row.2 }}</td></tr>{% endfor %}</table></body></html>"
)
_ROWS = [(i, f"活动 {i}", f"单位 {i % 7}") for i in range(50)]


def floor(request):
    return HttpResponse(_TEMPLATE.render({"rows": _ROWS}))


urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
