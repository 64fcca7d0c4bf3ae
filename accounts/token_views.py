"""Personal API tokens (to be written)."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


token_list = token_revoke = _todo
