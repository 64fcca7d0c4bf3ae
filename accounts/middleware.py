from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a user with a pending obligation (new password, TOTP) may still reach.
_ALWAYS_OPEN = ("/static/", "/media/", "/i18n/", "/healthz")


class PasswordChangeRequiredMiddleware:
    """An initial or reset password must be changed before anything else can be done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if not request.path.startswith(_ALWAYS_OPEN + allowed):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("You must change your initial password before using sciday.")}, status=403
                    )
                return redirect("accounts:password_change")
        return self.get_response(request)


class StaffOTPMiddleware:
    """With SCIDAY_REQUIRE_STAFF_OTP on, organisers and administrators must pass a TOTP check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SCIDAY_REQUIRE_STAFF_OTP:
            from accounts.permissions import is_organiser

            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and is_organiser(user) and not user.is_verified():
                allowed = (reverse("accounts:otp_verify"), reverse("accounts:otp_setup"), reverse("accounts:logout"))
                if not request.path.startswith(_ALWAYS_OPEN + allowed) and not request.path.startswith("/api/"):
                    return redirect("accounts:otp_verify")
        return self.get_response(request)
