"""The summaries pages: a unit writes and submits, an office works its inbox and board, exports. Thin."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions
from accounts.permissions import require
from activities.models import Activity
from audit.services import audit_record
from campaigns.models import Campaign
from campaigns.selectors import chosen_campaign
from core.decorators import permission_required
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import paginate
from organisations.models import Office, Unit

from . import exports, reports, selectors, services
from .forms import (
    AttachForm,
    ExtensionForm,
    HighlightFormSet,
    ReturnForm,
    SavedHighlightFormSet,
    SummaryForm,
    board_status_choices,
)
from .models import Attachment, Export, ExportStatus, Highlight, Summary, SummaryState

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"



def _campaign_unit(campaign_slug: str, unit_id: int) -> tuple[Campaign, Unit]:
    return get_object_or_404(Campaign, slug=campaign_slug), get_object_or_404(Unit, pk=unit_id)


def _deny_404(user, permission: str, obj):
    with contextlib.suppress(PermissionDenied):
        require(user, permission, obj)  # audits the denial
    raise Http404


@login_required
def mine(request):
    """Where "Summaries" leads: a coordinator's units, or the office's inbox."""
    campaign = chosen_campaign(request, cached=False)
    if campaign is None:
        raise Http404
    if not permissions.is_coordinator(request.user):
        if permissions.can(request.user, "summaries.inbox"):
            return redirect("summaries:inbox")
        raise PermissionDenied("summaries.own")
    units = list(Unit.objects.filter(pk__in=permissions.unit_ids(request.user)).order_by("name"))
    states = dict(Summary.objects.filter(campaign=campaign, unit__in=units).values_list("unit_id", "state"))
    if len(units) == 1:
        return redirect("summaries:edit", campaign.slug, units[0].pk)
    rows = [{"unit": u, "state": reports._state_label(states.get(u.pk, selectors.NOT_STARTED))} for u in units]
    return render(request, "summaries/mine.html", {"campaign": campaign, "rows": rows})


def _context(request, campaign, unit, summary):
    extension = selectors.extension_for(campaign=campaign, unit=unit)
    deadline = extension.until if extension else campaign.summary_deadline
    is_own = permissions.can(request.user, "summary.edit", unit)
    return {
        "campaign": campaign, "unit": unit, "summary": summary, "extension": extension, "deadline": deadline,
        "past_deadline": selectors.is_past_deadline(campaign=campaign, unit=unit),
        "late_closed": campaign.late_policy == Campaign.LatePolicy.CLOSED,
        "figures": selectors.unit_figures(campaign=campaign, unit=unit),
        "figure_rows": reports.totals_rows(selectors.unit_figures(campaign=campaign, unit=unit)),
        "is_own": is_own,
        "can_review": summary is not None and permissions.can(request.user, "summary.review", summary),
        "office": summary.office if summary and summary.office else campaign.office_for(unit.unit_type),
        "state_label": reports._state_label(summary.state if summary else selectors.NOT_STARTED),
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, campaign_slug: str, unit_id: int):
    """The unit's summary: write, save a draft, submit; the office reads it here and reviews it."""
    campaign, unit = _campaign_unit(campaign_slug, unit_id)
    summary = selectors.summary_get_visible(user=request.user, campaign=campaign, unit=unit)
    context = _context(request, campaign, unit, summary)
    editable = context["is_own"] and (summary is None or summary.is_editable)
    if not editable:
        return render(request, "summaries/view.html", context)
    activities = Activity.objects.filter(campaign=campaign, unit=unit).order_by("starts_at", "pk")
    initial_highlights = [
        {"title": h.title, "text": h.text, "activities": list(h.activities.all())}
        for h in (summary.highlights.all() if summary else [])
    ]
    form = SummaryForm(request.POST or None, initial={
        f: getattr(summary, f) for f in services.TEXT_FIELDS} if summary else None)
    # The saved highlights, and one empty slot only when there are none yet or the person asked for one
    # (「添加亮点」): saving never adds a blank slot by itself.
    wants_slot = not initial_highlights or request.GET.get("add") == "1"
    formset_class = HighlightFormSet if wants_slot else SavedHighlightFormSet
    formset = formset_class(request.POST or None, initial=initial_highlights, prefix="hl",
                            form_kwargs={"activities": activities})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        highlights = [{"title": f.cleaned_data["title"], "text": f.cleaned_data["text"],
                       "activity_ids": [a.pk for a in f.cleaned_data.get("activities") or []]}
                      for f in formset.forms if (f.cleaned_data.get("title") or "").strip()]
        try:
            summary = services.summary_save(actor=request.user, campaign=campaign, unit=unit,
                                            highlights=highlights, **form.cleaned_data)
            if "submit" in request.POST:
                services.summary_transition(actor=request.user, summary=summary, action="submit")
                summary.refresh_from_db()
                if summary.is_late:
                    messages.warning(request, _("Your summary was submitted after the deadline and is marked late."))
                else:
                    messages.success(request, _("Your summary was submitted to %(office)s.")
                                     % {"office": summary.office.name})
            else:
                messages.success(request, _("The draft was saved."))
                if "add_highlight" in request.POST:
                    return redirect(reverse("summaries:edit", args=[campaign.slug, unit.pk]) + "?add=1#highlights")
            return redirect("summaries:edit", campaign.slug, unit.pk)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            show_errors(form, error)
    context.update(form=form, formset=formset, attach_form=AttachForm())
    return render(request, "summaries/edit.html", context)


@login_required
def preview(request, campaign_slug: str, unit_id: int):
    campaign, unit = _campaign_unit(campaign_slug, unit_id)
    summary = selectors.summary_get_visible(user=request.user, campaign=campaign, unit=unit)
    if summary is None:
        messages.info(request, _("Save a draft first to preview it."))
        return redirect("summaries:edit", campaign.slug, unit.pk)
    context = _context(request, campaign, unit, summary)
    context["is_preview"] = True
    return render(request, "summaries/view.html", context)


@login_required
@require_POST
def attach(request, campaign_slug: str, unit_id: int):
    campaign, unit = _campaign_unit(campaign_slug, unit_id)
    if not permissions.can(request.user, "summary.edit", unit):
        _deny_404(request.user, "summary.edit", unit)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            summary = selectors.summary_for(campaign=campaign, unit=unit) or services.summary_save(
                actor=request.user, campaign=campaign, unit=unit)
            count = 0
            for name, kind in AttachForm.KINDS.items():
                if form.cleaned_data.get(name):
                    count += len(services.summary_attach(actor=request.user, summary=summary,
                                                         files=form.cleaned_data[name], kind=kind))
            messages.success(request, _("%(n)d files attached.") % {"n": count})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("summaries:edit", campaign.slug, unit.pk)


@login_required
@require_POST
def detach(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("summary__unit", "summary__campaign"), pk=pk)
    summary = attachment.summary
    if not permissions.can(request.user, "summary.edit", summary.unit):
        _deny_404(request.user, "summary.edit", summary.unit)
    try:
        services.summary_detach(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("summaries:edit", summary.campaign.slug, summary.unit_id)


@login_required
@require_http_methods(["GET", "POST"])
def transition(request, campaign_slug: str, unit_id: int, action: str):
    """Confirm, then withdraw (the unit), accept or return (the office) a summary."""
    campaign, unit = _campaign_unit(campaign_slug, unit_id)
    if action not in services.ACTIONS:
        raise Http404
    summary = selectors.summary_get_visible(user=request.user, campaign=campaign, unit=unit)
    if summary is None:
        raise Http404
    back = reverse("summaries:edit", args=[campaign.slug, unit.pk])
    form = ReturnForm(request.POST or None) if action == "return" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.summary_transition(actor=request.user, summary=summary, action=action,
                                        reason=form.cleaned_data["reason"] if form else "")
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": services.action_labels()[action]})
        return redirect(back)
    questions = {
        "submit": _("Submit the summary to the receiving office?"),
        "withdraw": _("Withdraw the summary? The office will no longer see it until you submit it again."),
        "accept": _("Accept this summary?"),
        "return": _("Return this summary to the unit for revision?"),
    }
    return render(request, "core/confirm.html", {
        "title": services.action_labels()[action], "question": questions[action], "form": form,
        "button_label": services.action_labels()[action], "button_class": "primary", "cancel_url": back,
        "detail": unit.name,
    })


@login_required
def summary_docx(request, campaign_slug: str, unit_id: int):
    campaign, unit = _campaign_unit(campaign_slug, unit_id)
    summary = selectors.summary_get_visible(user=request.user, campaign=campaign, unit=unit)
    if summary is None:
        raise Http404
    with translation.override("zh-hans"):
        content = reports.summary_docx(summary=summary)
    audit_record(action="summaries.summary.exported", actor=request.user, obj=summary, changes={"format": "docx"})
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="summary-{campaign.year}-{unit.pk}.docx"'
    return response


@permission_required("summaries.inbox")
def inbox(request):
    """The office's inbox: what is routed to its offices (administrators: every office)."""
    campaign = chosen_campaign(request, cached=False)
    if campaign is None:
        raise Http404
    state = request.GET.get("state", "")
    page = paginate(request, selectors.inbox(user=request.user, campaign=campaign, state=state))
    choices = [("", _("Every summary received")), *((s, reports._state_label(s)) for s in SummaryState.values
                                                    if s != SummaryState.DRAFT), (selectors.LATE, _("Late"))]
    return render(request, "summaries/inbox.html", {
        "campaign": campaign, "page_obj": page, "summaries": page.object_list, "state": state, "choices": choices,
        "offices": selectors.offices_of(user=request.user),
    })


@permission_required("summaries.inbox")
def board(request, office_code: str):
    """The completion board of the units routed to one office, with counts and a filter."""
    campaign = chosen_campaign(request, cached=False)
    office = get_object_or_404(Office, code=office_code)
    if campaign is None:
        raise Http404
    if not permissions.can(request.user, "summaries.office", office):
        _deny_404(request.user, "summaries.office", office)
    status = request.GET.get("status", "")
    page = paginate(request, selectors.board(campaign=campaign, office=office, status=status))
    for unit in page.object_list:
        unit.status_label = reports._state_label(unit.board_status)
    return render(request, "summaries/board.html", {
        "campaign": campaign, "office": office, "page_obj": page, "units": page.object_list, "status": status,
        "counts": selectors.board_counts(campaign=campaign, office=office), "choices": board_status_choices(),
        "offices": selectors.offices_of(user=request.user),
    })


@permission_required("summaries.inbox")
@require_http_methods(["GET", "POST"])
def extend(request, campaign_slug: str, unit_id: int):
    campaign, unit = _campaign_unit(campaign_slug, unit_id)
    office = campaign.office_for(unit.unit_type)
    if not permissions.can(request.user, "summaries.office", office):
        _deny_404(request.user, "summaries.office", office)
    existing = selectors.extension_for(campaign=campaign, unit=unit)
    form = ExtensionForm(request.POST or None, initial={"until": existing.until, "reason": existing.reason}
                         if existing else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_grant(actor=request.user, campaign=campaign, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The extension was granted to %(unit)s.") % {"unit": unit.name})
            return redirect("summaries:board", office.code)
    return render(request, "core/confirm.html", {
        "title": _("Extend the summary deadline"), "question": unit.name, "form": form,
        "button_label": _("Grant the extension"), "button_class": "primary",
        "detail": _("The campaign's deadline is %(day)s.") % {"day": f"{campaign.summary_deadline:%Y-%m-%d}"},
        "cancel_url": reverse("summaries:board", args=[office.code]) if office else "/",
    })


@login_required
@require_POST
def star(request, pk: int):
    highlight = get_object_or_404(Highlight.objects.select_related("summary__unit", "summary__campaign"), pk=pk)
    if not permissions.can(request.user, "summary.review", highlight.summary):
        _deny_404(request.user, "summary.review", highlight.summary)
    try:
        services.highlight_star(actor=request.user, highlight=highlight, starred=request.POST.get("star") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("summaries:edit", highlight.summary.campaign.slug, highlight.summary.unit_id)


@permission_required("summaries.report")
@require_http_methods(["GET", "POST"])
def export_list(request):
    """Start a report, workbook or package; follow its progress; download it when it is ready."""
    campaign = chosen_campaign(request, cached=False)
    params = {"campaign": campaign.slug if campaign else ""}
    if request.method == "POST":
        if request.POST.get("office"):
            params["office"] = request.POST["office"]
        try:
            exports.export_start(actor=request.user, kind=request.POST.get("kind", ""), params=params)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The export was started; it appears below when it is ready."))
        return redirect("summaries:exports")
    page = paginate(request, selectors.exports_of(user=request.user))
    names = {cls.identifier: cls.verbose_name for cls in exports.REGISTRY.values()}
    for export in page.object_list:
        export.label = names.get(export.kind, export.kind)
    return render(request, "summaries/exports.html", {
        "campaign": campaign, "page_obj": page, "exports": page.object_list,
        "export_groups": _export_groups(request.user, params),
    })


def _export_groups(user, params: dict) -> list[dict]:
    """The buttons of the exports page: the city's files (lead office), then each of the user's offices'."""
    groups = [{"office": None, "exporters": [e for e in exports.exporters_for(user, params) if e.scope != "office"]}]
    for office in selectors.offices_of(user=user):
        scoped = [e for e in exports.exporters_for(user, {**params, "office": office.code}) if e.scope == "office"]
        if scoped:
            groups.append({"office": office, "exporters": scoped})
    return [group for group in groups if group["exporters"]]


@login_required
def export_status(request, pk: int):
    """One export's row, polled by htmx until it is done or failed."""
    export = get_object_or_404(selectors.exports_of(user=request.user), pk=pk)
    names = {cls.identifier: cls.verbose_name for cls in exports.REGISTRY.values()}
    export.label = names.get(export.kind, export.kind)
    return render(request, "summaries/_export_row.html", {"export": export})


@login_required
def export_download(request, pk: int):
    export = get_object_or_404(selectors.exports_of(user=request.user), pk=pk, status=ExportStatus.DONE)
    exporter = exports.REGISTRY.get(export.kind)
    exports.export_downloaded(actor=request.user, export=export)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename,
                        content_type=exporter.content_type if exporter else "application/octet-stream")


__all__ = ["Export"]
