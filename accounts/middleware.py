from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a user with a pending obligation (new password, TOTP) may still reach.
_ALWAYS_OPEN = ("/static/", "/media/", "/i18n/", "/healthz", "/readyz", "/metrics")


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
    """With SCIDAY_REQUIRE_STAFF_OTP on, organisers and administrators must pass a TOTP check.

    The pages send them to the check; the API (session) answers 403 in JSON. An API request with
    an ``Authorization`` header is left to api.security, which applies the same rule to the
    session it may fall back to and refuses tokens of staff without a device. The token endpoint
    asks for the TOTP code itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SCIDAY_REQUIRE_STAFF_OTP:
            from .otp import otp_pending, pending_message

            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and otp_pending(user):
                if request.path.startswith("/api/"):
                    if request.path != reverse("api:token_obtain") and "HTTP_AUTHORIZATION" not in request.META:
                        return JsonResponse({"detail": pending_message(), "code": "otp_required"}, status=403)
                else:
                    allowed = (reverse("accounts:otp_verify"), reverse("accounts:otp_setup"),
                               reverse("accounts:logout"))
                    if not request.path.startswith(_ALWAYS_OPEN + allowed):
                        return redirect("accounts:otp_verify")
        return self.get_response(request)
