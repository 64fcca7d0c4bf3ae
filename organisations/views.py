"""Units management (/manage/units/): thin views that parse, call a service or selector, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.permissions import can, require
from core.decorators import permission_required
from core.forms import show_errors
from core.pagination import paginate

from . import importing, selectors, services
from .forms import UnitContactForm, UnitFilterForm, UnitForm, UnitImportForm

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_or_404(request, pk: int, permission: str):
    """The unit if the user has ``permission`` on it; 404 otherwise, so that outsiders learn nothing."""
    unit = selectors.unit_get(pk=pk)
    if unit is None:
        raise Http404
    try:
        require(request.user, permission, unit)  # audits the denial
    except PermissionDenied:
        raise Http404
    return unit



@permission_required("units.list")
def unit_list(request):
    filter_form = UnitFilterForm(request.GET or None)
    filters = filter_form.filters() if request.GET else {}
    if filters.get("reported") is not None and not filters.get("campaign_slug"):
        from campaigns.selectors import chosen_campaign_light

        chosen = chosen_campaign_light(request)
        filters["campaign_slug"] = chosen.slug if chosen else ""
    page = paginate(request, selectors.unit_list(user=request.user, **filters))
    return render(request, "organisations/unit_list.html", {
        "filter_form": filter_form,
        "page_obj": page,
        "units": page.object_list,
        "filtered": any(v not in (None, "") for v in filters.values()),
        "can_manage": can(request.user, "units.manage"),
    })


@login_required
def unit_detail(request, pk: int):
    unit = _unit_or_404(request, pk, "unit.view")
    is_manager = can(request.user, "units.manage", unit)
    return render(request, "organisations/unit_detail.html", {
        "unit": unit,
        "can_manage": is_manager,
        "can_edit": is_manager or can(request.user, "unit.edit_contact", unit),
        "coordinators": list(selectors.unit_coordinators(unit=unit)) if is_manager else None,
    })


@permission_required("units.manage")
@require_http_methods(["GET", "POST"])
def unit_create(request):
    form = UnitForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Unit “%(name)s” was created.") % {"name": unit.name})
            return redirect("organisations:detail", pk=unit.pk)
    return render(request, "organisations/unit_form.html", {
        "form": form, "title": _("New unit"), "cancel_url": reverse("organisations:list")})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    unit = _unit_or_404(request, pk, "unit.edit_contact")
    form_class = UnitForm if can(request.user, "units.manage", unit) else UnitContactForm
    form = form_class(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("organisations:detail", pk=unit.pk)
    return render(request, "organisations/unit_form.html", {
        "form": form, "unit": unit, "contact_only": form_class is UnitContactForm,
        "title": _("Edit %(name)s") % {"name": unit.name},
        "cancel_url": reverse("organisations:detail", args=[unit.pk]),
    })


def _confirm_active_change(request, pk: int, *, activate: bool):
    unit = _unit_or_404(request, pk, "unit.view")
    require(request.user, "units.manage", unit)
    if request.method == "POST":
        service = services.unit_reactivate if activate else services.unit_deactivate
        try:
            service(actor=request.user, unit=unit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Unit “%(name)s” was reactivated.") % {"name": unit.name} if activate
                             else _("Unit “%(name)s” was deactivated.") % {"name": unit.name})
        return redirect("organisations:detail", pk=unit.pk)
    if activate:
        context = {
            "title": _("Reactivate unit"),
            "question": _("Reactivate “%(name)s”? It takes part in the campaign again.") % {"name": unit.name},
            "button_label": _("Reactivate"), "button_class": "primary",
        }
    else:
        context = {
            "title": _("Deactivate unit"),
            "question": _("Deactivate “%(name)s”?") % {"name": unit.name},
            "detail": _("It no longer takes part in the campaign. Its records are kept and you can "
                        "reactivate it at any time."),
            "button_label": _("Deactivate"), "button_class": "danger",
        }
    context["cancel_url"] = reverse("organisations:detail", args=[unit.pk])
    return render(request, "core/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_deactivate(request, pk: int):
    return _confirm_active_change(request, pk, activate=False)


@login_required
@require_http_methods(["GET", "POST"])
def unit_reactivate(request, pk: int):
    return _confirm_active_change(request, pk, activate=True)


@permission_required("units.manage")
@require_http_methods(["GET", "POST"])
def unit_import(request):
    form = UnitImportForm(request.POST or None, request.FILES or None)
    row_errors = None
    row_count = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importing.read_workbook(upload)
            created = services.unit_import(actor=request.user, rows=rows, file_name=upload.name)
        except importing.FileRejected as rejected:
            form.add_error("file", rejected.message)
        except services.ImportRejected as rejected:
            row_errors = rejected.errors
            row_count = len(rows)
        else:
            messages.success(request, ngettext("%(count)d unit was imported.", "%(count)d units were imported.",
                                               len(created)) % {"count": len(created)})
            return redirect("organisations:list")
    return render(request, "organisations/unit_import.html", {
        "form": form, "row_errors": row_errors, "row_count": row_count,
        "max_rows": importing.MAX_ROWS,
    })


@permission_required("units.manage")
def unit_import_template(request):
    content = importing.build_template(district_names=[d.name for d in selectors.districts()])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "单位导入模板.xlsx")
    return response
