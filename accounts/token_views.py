"""Personal API tokens: everybody makes and revokes their own (see api.security)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.decorators import permission_required

from .manage_forms import TokenCreateForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke


@never_cache
@permission_required("tokens.manage")
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The list of the user's tokens and the form to make one; a new secret is shown once, here."""
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Rendered, not redirected: the secret must not travel through the session or a URL.
            return render(request, "accounts/tokens_created.html", {"token": token, "key": key})
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens})


@permission_required("tokens.manage")
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    # Somebody else's token answers exactly like a token that does not exist.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        api_token_revoke(user=request.user, token=token)
        messages.success(request, _("The token %(name)s is revoked: it no longer works.") % {"name": token.name})
        return redirect("accounts:tokens")
    return render(request, "core/confirm.html", {
        "title": _("Revoke an API token"),
        "question": _("Revoke the token %(name)s (%(prefix)s…)?") % {"name": token.name, "prefix": token.key_prefix},
        "detail": _("Every system that uses this token stops working with sciday at once. This cannot be undone."),
        "button_label": _("Revoke"),
        "cancel_url": reverse("accounts:tokens"),
    })
