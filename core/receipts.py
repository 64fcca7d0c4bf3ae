"""The public "submit, see your receipt code once, follow your item with the code" pages, for every app.

A member of the public files something without an account (a problem, a request for service) and
is shown a receipt code exactly once; later they type the code to follow the item. The code is kept
in that browser's session only, never in a URL. An app describes its pages with a ``ReceiptFlow``
and its (thin) views call the flow's steps; what the follow-up page shows and lets the submitter do
stays in the app. Submitting and following are throttled per client (``core.throttle``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import show_errors
from core.throttle import throttle_allow


@dataclass(frozen=True)
class Limit:
    """At most ``default`` attempts per client at ``scope`` in the window; the setting ``setting``
    (e.g. ``SCIDAY_PROBLEM_SUBMIT_LIMIT``) overrides the number."""

    scope: str
    setting: str
    default: int
    window_seconds: int = 3600

    def allows(self, request) -> bool:
        """Count this attempt of the request's client; False once it made more than the limit."""
        limit = int(getattr(settings, self.setting, self.default))
        return throttle_allow(request, scope=self.scope, limit=limit, window_seconds=self.window_seconds)


@dataclass(frozen=True)
class ReceiptFlow:
    """One app's receipt-code pages: its session keys, how a code finds the item, its URL names."""

    receipt_key: str  # session key of the receipt shown once after submission
    follow_key: str  # session key of the code the submitter follows with in this session
    lookup: Callable[[str], Any]  # the item with this receipt code, or None
    done_url: str  # the page that shows the receipt once
    follow_url: str  # the page that asks for the code
    status_url: str  # the page of the followed item

    def submit(self, request, *, form, create: Callable[..., tuple[Any, str]], limit: Limit, too_many: str,
               template: str):
        """The submission page: a valid form goes to ``create(**cleaned_data)``, which returns the item
        (with a ``reference``) and its receipt code; the code is then shown once on ``done_url``."""
        status = 200
        if request.method == "POST" and form.is_valid():
            if not limit.allows(request):
                form.add_error(None, too_many)
                status = 429
            else:
                try:
                    item, code = create(**form.cleaned_data)
                except ValidationError as error:
                    show_errors(form, error)
                else:
                    request.session[self.receipt_key] = {"code": code, "reference": item.reference}
                    return redirect(self.done_url)
        return render(request, template, {"form": form}, status=status)

    def done(self, request, *, template: str):
        """Shows the receipt code once: reloading the page does not show it again."""
        receipt = request.session.pop(self.receipt_key, None)
        if receipt is None:
            return redirect(self.follow_url)
        return render(request, template, {"receipt": receipt})

    def follow(self, request, *, form, limit: Limit, not_found: str, template: str):
        """The page asking for the code (the form's ``code`` field); a known code is kept in the
        session and leads to ``status_url``."""
        status = 200
        if request.method == "POST" and form.is_valid():
            if not limit.allows(request):
                form.add_error(None, _("Too many attempts. Please try again in an hour."))
                status = 429
            elif self.lookup(form.cleaned_data["code"]) is None:
                form.add_error("code", not_found)
            else:
                request.session[self.follow_key] = form.cleaned_data["code"]
                return redirect(self.status_url)
        return render(request, template, {"form": form}, status=status)

    def followed(self, request) -> tuple[Any | None, str]:
        """The item this session follows (None if none or the code no longer finds it) and its code."""
        code = request.session.get(self.follow_key, "")
        return (self.lookup(code) if code else None), code
