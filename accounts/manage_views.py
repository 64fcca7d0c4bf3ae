"""Organisers manage accounts (to be written: see the foundation issue, item 3)."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


account_list = account_create_view = account_edit = account_deactivate_view = _todo
account_reactivate_view = account_reset_password_view = _todo
