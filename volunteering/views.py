"""Volunteer service pages: the public request form, follow-up and volunteer page; the staff pages for
teams, volunteers, requests, service records and reports. Thin: parse, call a service, render."""

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can, is_organiser, require, unit_ids
from audit.services import audit_record
from core import clock
from core.decorators import permission_required, public_view
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import keyset_paginate, paginate
from core.receipts import Limit, ReceiptFlow
from core.shortcuts import visible_or_404
from core.xlsx_import import FileRejected
from organisations.models import Unit

from . import importing, selectors, services
from .forms import (
    ACTION_FORMS,
    ConfirmServiceForm,
    FieldForm,
    FollowForm,
    ProgrammeForm,
    PublicRequestForm,
    RecordForm,
    RequestFilterForm,
    RequestForm,
    TeamForm,
    VolunteerFilterForm,
    VolunteerForm,
    VolunteerImportForm,
)
from .models import ExpertiseField, Programme, RequestStatus, ServiceRecord, ServiceTeam, Volunteer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The public pages where a requester sees the receipt code once and follows the request with it.
RECEIPTS = ReceiptFlow(
    receipt_key="volunteering_new_receipt", follow_key="volunteering_follow_code",
    lookup=selectors.request_by_receipt, done_url="volunteering:request_done", follow_url="volunteering:follow",
    status_url="volunteering:follow_status",
)
REQUEST_LIMIT = Limit(scope="volunteering.request", setting="SCIDAY_VOLUNTEER_REQUEST_LIMIT", default=5)
FOLLOW_LIMIT = Limit(scope="volunteering.follow", setting="SCIDAY_VOLUNTEER_FOLLOW_LIMIT", default=30)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _units_for(user):
    """The units this user may act for in volunteering forms: all active units for organisers."""
    units = Unit.objects.filter(is_active=True)
    return units if is_organiser(user) else units.filter(pk__in=unit_ids(user))


# --- public ------------------------------------------------------------------------------------

@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def request_public(request):
    """服务需求: a community, school, enterprise or village asks for a volunteer service (phone-first)."""
    return RECEIPTS.submit(
        request, form=PublicRequestForm(request.POST or None), create=services.request_submit, limit=REQUEST_LIMIT,
        too_many=_("Too many requests were filed from your network. Please try again in an hour, or call the "
                   "organisers."),
        template="volunteering/request_public.html")


@public_view
@never_cache
def request_done(request):
    """Shows the receipt code once."""
    return RECEIPTS.done(request, template="volunteering/request_done.html")


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    return RECEIPTS.follow(
        request, form=FollowForm(request.POST or None), limit=FOLLOW_LIMIT,
        not_found=_("No request has this receipt code. Check the code and try again."),
        template="volunteering/follow.html")


@public_view
@never_cache
def follow_status(request):
    service_request, _code = RECEIPTS.followed(request)
    if service_request is None:
        return redirect("volunteering:follow")
    return render(request, "volunteering/follow_status.html", {
        "req": service_request, "events": selectors.request_history(request=service_request),
        "can_confirm": service_request.status == RequestStatus.SERVED, "form": ConfirmServiceForm(),
    })


@public_view
@require_POST
def follow_confirm(request):
    service_request, code = RECEIPTS.followed(request)
    if service_request is None:
        return redirect("volunteering:follow")
    form = ConfirmServiceForm(request.POST)
    if form.is_valid():
        try:
            services.request_requester_confirm(request=service_request, receipt_code=code,
                                               note=form.cleaned_data["note"])
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for confirming the service."))
    return redirect("volunteering:follow_status")


@public_view
def volunteer_public(request, token: str):
    """A volunteer's own services and confirmed hours, by their personal link."""
    volunteer = Volunteer.objects.select_related("unit").filter(token=token).first()
    if volunteer is None:
        raise Http404
    return render(request, "volunteering/volunteer_public.html", {
        "volunteer": volunteer, "rows": selectors.volunteer_hours(volunteer=volunteer)[:200],
        "total": selectors.volunteer_total(volunteer=volunteer),
    })


@public_view
def programmes(request):
    """The volunteer programmes with their figures (confirmed hours, services, people reached)."""
    return render(request, "volunteering/programmes.html", {"programmes": selectors.programmes_with_totals()})


# --- teams ---------------------------------------------------------------------------------------

@permission_required("volunteering.view")
def team_list(request):
    field_id = request.GET.get("field") or None
    own = request.GET.get("own") == "1"
    page = paginate(request, selectors.teams_visible(
        user=request.user, field_id=field_id if str(field_id).isdigit() else None,
        search=request.GET.get("q", "").strip(), own_only=own))
    return render(request, "volunteering/team_list.html", {
        "page_obj": page, "teams": page.object_list, "fields": ExpertiseField.objects.all(),
        "can_create": is_organiser(request.user) or bool(unit_ids(request.user)), "own": own,
    })


def _team_or_404(request, pk: int) -> ServiceTeam:
    return visible_or_404(request.user, "team.view", selectors.team_get(pk=pk))


@login_required
def team_detail(request, pk: int):
    team = _team_or_404(request, pk)
    return render(request, "volunteering/team_detail.html", {
        "team": team, "members": team.members.select_related("field").order_by("name"),
        "records": selectors.records_visible(user=request.user, team_id=team.pk)[:20],
        "requests": team.requests.select_related("district").order_by("-created_at")[:20],
        "can_act": can(request.user, "team.act", team),
        "can_edit": can(request.user, "volunteering.unit", team.unit),
    })


def _team_form(request, team=None):
    units = _units_for(request.user)
    unit_id = request.POST.get("unit") or (team.unit_id if team else None) or request.GET.get("unit")
    volunteers = Volunteer.objects.filter(unit_id__in=units.values("pk"))
    if unit_id and str(unit_id).isdigit():
        volunteers = volunteers.filter(unit_id=unit_id)
    initial = {}
    if team is not None:
        initial = {"unit": team.unit_id, "name": team.name, "description": team.description,
                   "fields_of_expertise": list(team.fields.all()), "districts": list(team.districts.all()),
                   "members": list(team.members.all()), "leader": team.leader_id, "is_active": team.is_active}
    elif units.count() == 1:
        initial = {"unit": units.first().pk, "is_active": True}
    return TeamForm(request.POST or None, units=units, volunteers=volunteers.order_by("name"), initial=initial)


@permission_required("volunteering.view")
@require_http_methods(["GET", "POST"])
def team_create(request):
    form = _team_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(actor=request.user, unit=data["unit"], name=data["name"],
                                        description=data["description"], fields=list(data["fields_of_expertise"]),
                                        districts=list(data["districts"]), members=list(data["members"]),
                                        leader=data["leader"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The team was formed."))
            return redirect(team.get_absolute_url())
    return render(request, "volunteering/form.html", {"form": form, "title": _("Form a service team"),
                                                      "cancel_url": reverse("volunteering:team_list")})


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    team = _team_or_404(request, pk)
    require(request.user, "volunteering.unit", team.unit)
    form = _team_form(request, team)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_update(actor=request.user, team=team, name=data["name"], description=data["description"],
                                 fields=list(data["fields_of_expertise"]), districts=list(data["districts"]),
                                 members=list(data["members"]), leader=data["leader"], is_active=data["is_active"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The team was saved."))
            return redirect(team.get_absolute_url())
    return render(request, "volunteering/form.html", {"form": form, "title": team.name,
                                                      "cancel_url": team.get_absolute_url()})


# --- volunteers ----------------------------------------------------------------------------------

@permission_required("volunteering.view")
def volunteer_list(request):
    form = VolunteerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    field = filters.get("field")
    page = paginate(request, selectors.volunteers_visible(user=request.user, field_id=field.pk if field else None,
                                                          search=(filters.get("q") or "").strip()))
    return render(request, "volunteering/volunteer_list.html", {
        "filter_form": form, "page_obj": page, "volunteers": page.object_list,
        "units": _units_for(request.user)[:50],
    })


def _volunteer_or_404(request, pk: int) -> Volunteer:
    return visible_or_404(request.user, "volunteer.view",
                          Volunteer.objects.select_related("unit", "field").filter(pk=pk).first())


@login_required
def volunteer_detail(request, pk: int):
    volunteer = _volunteer_or_404(request, pk)
    return render(request, "volunteering/volunteer_detail.html", {
        "volunteer": volunteer, "rows": selectors.volunteer_hours(volunteer=volunteer)[:200],
        "total": selectors.volunteer_total(volunteer=volunteer),
        "personal_url": request.build_absolute_uri(reverse("volunteering:volunteer_public", args=[volunteer.token])),
    })


@permission_required("volunteering.view")
@require_http_methods(["GET", "POST"])
def volunteer_create(request):
    units = _units_for(request.user)
    form = VolunteerForm(request.POST or None, units=units,
                         initial={"unit": units.first().pk} if units.count() == 1 else {})
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The volunteer was registered."))
            return redirect(volunteer.get_absolute_url())
    return render(request, "volunteering/form.html", {"form": form, "title": _("Register a volunteer"),
                                                      "cancel_url": reverse("volunteering:volunteer_list")})


@permission_required("volunteering.view")
@require_http_methods(["GET", "POST"])
def volunteer_import(request):
    units = _units_for(request.user)
    form = VolunteerImportForm(request.POST or None, request.FILES or None, units=units,
                               initial={"unit": units.first().pk} if units.count() == 1 else {})
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            count, errors = services.volunteers_import(actor=request.user, unit=form.cleaned_data["unit"],
                                                       fileobj=form.cleaned_data["file"])
        except FileRejected as rejected:
            form.add_error("file", rejected.message)
        else:
            if not errors:
                messages.success(request, _("%(n)d volunteers were imported.") % {"n": count})
                return redirect("volunteering:volunteer_list")
    return render(request, "volunteering/volunteer_import.html", {
        "form": form, "errors": errors[:200], "error_count": len(errors), "headers": importing.HEADERS})


@permission_required("volunteering.view")
def volunteer_template(request):
    return _xlsx(importing.build_workbook([]), "volunteers-template.xlsx")


@permission_required("volunteering.view")
def volunteer_export(request):
    unit_id = request.GET.get("unit")
    unit = None
    if unit_id and unit_id.isdigit():
        unit = get_object_or_404(Unit, pk=unit_id)
    elif not is_organiser(request.user):
        units = list(_units_for(request.user)[:1])
        unit = units[0] if units else None
        if unit is None:
            raise PermissionDenied
    return _xlsx(services.volunteers_export(actor=request.user, unit=unit), "volunteers.xlsx")


# --- requests ------------------------------------------------------------------------------------

@permission_required("volunteering.view")
def request_list(request):
    form = RequestFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    from campaigns.selectors import chosen_campaign_light

    page = keyset_paginate(request, selectors.requests_visible(user=request.user, status=filters.get("status") or "",
                                                               search=(filters.get("q") or "").strip(),
                                                               campaign=chosen_campaign_light(request)),
                           selectors.REQUEST_ORDER)
    return render(request, "volunteering/request_list.html", {
        "filter_form": form, "page_obj": page, "requests": page.object_list,
        "counts": selectors.request_counts(user=request.user), "can_manage": is_organiser(request.user),
    })


@permission_required("volunteering.manage")
@require_http_methods(["GET", "POST"])
def request_create(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service_request, code = services.request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Request %(ref)s was entered. Give the requester the receipt code %(code)s; "
                                        "it is shown only now.") % {"ref": service_request.reference, "code": code})
            return redirect(service_request.get_absolute_url())
    return render(request, "volunteering/form.html", {"form": form, "title": _("Enter a request for service"),
                                                      "cancel_url": reverse("volunteering:request_list")})


def _request_or_404(request, pk: int):
    return visible_or_404(request.user, "servicerequest.view", selectors.request_get(pk=pk))


def _actions_for(user, service_request) -> list[str]:
    status, team = service_request.status, service_request.team
    actions = []
    if status == RequestStatus.SUBMITTED and (is_organiser(user) or selectors.teams_acting(user=user).exists()):
        actions.append("match")
    if team is not None and can(user, "team.act", team) and (status, "schedule") in services.TRANSITIONS:
        actions.append("schedule")
    if status == RequestStatus.SERVED and is_organiser(user):
        actions.append("confirm")
    if (status, "close") in services.TRANSITIONS and can(user, "servicerequest.close", service_request):
        actions.append("close")
    return actions


@login_required
def request_detail(request, pk: int):
    service_request = _request_or_404(request, pk)
    show_suggestions = service_request.status == RequestStatus.SUBMITTED
    can_record = (service_request.status == RequestStatus.SCHEDULED and service_request.team is not None
                  and can(request.user, "team.act", service_request.team))
    return render(request, "volunteering/request_detail.html", {
        "req": service_request, "events": selectors.request_history(request=service_request),
        "suggestions": selectors.suggest_teams(request=service_request) if show_suggestions else [],
        "show_suggestions": show_suggestions,
        "actions": [(a, services.ACTION_LABELS[a]) for a in _actions_for(request.user, service_request)],
        "can_record": can_record,
        "show_contact": is_organiser(request.user) or (service_request.team is not None
                                                       and can(request.user, "team.act", service_request.team)),
        "records": service_request.records.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_action(request, pk: int, action: str):
    service_request = _request_or_404(request, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None or action not in _actions_for(request.user, service_request):
        raise PermissionDenied
    kwargs = {}
    if action == "match":
        teams = ServiceTeam.objects.filter(is_active=True)
        if not is_organiser(request.user):
            teams = selectors.teams_acting(user=request.user)
        kwargs["teams"] = teams.order_by("name")
    initial = {"team": request.GET.get("team"), "scheduled_for": service_request.preferred_from}
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_transition(actor=request.user, request=service_request, action=action,
                                        **form.cleaned_data)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return redirect(service_request.get_absolute_url())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": services.ACTION_LABELS[action]})
            return redirect(service_request.get_absolute_url())
    return render(request, "volunteering/form.html", {
        "form": form, "title": f"{services.ACTION_LABELS[action]} · {service_request.reference}",
        "cancel_url": service_request.get_absolute_url()})


# --- service records -----------------------------------------------------------------------------

@permission_required("volunteering.view")
def record_list(request):
    team_id = request.GET.get("team")
    page = paginate(request, selectors.records_visible(user=request.user,
                                                       team_id=team_id if team_id and team_id.isdigit() else None))
    return render(request, "volunteering/record_list.html", {"page_obj": page, "records": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request, team_pk: int):
    team = _team_or_404(request, team_pk)
    require(request.user, "team.act", team)
    service_request = None
    request_id = request.GET.get("request") or request.POST.get("request")
    if request_id and str(request_id).isdigit():
        service_request = get_object_or_404(team.requests.all(), pk=request_id)
    volunteers = team.members.order_by("name")
    form = RecordForm(request.POST or None, request.FILES or None, volunteers=volunteers, initial={
        "date": service_request.scheduled_for if service_request else clock.today(),
        "programme": service_request.programme_id if service_request else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_create(
                actor=request.user, team=team, request=service_request, programme=data["programme"],
                date=data["date"], place=data["place"], summary=data["summary"],
                beneficiaries=data["beneficiaries"], beneficiary_kind=data["beneficiary_kind"],
                attendance=form.attendance(), photos=data["photos"])
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The service was recorded. Confirm the volunteers' hours below."))
            return redirect(record.get_absolute_url())
    return render(request, "volunteering/record_form.html", {
        "form": form, "team": team, "req": service_request, "multipart": True,
        "cancel_url": service_request.get_absolute_url() if service_request else team.get_absolute_url()})


def _record_or_404(request, pk: int) -> ServiceRecord:
    record = ServiceRecord.objects.select_related("team", "team__unit", "programme", "request").filter(pk=pk).first()
    visible_or_404(request.user, "team.view", record.team if record is not None else None)
    return record


@login_required
def record_detail(request, pk: int):
    record = _record_or_404(request, pk)
    return render(request, "volunteering/record_detail.html", {
        "record": record, "hours": selectors.record_hours(record=record), "photos": record.photos.all(),
        "can_confirm": can(request.user, "team.act", record.team),
    })


@login_required
@require_POST
def record_confirm_hours(request, pk: int):
    record = _record_or_404(request, pk)
    count = services.hours_confirm(actor=request.user, record=record, hour_ids=request.POST.getlist("hours"))
    messages.success(request, _("%(n)d volunteers' hours were confirmed.") % {"n": count})
    return redirect(record.get_absolute_url())


# --- reports -------------------------------------------------------------------------------------

def _month_bounds(text: str):
    try:
        year, month = (int(x) for x in text.split("-"))
        start = date(year, month, 1)
    except (ValueError, TypeError):
        return None, None
    end = date(year + (month == 12), month % 12 + 1, 1)
    from datetime import timedelta

    return start, end - timedelta(days=1)


@permission_required("volunteering.view")
def reports(request):
    from campaigns.selectors import current_campaign

    campaign = current_campaign(published_only=False)
    return render(request, "volunteering/reports.html", {
        "campaign": campaign, "month": clock.today().strftime("%Y-%m"),
        "teams": selectors.report_rows(user=request.user, by="team"),
        "programmes": selectors.report_rows(user=request.user, by="programme"),
    })


@permission_required("volunteering.view")
def report_xlsx(request, by: str):
    """The monthly (``?month=2022-05``) or campaign (no month) report per team or per programme."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from campaigns.selectors import current_campaign
    from core.spreadsheets import sheet_append
    from core.xlsx_stream import fitted_widths

    if by not in ("team", "programme"):
        raise Http404
    month = request.GET.get("month", "")
    if month:
        start, end = _month_bounds(month)
        if start is None:
            raise Http404
        period = month
    else:
        campaign = current_campaign(published_only=False)
        start, end = (campaign.window_start, campaign.window_end) if campaign else (None, None)
        period = f"{start}~{end}" if campaign else "all"
    rows = selectors.report_rows(user=request.user, by=by, start=start, end=end)
    workbook = Workbook()
    sheet = workbook.active
    name = "服务团" if by == "team" else "科普行动"
    sheet.title = name
    # The period on top (its first and last day as date cells), the table's header frozen below it.
    sheet_append(sheet, ["统计期间", start, end] if start else ["统计期间", "全部"])
    header = [name, "服务次数", "参与志愿者（人）", "服务对象（人次）", "确认服务时长（小时）", "积分"]
    sheet_append(sheet, header)
    table = [[str(row["name"]), row["services"], row["volunteers"], row["beneficiaries"], float(row["hours"]),
              float(row["hours"])] for row in rows]
    for values in table:
        sheet_append(sheet, values)
    for cell in sheet[1][1:]:
        cell.number_format = "yyyy-mm-dd"
    for cell in sheet[1][:1] + sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for index, width in fitted_widths(header, table).items():
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(width, 12)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(action="volunteering.report.exported", actor=request.user,
                 changes={"by": by, "period": period})
    return _xlsx(buffer.getvalue(), f"volunteer-{by}-{month or 'campaign'}.xlsx")



# --- the lists the organisers keep ---------------------------------------------------------------

@permission_required("volunteering.manage")
@require_http_methods(["GET", "POST"])
def lists(request):
    """Fields of expertise and volunteer programmes: organisers add them or take them out of use."""
    kind = request.POST.get("kind")
    field_form = FieldForm(request.POST if kind == "field" else None, prefix="field")
    programme_form = ProgrammeForm(request.POST if kind == "programme" else None, prefix="programme")
    if request.method == "POST":
        form = field_form if kind == "field" else programme_form
        if form.is_valid():
            try:
                if kind == "field":
                    services.field_create(actor=request.user, **form.cleaned_data)
                else:
                    services.programme_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Added to the list."))
                return redirect("volunteering:lists")
    return render(request, "volunteering/lists.html", {
        "fields": ExpertiseField.objects.all(), "programmes": Programme.objects.all(),
        "field_form": field_form, "programme_form": programme_form})


@permission_required("volunteering.manage")
@require_POST
def list_toggle(request, kind: str, pk: int):
    model = {"field": ExpertiseField, "programme": Programme}.get(kind)
    if model is None:
        raise Http404
    services.list_item_toggle(actor=request.user, item=get_object_or_404(model, pk=pk))
    return redirect("volunteering:lists")
