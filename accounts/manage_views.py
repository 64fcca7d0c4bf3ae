"""Organisers manage accounts: list, create, edit, deactivate, reactivate and reset passwords.

Every page needs ``accounts.manage``; a page about one account also needs ``account.manage`` on
it, so that only a site administrator can touch an administrator's account.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.decorators import permission_required
from core.pagination import paginate
from organisations.models import OfficeMembership, UnitMembership

from . import permissions
from .manage_forms import AccountFilterForm, AccountForm
from .services import (
    account_create,
    account_deactivate,
    account_reactivate,
    account_reset_password,
    account_update,
    otp_enrolment_code_issue,
)

User = get_user_model()


def accounts_for_list(*, actor, filters: dict):
    """Accounts with their units and offices (constant queries), narrowed by the list's filters."""
    accounts = User.objects.prefetch_related(
        Prefetch("unit_memberships", queryset=UnitMembership.objects.select_related("unit").order_by("unit__name")),
        Prefetch("office_memberships", queryset=OfficeMembership.objects.select_related("office").order_by("office_id")),
    ).order_by("username")
    q = (filters.get("q") or "").strip()
    if q:
        accounts = accounts.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    role = filters.get("role")
    if role == "coordinator":
        accounts = accounts.filter(unit_memberships__isnull=False)
    elif role == "office_staff":
        accounts = accounts.filter(office_memberships__isnull=False)
    elif role == "expert":
        accounts = accounts.filter(is_expert=True)
    elif role == "admin":
        accounts = accounts.filter(is_superuser=True)
    if filters.get("active") in ("1", "0"):
        accounts = accounts.filter(is_active=filters["active"] == "1")
    if filters.get("unit"):
        accounts = accounts.filter(unit_memberships__unit=filters["unit"])
    return accounts.distinct()


def _account_for(request, pk):
    """The account ``pk``, if the organiser may manage it (403 otherwise, audited)."""
    account = get_object_or_404(User, pk=pk)
    permissions.require(request.user, "account.manage", account)
    return account


def _password_page(request, *, account, password, created):
    response = render(request, "accounts/manage_password.html",
                      {"account": account, "password": password, "created": created})
    return response


@permission_required("accounts.manage")
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page_obj = paginate(request, accounts_for_list(actor=request.user, filters=filters))
    for account in page_obj:
        account.can_manage = permissions.can(request.user, "account.manage", account)
    return render(request, "accounts/manage_list.html", {"form": form, "page_obj": page_obj})


@never_cache
@permission_required("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_create_view(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = account_create(
                actor=request.user, username=data["username"], full_name=data["full_name"],
                email=data["email"], phone=data["phone"], units=list(data["units"]),
                offices=list(data["offices"]), is_expert=data["is_expert"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Rendered, not redirected: the one-time password is never stored anywhere.
            return _password_page(request, account=account, password=password, created=True)
    return render(request, "accounts/manage_form.html", {"form": form, "account": None})


@permission_required("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    account = _account_for(request, pk)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_update(
                actor=request.user, user=account, full_name=data["full_name"], email=data["email"],
                phone=data["phone"], units=list(data["units"]), offices=list(data["offices"]),
                is_expert=data["is_expert"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The account %(username)s is saved.") % {"username": account.username})
            return redirect("accounts:manage_list")
    return render(request, "accounts/manage_form.html", {"form": form, "account": account})


def _confirm(request, *, account, title, question, detail, button_label, button_class="danger"):
    return render(request, "core/confirm.html", {
        "title": title, "question": question, "detail": detail, "button_label": button_label,
        "button_class": button_class, "cancel_url": reverse("accounts:manage_edit", args=[account.pk]),
        "account": account,
    })


@permission_required("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_deactivate_view(request, pk):
    account = _account_for(request, pk)
    if account.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("accounts:manage_list")
    if request.method == "POST":
        try:
            account_deactivate(actor=request.user, user=account)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The account %(username)s is deactivated.") % {"username": account.username})
        return redirect("accounts:manage_list")
    return _confirm(
        request, account=account,
        title=_("Deactivate an account"),
        question=_("Deactivate the account %(username)s (%(name)s)?") % {
            "username": account.username, "name": account.display_name},
        detail=_("The person is logged out at once and can no longer log in; their API tokens stop working. "
                 "Their work stays. You can reactivate the account later."),
        button_label=_("Deactivate"),
    )


@permission_required("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_reactivate_view(request, pk):
    account = _account_for(request, pk)
    if request.method == "POST":
        account_reactivate(actor=request.user, user=account)
        messages.success(request, _("The account %(username)s is active again.") % {"username": account.username})
        return redirect("accounts:manage_list")
    return _confirm(
        request, account=account,
        title=_("Reactivate an account"),
        question=_("Reactivate the account %(username)s (%(name)s)?") % {
            "username": account.username, "name": account.display_name},
        detail=_("The person can log in again with their password. API tokens revoked at deactivation stay revoked."),
        button_label=_("Reactivate"), button_class="primary",
    )


@never_cache
@permission_required("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_reset_password_view(request, pk):
    account = _account_for(request, pk)
    if request.method == "POST":
        password = account_reset_password(actor=request.user, user=account)
        return _password_page(request, account=account, password=password, created=False)
    return _confirm(
        request, account=account,
        title=_("Reset a password"),
        question=_("Give %(username)s (%(name)s) a new one-time password?") % {
            "username": account.username, "name": account.display_name},
        detail=_("The old password stops working and the person is logged out. They must choose their own "
                 "password when they next log in."),
        button_label=_("Reset the password"), button_class="warning",
    )


@never_cache
@permission_required("accounts.manage")
@require_http_methods(["GET", "POST"])
def account_otp_code_view(request, pk):
    """Issue a one-time two-step enrolment code: the only way (beside the site administrator) for a
    person to enrol an authenticator, or to replace a lost one. Shown once, stored hashed."""
    account = _account_for(request, pk)
    if request.method == "POST":
        try:
            record, code = otp_enrolment_code_issue(actor=request.user, user=account)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("accounts:manage_edit", pk=account.pk)
        # Rendered, not redirected (the code must not travel through the session); never_cache.
        return render(request, "accounts/manage_otp_code.html",
                      {"account": account, "code": code, "expires_at": record.expires_at})
    return _confirm(
        request, account=account,
        title=_("Issue a two-step enrolment code"),
        question=_("Issue %(username)s (%(name)s) a one-time code to enrol an authenticator app?") % {
            "username": account.username, "name": account.display_name},
        detail=_("With this code the person binds a new authenticator app to the account; the app replaces any "
                 "earlier one (a lost phone). An earlier unused code stops working. Give the code only to the "
                 "person themselves, after checking who they are."),
        button_label=_("Issue the code"), button_class="primary",
    )
