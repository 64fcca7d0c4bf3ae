"""Organisers manage campaigns: facts, categories, routing, contacts, publication, next year's copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_coordinator, is_organiser
from audit.services import audit_record
from core.decorators import permission_required
from core.pagination import paginate

from . import services
from .forms import (
    ActivityFormRowFormSet,
    CampaignForm,
    CategoryForm,
    ContactForm,
    CopyNextYearForm,
    RoutingForm,
    activity_form_initial,
    formset_rows,
)
from .models import Campaign, CampaignContact, Category
from .selectors import SESSION_KEY, campaign_choices, campaign_queryset, chosen_campaign

MANAGE = "campaigns.manage"


def _add_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(campaign_queryset(), slug=slug)


@permission_required(MANAGE)
def campaign_list(request):
    page_obj = paginate(request, Campaign.objects.order_by("-year", "-id"))
    return render(request, "campaigns/list.html", {"page_obj": page_obj})


@permission_required(MANAGE)
def campaign_detail(request, slug):
    campaign = _campaign(slug)
    from core.registry import app_hooks

    # Each part other apps keep for the campaign, for review before it is published.
    parts = [review(campaign) for review in app_hooks("campaign_parts", "review")]
    return render(request, "campaigns/detail.html", {"campaign": campaign, "parts": parts})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def campaign_edit(request, slug):
    campaign = _campaign(slug)
    form = CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk))
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The campaign's facts were saved."))
            return redirect("campaigns:detail", slug=updated.slug)
    return render(request, "campaigns/edit.html", {"campaign": campaign, "form": form})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def category_edit(request, slug, pk):
    campaign = _campaign(slug)
    category = get_object_or_404(Category, pk=pk, campaign=campaign)
    form = CategoryForm(request.POST or None, instance=category)
    formset = ActivityFormRowFormSet(request.POST or None, initial=None if request.POST else
                                     activity_form_initial(category), prefix="forms")
    formset_error = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.category_update(actor=request.user, category=category, forms=formset_rows(formset),
                                     **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _add_errors(form, exc)
            else:
                formset_error = exc.messages
        else:
            messages.success(request, _("The category was saved."))
            return redirect("campaigns:detail", slug=campaign.slug)
    return render(request, "campaigns/category_edit.html", {
        "campaign": campaign, "category": category, "form": form, "formset": formset,
        "formset_error": formset_error,
    })


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def routing_edit(request, slug):
    campaign = _campaign(slug)
    form = RoutingForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rules_set(actor=request.user, campaign=campaign, offices=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The routing of summaries was saved."))
            return redirect("campaigns:detail", slug=campaign.slug)
    return render(request, "campaigns/routing_edit.html", {"campaign": campaign, "form": form})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_add(request, slug):
    campaign = _campaign(slug)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The contact was added."))
            return redirect("campaigns:detail", slug=campaign.slug)
    return render(request, "campaigns/contact_form.html", {"campaign": campaign, "form": form, "contact": None})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_edit(request, slug, pk):
    campaign = _campaign(slug)
    contact = get_object_or_404(CampaignContact, pk=pk, campaign=campaign)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("campaigns:detail", slug=campaign.slug)
    return render(request, "campaigns/contact_form.html", {"campaign": campaign, "form": form, "contact": contact})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def contact_delete(request, slug, pk):
    campaign = _campaign(slug)
    contact = get_object_or_404(CampaignContact, pk=pk, campaign=campaign)
    if request.method == "POST":
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(request, _("The contact was removed."))
        return redirect("campaigns:detail", slug=campaign.slug)
    return render(request, "core/confirm.html", {
        "title": _("Remove contact"),
        "question": _("Remove %(person)s (%(office)s) from the contacts of “%(campaign)s”?")
        % {"person": contact.person, "office": contact.office.label, "campaign": campaign.label},
        "button_label": _("Remove"),
        "cancel_url": reverse("campaigns:detail", args=[campaign.slug]),
    })


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def campaign_publish(request, slug, publish=True):
    campaign = _campaign(slug)
    if request.method == "POST":
        try:
            services.campaign_set_published(actor=request.user, campaign=campaign, published=publish)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The campaign is now published.") if publish
                             else _("The campaign is no longer published."))
        return redirect("campaigns:detail", slug=campaign.slug)
    if publish:
        context = {
            "title": _("Publish campaign"),
            "question": _("Publish “%(campaign)s”?") % {"campaign": campaign.label},
            "detail": _("Units and the public will see the campaign, its categories and its contacts."),
            "button_label": _("Publish"),
            "button_class": "primary",
        }
    else:
        context = {
            "title": _("Unpublish campaign"),
            "question": _("Unpublish “%(campaign)s”?") % {"campaign": campaign.label},
            "detail": _("The campaign disappears from the public site and the units' workbench until it is "
                        "published again. Nothing is deleted."),
            "button_label": _("Unpublish"),
        }
    context["cancel_url"] = reverse("campaigns:detail", args=[campaign.slug])
    return render(request, "core/confirm.html", context)


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def campaign_copy(request, slug):
    campaign = _campaign(slug)
    form = CopyNextYearForm(request.POST or None, initial={"year": campaign.year + 1,
                                                           "new_slug": services.suggested_next_slug(campaign)})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.campaign_copy(actor=request.user, campaign=campaign, year=form.cleaned_data["year"],
                                          new_slug=form.cleaned_data["new_slug"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("“%(campaign)s” was created. It is not published yet: check its dates, "
                                        "document number, contacts and each copied part below, then publish it.")
                             % {"campaign": copy.label})
            return redirect("campaigns:detail", slug=copy.slug)
    return render(request, "core/confirm.html", {
        "title": _("Copy as next year's campaign"),
        "question": _("Create a later year's campaign from “%(campaign)s”?") % {"campaign": campaign.label},
        "detail": _("Every date moves by the years between them (29 February becomes 28 February), so the key day "
                    "keeps its day whatever the weekday; the count of the Day grows by as many. Categories, "
                    "activity forms, routing, contacts, the exhibitions, the questionnaire (as a new version), the "
                    "award selection's settings and rubric are copied; the document number is left empty for the "
                    "new notice. Nothing is public until you publish the new campaign."),
        "form": form,
        "button_label": _("Create the copy"),
        "button_class": "primary",
        "cancel_url": reverse("campaigns:detail", args=[campaign.slug]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def campaign_choose(request):
    """Staff choose the campaign (year) their lists, pages, exports and figures show; kept in the session,
    shown in the page frame. The current campaign by sciday's clock is the default."""
    if not (is_organiser(request.user) or is_coordinator(request.user)):
        raise PermissionDenied
    choices = campaign_choices(request.user)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("workbench:home")
    if request.method == "POST":
        slug = request.POST.get("campaign", "")
        if slug == "":
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("You now work on the current campaign."))
            return redirect(back)
        chosen = next((c for c in choices if c.slug == slug), None)
        if chosen is None:
            messages.error(request, _("There is no such campaign to choose."))
            return redirect(reverse("campaigns:choose"))
        request.session[SESSION_KEY] = {"slug": chosen.slug, "year": chosen.year, "label": str(chosen.label)}
        audit_record(action="campaigns.campaign.chosen", actor=request.user, obj=chosen)
        messages.success(request, _("You now work on “%(campaign)s”.") % {"campaign": chosen.label})
        return redirect(back)
    return render(request, "campaigns/choose.html", {
        "choices": choices, "chosen": chosen_campaign(request), "is_default": SESSION_KEY not in request.session,
        "next": back,
    })
