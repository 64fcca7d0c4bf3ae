from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.services import audit_record

from . import permissions
from .forms import EnrolmentCodeForm, LoginForm, OTPTokenForm, SciDayPasswordChangeForm
from .models import OTPEnrolmentCode
from .services import otp_device_confirm, otp_enrolment_code_find, password_change


def lockout_response(request, response=None, credentials=None):
    """What a locked-out login sees (django-axes calls this), on the web, admin and API paths."""
    minutes = int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))
    message = _(
        "Too many failed logins in a row: logging in to this account from your address is locked for "
        "%(minutes)d minutes. Try again later, or ask an organiser to help."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "locked_message": message}, status=429)


class LoginView(auth_views.LoginView):
    sciday_public = True
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        user = self.request.user
        if user.must_change_password:
            return reverse("accounts:password_change")
        if settings.SCIDAY_REQUIRE_STAFF_OTP and permissions.is_organiser(user):
            return reverse("accounts:otp_verify")
        return super().get_success_url()


class LogoutView(auth_views.LogoutView):
    sciday_public = True  # POST only; an anonymous visitor is simply not logged in


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = SciDayPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("workbench:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def profile(request):
    user = request.user
    from organisations.models import Office, Unit

    context = {
        "units": Unit.objects.filter(memberships__user=user).select_related("district"),
        "offices": Office.objects.filter(memberships__user=user),
        "is_admin": permissions.is_admin(user),
        "totp_devices": TOTPDevice.objects.devices_for_user(user, confirmed=True),
        "tokens": user.api_tokens.filter(revoked_at__isnull=True),
    }
    return render(request, "accounts/profile.html", context)


_ENROLMENT_SESSION_KEY = "sciday_otp_enrolment_code"


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol a TOTP authenticator: scan the QR code, then confirm with a first code.

    A password alone never enrols a device. Someone who has already passed a TOTP check in this
    session may add another; anyone else first enters a one-time enrolment code an organiser issued
    them (accounts/manage/<id>/otp-code/, or ``manage.py otp_enrolment_code``), and the new app
    then replaces their earlier ones.
    """
    enrolment_code = None
    if not request.user.is_verified():
        code_pk = request.session.get(_ENROLMENT_SESSION_KEY)
        enrolment_code = OTPEnrolmentCode.objects.filter(
            pk=code_pk, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()).first()
        if enrolment_code is None:
            return _otp_enrolment_code_step(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            try:
                otp_device_confirm(user=request.user, device=device, enrolment_code=enrolment_code)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                request.session.pop(_ENROLMENT_SESSION_KEY, None)
                return redirect("accounts:otp_setup")
            request.session.pop(_ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Two-step verification is on for your account."))
            return redirect("accounts:profile")
        form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg})


def _otp_enrolment_code_step(request):
    """The first step of enrolling without a verified session: the organiser-issued code."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = otp_enrolment_code_find(user=request.user, code=form.cleaned_data["enrolment_code"])
        if record is not None:
            request.session[_ENROLMENT_SESSION_KEY] = record.pk
            return redirect("accounts:otp_setup")
        audit_record(action="accounts.user.otp_enrolment_code_failed", actor=request.user, obj=request.user,
                     outcome=AuditEntry.Outcome.FAILURE)
        form.add_error("enrolment_code", _("This enrolment code is not right, already used or expired. "
                                           "Ask an organiser for a new one."))
    return render(request, "accounts/otp_enrolment_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("accounts:otp_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                audit_record(action="accounts.user.totp_verified", actor=request.user, obj=request.user)
                return redirect("workbench:home")
        audit_record(action="accounts.user.totp_failed", actor=request.user, obj=request.user, outcome="failure")
        form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
    return render(request, "accounts/otp_verify.html", {"form": form})
