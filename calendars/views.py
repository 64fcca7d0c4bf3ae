"""Organisers keep the holiday calendar: the year's days, add/edit/delete, paste a year from the State Council's notice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import clock
from core.decorators import permission_required
from core.pagination import paginate

from . import selectors, services
from .forms import DayForm, FilterForm, PasteForm
from .models import Holiday

MANAGE = "calendars.manage"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _year_url(year: int) -> str:
    return f"{reverse('calendars:list')}?year={year}"


@permission_required(MANAGE)
def holiday_list(request):
    years = selectors.calendar_years()
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    filters = FilterForm(request.GET or None, auto_id="filter_%s")
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    page_obj = paginate(request, selectors.days_of_year(year, kind=kind), per_page=50)
    shown = next((y for y in years if y["year"] == year), {"year": year, "holidays": 0, "workdays": 0,
                                                             "organiser": 0, "covered": None})
    return render(request, "calendars/list.html", {
        "years": years, "year": year, "shown": shown, "page_obj": page_obj, "filters": filters,
        "form": DayForm(initial={"date": f"{year}-01-01" if year != clock.today().year else clock.today()}),
    })


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def day_add(request):
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.day_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(date)s was added to the calendar.") % {"date": holiday.date.isoformat()})
            return redirect(_year_url(holiday.date.year))
    return render(request, "calendars/day_form.html", {"form": form, "holiday": None})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def day_edit(request, pk):
    holiday = get_object_or_404(Holiday, pk=pk)
    form = DayForm(request.POST or None, initial={"date": holiday.date, "kind": holiday.kind, "name": holiday.name})
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.day_update(actor=request.user, holiday=holiday, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(date)s was saved.") % {"date": holiday.date.isoformat()})
            return redirect(_year_url(holiday.date.year))
    return render(request, "calendars/day_form.html", {"form": form, "holiday": holiday})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def day_delete(request, pk):
    holiday = get_object_or_404(Holiday, pk=pk)
    if request.method == "POST":
        services.day_delete(actor=request.user, holiday=holiday)
        messages.success(request, _("%(date)s was removed from the calendar.") % {"date": holiday.date.isoformat()})
        return redirect(_year_url(holiday.date.year))
    return render(request, "core/confirm.html", {
        "title": _("Remove a calendar day"),
        "question": _("Remove %(date)s (%(name)s, %(kind)s) from the calendar?")
        % {"date": holiday.date.isoformat(), "name": holiday.name, "kind": holiday.get_kind_display()},
        "detail": _("Working-day periods (public notices, due dates) computed from now on count it as an ordinary "
                    "day. A day of the official calendar comes back at the next load_holidays; edit it instead to "
                    "override it."),
        "button_label": _("Remove"),
        "cancel_url": _year_url(holiday.date.year),
    })


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def year_paste(request):
    form = PasteForm(request.POST or None, initial={"year": request.GET.get("year")} if request.GET.get("year") else None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.year_paste(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(count)d days of %(year)d were entered; %(year)d now counts as entered.")
                             % {"count": len(rows), "year": form.cleaned_data["year"]})
            return redirect(_year_url(form.cleaned_data["year"]))
    return render(request, "calendars/paste.html", {"form": form})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def year_complete(request, year):
    if request.method == "POST":
        try:
            services.year_cover(actor=request.user, year=year)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(year)d now counts as entered.") % {"year": year})
        return redirect(_year_url(year))
    return render(request, "core/confirm.html", {
        "title": _("Declare %(year)d entered") % {"year": year},
        "question": _("Are all holidays and adjusted working days of %(year)d in the calendar?") % {"year": year},
        "detail": _("From now on working days in %(year)d are counted with these days and Monday–Friday; "
                    "until then every computation that reaches %(year)d refuses.") % {"year": year},
        "button_label": _("Yes, %(year)d is complete") % {"year": year},
        "button_class": "primary",
        "cancel_url": _year_url(year),
    })
