"""Exhibition and education-base pages: the public directory, booking and check-in; the managers' pages."""

import segno
from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import can, is_organiser, require, unit_ids
from campaigns.selectors import chosen_campaign_light
from core.decorators import permission_required, public_view
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import paginate
from core.throttle import throttle_allow
from organisations.models import Unit

from . import selectors, services
from .forms import (
    BaseFilterForm,
    BaseForm,
    BookingForm,
    CheckInForm,
    ReasonForm,
    SlotForm,
    StopForm,
    StopReportForm,
    VisitFilterForm,
)
from .models import Exhibition, ExhibitionStop, VisitState


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))



def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, title=_("Scan to check in"))


# --- public: exhibitions ---------------------------------------------------------------------------------------

@public_view
def exhibition_list(request):
    """The exhibitions of the current campaign, or of a published past one (``?campaign=<slug>``)."""
    from campaigns.selectors import campaign_light

    slug = request.GET.get("campaign") or ""
    campaign = campaign_light(slug=slug)
    if campaign is None and slug:
        raise Http404
    page = paginate(request, selectors.exhibition_list(campaign=campaign))
    return render(request, "exhibitions/exhibition_list.html", {"page_obj": page, "exhibitions": page.object_list,
                                                                "campaign": campaign})


@public_view
def exhibition_detail(request, pk: int):
    return render(request, "exhibitions/exhibition_detail.html", {"exhibition": selectors.exhibition_get(pk=pk)})


# --- public: education bases, booking, status and check-in -------------------------------------------------------

@public_view
def base_list(request):
    form = BaseFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.base_list(**filters))
    return render(request, "exhibitions/base_list.html", {
        "filter_form": form, "page_obj": page, "bases": page.object_list,
        "filtered": any(v not in (None, "") for v in filters.values())})


def _book(request, form, *, base, actor=None, unit=None):
    """Book from a valid form; returns the visit or None (errors added to the form)."""
    data = form.cleaned_data
    slot = form.slots.get(data["slot"])
    if slot is None:
        form.add_error("slot", _("Choose one of the listed slots."))
        return None
    try:
        return services.visit_book(slot=slot, group_name=data["group_name"], group_kind=data["group_kind"],
                                   group_size=data["group_size"], contact_name=data["contact_name"],
                                   contact_phone=data["contact_phone"], note=data.get("note", ""),
                                   actor=actor, unit=unit)
    except ValidationError as exc:
        show_errors(form, exc)
        return None


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def base_detail(request, pk: int):
    """A base's page with its open slots and the public booking form."""
    base = selectors.base_get_public(pk=pk)
    slots = selectors.open_slots(base=base)
    form = BookingForm(request.POST or None, slots=slots)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not throttle_allow(request, scope="exhibitions.book", limit=_limit("SCIDAY_VISIT_BOOK_LIMIT", 10),
                              window_seconds=3600):
            form.add_error(None, _("Too many bookings were made from your network. Please try again in an hour, "
                                   "or call the base."))
            status = 429
        else:
            visit = _book(request, form, base=base)
            if visit is not None:
                return redirect("exhibitions:visit_status", code=services.visit_status_code(visit))
    return render(request, "exhibitions/base_detail.html", {"base": base, "slots": slots, "form": form},
                  status=status)


@public_view
@never_cache
def visit_status(request, code: str):
    """The booker's page: the booking's state, and once confirmed, the group's check-in QR code."""
    visit = services.visit_by_status_code(code)
    if visit is None:
        raise Http404
    context = {"visit": visit, "status_url": request.build_absolute_uri()}
    if visit.state == VisitState.CONFIRMED:
        url = request.build_absolute_uri(
            reverse("exhibitions:visit_checkin", args=[services.visit_checkin_code(visit)]))
        context |= {"checkin_url": url, "qr_svg": _qr(url)}
    return render(request, "exhibitions/visit_status.html", context)


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def visit_checkin(request, code: str):
    """The group's check-in behind its QR code: valid on the visit's date only; records who came."""
    visit = services.visit_by_checkin_code(code)
    if visit is None:
        return render(request, "exhibitions/visit_checkin.html", {"invalid": True}, status=404)
    form = CheckInForm(request.POST or None, initial={"visitors": visit.group_size})
    context = {"visit": visit, "form": form, "refusal": services.checkin_refusal(visit)}
    if request.method == "POST" and not context["refusal"]:
        if not throttle_allow(request, scope="exhibitions.checkin", limit=_limit("SCIDAY_VISIT_CHECKIN_LIMIT", 20),
                              window_seconds=600):
            context["throttled"] = True
            return render(request, "exhibitions/visit_checkin.html", context, status=429)
        if form.is_valid():
            try:
                context["visit"] = services.visit_check_in(
                    visit=visit, visitors=form.cleaned_data["visitors"],
                    actor=request.user if request.user.is_authenticated else None)
            except (ValidationError, TransitionNotAllowed) as exc:
                context["refusal"] = exc.message if isinstance(exc, TransitionNotAllowed) else " ".join(exc.messages)
            else:
                context["done"] = True
    return render(request, "exhibitions/visit_checkin.html", context)


# --- management ------------------------------------------------------------------------------------------------

@permission_required("bases.manage")
def manage_home(request):
    """Exhibitions (organisers) or the stops a unit hosts, and the bases this user runs with their figures."""
    user = request.user
    organiser = is_organiser(user)
    stops = (ExhibitionStop.objects.select_related("exhibition", "host_unit")
             .filter(host_unit_id__in=unit_ids(user)).order_by("starts_on") if not organiser else [])
    campaign = chosen_campaign_light(request) if organiser else None
    return render(request, "exhibitions/manage_home.html", {
        "campaign": campaign,
        "exhibitions": list(selectors.exhibition_list(campaign=campaign)) if organiser and campaign else [],
        "stops": list(stops), "bases": list(selectors.bases_managed(user=user)),
        "organiser": organiser, "to_decide": selectors.visits_to_decide(user=user).count(),
    })


def _form_page(request, *, form, title, cancel_url, multipart=False):
    return render(request, "exhibitions/form.html", {"form": form, "title": title, "cancel_url": cancel_url,
                                                     "multipart": multipart})


class ExhibitionForm(django_forms.ModelForm):
    class Meta:
        model = Exhibition
        fields = services.EXHIBITION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def exhibition_create(request):
    """A new touring exhibition of the campaign the organiser works on (chosen in the page frame)."""
    campaign = chosen_campaign_light(request)
    if campaign is None:
        raise Http404
    form = ExhibitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exhibition = services.exhibition_create(actor=request.user, campaign=campaign,
                                                    **{f: form.cleaned_data[f] for f in services.EXHIBITION_FIELDS})
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The exhibition was created."))
            return redirect("exhibitions:exhibition_manage", pk=exhibition.pk)
    return _form_page(request, form=form, cancel_url=reverse("exhibitions:manage"),
                      title=_("New exhibition of %(campaign)s") % {"campaign": campaign.label})


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def exhibition_end(request, pk: int, reopen: bool = False):
    """End an exhibition's tour (confirmation first), or reopen it."""
    exhibition = selectors.exhibition_get(pk=pk)
    if request.method == "POST":
        services.exhibition_end(actor=request.user, exhibition=exhibition, reopen=reopen)
        messages.success(request, _("The tour was reopened.") if reopen else _("The tour was ended."))
        return redirect("exhibitions:exhibition_manage", pk=pk)
    return render(request, "core/confirm.html", {
        "title": _("Reopen the tour") if reopen else _("End the tour"),
        "question": (_("Reopen the tour of “%(title)s”?") if reopen else _("End the tour of “%(title)s”?"))
        % {"title": exhibition.label},
        "detail": "" if reopen else _("No stop can be added afterwards; the stops held stay on its page."),
        "button_label": _("Reopen") if reopen else _("End the tour"),
        "button_class": "primary" if reopen else "danger",
        "cancel_url": reverse("exhibitions:exhibition_manage", args=[pk]),
    })


@permission_required("exhibitions.manage")
def exhibition_manage(request, pk: int):
    return render(request, "exhibitions/exhibition_manage.html", {"exhibition": selectors.exhibition_get(pk=pk)})


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def exhibition_edit(request, pk: int):
    exhibition = selectors.exhibition_get(pk=pk)
    form = ExhibitionForm(request.POST or None, instance=Exhibition.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibition_update(actor=request.user, exhibition=exhibition,
                                       **{f: form.cleaned_data[f] for f in services.EXHIBITION_FIELDS})
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The exhibition was saved."))
            return redirect("exhibitions:exhibition_manage", pk=pk)
    return _form_page(request, form=form, title=exhibition.title,
                      cancel_url=reverse("exhibitions:exhibition_manage", args=[pk]))


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def stop_create(request, pk: int):
    exhibition = selectors.exhibition_get(pk=pk)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibition_stop_create(actor=request.user, exhibition=exhibition, **form.values())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The stop was added to the tour."))
            return redirect("exhibitions:exhibition_manage", pk=pk)
    return _form_page(request, form=form, title=_("New stop of %(title)s") % {"title": exhibition.title},
                      cancel_url=reverse("exhibitions:exhibition_manage", args=[pk]))


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def stop_edit(request, pk: int):
    stop = selectors.stop_get(pk=pk)
    form = StopForm(request.POST or None, instance=ExhibitionStop.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibition_stop_update(actor=request.user, stop=stop, **form.values())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The stop was saved."))
            return redirect("exhibitions:exhibition_manage", pk=stop.exhibition_id)
    return _form_page(request, form=form, title=str(stop),
                      cancel_url=reverse("exhibitions:exhibition_manage", args=[stop.exhibition_id]))


@login_required
@require_http_methods(["GET", "POST"])
def stop_report(request, pk: int):
    """The host unit (or an organiser) records the visitor count and uploads photos of a stop."""
    stop = selectors.stop_get(pk=pk)
    if not can(request.user, "exhibition_stop.report", stop):
        raise Http404
    form = StopReportForm(request.POST or None, request.FILES or None, initial={"visitors": stop.visitors})
    back = (reverse("exhibitions:exhibition_manage", args=[stop.exhibition_id]) if is_organiser(request.user)
            else reverse("exhibitions:manage"))
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibition_stop_report(actor=request.user, stop=stop, visitors=form.cleaned_data["visitors"],
                                            photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The stop's figures were saved."))
            return redirect(back)
    return _form_page(request, form=form, title=str(stop), cancel_url=back, multipart=True)


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def base_create(request):
    form = BaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            base = services.base_create(actor=request.user, **form.values())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The education base was saved."))
            return redirect(base.get_manage_url())
    return _form_page(request, form=form, title=_("New education base"), cancel_url=reverse("exhibitions:manage"))


@permission_required("exhibitions.manage")
@require_http_methods(["GET", "POST"])
def base_edit(request, pk: int):
    base = selectors.base_get_managed(user=request.user, pk=pk)
    form = BaseForm(request.POST or None, instance=type(base).objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.base_update(actor=request.user, base=base, **form.values())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The education base was saved."))
            return redirect(base.get_manage_url())
    return _form_page(request, form=form, title=base.name, cancel_url=base.get_manage_url())


@login_required
@require_http_methods(["GET", "POST"])
def base_manage(request, pk: int):
    """A base's figures, its slots (with a form to open one) and its bookings."""
    base = selectors.base_get_managed(user=request.user, pk=pk)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_create(actor=request.user, base=base, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The slot was opened for booking."))
            return redirect(base.get_manage_url())
    page = paginate(request, selectors.visit_list(user=request.user, base=base))
    return render(request, "exhibitions/base_manage.html", {
        "base": base, "slots": selectors.open_slots(base=base), "form": form, "page_obj": page,
        "visits": page.object_list, "can_edit": can(request.user, "exhibitions.manage")})


def _my_units(user):
    return Unit.objects.filter(pk__in=unit_ids(user), is_active=True).order_by("name")


@permission_required("bases.book")
@require_http_methods(["GET", "POST"])
def base_book(request, pk: int):
    """A coordinator books a visit for their unit."""
    base = selectors.base_get_public(pk=pk)
    units = list(_my_units(request.user))
    if not units:
        raise PermissionDenied("bases.book")
    slots = selectors.open_slots(base=base)
    form = BookingForm(request.POST or None, slots=slots,
                       initial={"group_name": units[0].name, "group_kind": "unit",
                                "contact_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), units[0])
        visit = _book(request, form, base=base, actor=request.user, unit=unit)
        if visit is not None:
            messages.success(request, _("The visit was booked; the base will confirm it."))
            return redirect(visit.get_absolute_url())
    return render(request, "exhibitions/base_book.html", {"base": base, "form": form, "units": units})


@permission_required("bases.manage")
def visit_list(request):
    bases = selectors.bases_managed(user=request.user)
    form = VisitFilterForm(request.GET or None, bases=bases)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.visit_list(user=request.user, campaign=chosen_campaign_light(request),
                                                  **filters))
    return render(request, "exhibitions/visit_list.html", {
        "filter_form": form, "page_obj": page, "visits": page.object_list,
        "filtered": any(v not in (None, "") for v in filters.values())})


def _visit_actions(user, visit) -> list[str]:
    return [a for a in services.VISIT_ACTION_PERMISSIONS
            if (visit.state, a) in services.VISIT_TRANSITIONS and can(user, services.VISIT_ACTION_PERMISSIONS[a], visit)]


@login_required
def visit_manage(request, pk: int):
    visit = selectors.visit_get_visible(user=request.user, pk=pk)
    context = {"visit": visit, "actions": _visit_actions(request.user, visit),
               "labels": services.visit_action_labels()}
    if can(request.user, "visit.decide", visit):
        context["contact"] = services.visit_contact(visit)
    if visit.state == VisitState.CONFIRMED:
        url = request.build_absolute_uri(
            reverse("exhibitions:visit_checkin", args=[services.visit_checkin_code(visit)]))
        context |= {"checkin_url": url, "qr_svg": _qr(url)}
    return render(request, "exhibitions/visit_manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_action(request, pk: int, action: str):
    """Confirm, decline, mark as not come or cancel a booking, after a confirmation page."""
    if action not in services.VISIT_SERVICES:
        raise Http404
    visit = selectors.visit_get_visible(user=request.user, pk=pk)
    require(request.user, services.VISIT_ACTION_PERMISSIONS[action], visit)
    label = services.visit_action_labels()[action]
    form = ReasonForm(request.POST or None) if action in ("decline", "cancel") else None
    if request.method == "POST" and (form is None or form.is_valid()):
        kwargs = {"reason": form.cleaned_data["reason"]} if form is not None else {}
        try:
            services.VISIT_SERVICES[action](actor=request.user, visit=visit, **kwargs)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": label})
        return redirect(visit.get_absolute_url())
    return render(request, "core/confirm.html", {
        "title": label, "question": f"{visit.group_name} · {visit.base.name} · {visit.slot}", "form": form,
        "button_class": "primary" if action == "confirm" else "warning", "button_label": label,
        "cancel_url": visit.get_absolute_url()})
