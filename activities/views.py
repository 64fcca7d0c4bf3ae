"""Activity pages: public list, calendar, detail and check-in; the units' and organisers' management."""

import datetime
import hashlib

import segno
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.permissions import can, is_organiser, require, unit_ids
from audit.services import audit_record
from campaigns.selectors import campaign_by_slug_cached, chosen_campaign, current_campaign
from core import clock, versioned_cache
from core.decorators import permission_required, public_view
from core.device import device_id, with_device
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.i18n import localized
from core.pagination import keyset_paginate, paginate
from core.throttle import throttle_allow
from organisations.models import Unit, UnitType
from uploads import views as uploads_views

from . import excel, selectors, services
from .forms import (
    ActivityEditForm,
    ActivityFilterForm,
    CancelForm,
    CheckInForm,
    CoverageFormSet,
    ImportForm,
    ManualCheckInForm,
    MediaForm,
    PlansForm,
    ReportForm,
    ReturnForm,
)
from .models import ActivityPhoto, ActivityPlan, Audience, MediaCoverage, Mode, PlanKind, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHECKIN_LIMIT = 20  # check-in attempts per client per 10 minutes


def _campaign(request):
    """The campaign the person works on (chosen in the page frame, else the current one)."""
    campaign = chosen_campaign(request)
    if campaign is None:
        raise Http404
    return campaign



def _published(activity) -> dict:
    """The public version of an activity for templates: the snapshot with parsed times and labels."""
    data = dict(activity.published or {})
    for key in ("starts_at", "ends_at"):
        data[key] = timezone.localtime(parse_datetime(data[key]))
    data["mode_label"] = dict(Mode.choices).get(data.get("mode"), "")
    data["audience_labels"] = [dict(Audience.choices).get(a, a) for a in data.get("audiences", [])]
    data["pk"] = activity.pk
    data["cancelled"] = activity.state == State.CANCELLED
    data["mark"] = _mark(activity.state)
    data["cancel_reason"] = activity.cancel_reason if data["cancelled"] else ""
    data["is_offline"] = data.get("mode") in (Mode.OFFLINE, Mode.HYBRID)
    data["is_online"] = data.get("mode") in (Mode.ONLINE, Mode.HYBRID)
    return data


def _list_item(activity) -> dict:
    """One row of the public list or calendar, from the published columns only."""
    return {
        "pk": activity.pk, "title": activity.public_title, "unit": activity.public_unit,
        "starts_at": timezone.localtime(activity.public_starts_at),
        "ends_at": timezone.localtime(activity.public_ends_at),
        "mode_label": MODE_LABELS.get(activity.public_mode, ""), "district": activity.public_district,
        "cover": activity.public_cover, "cancelled": activity.state == State.CANCELLED,
        "mark": _mark(activity.state), "when": _when(activity),
        "has_story": activity.state in selectors.HELD_STATES,
        "has_video": activity.state in selectors.HELD_STATES and activity.video_id is not None,
    }


def _mark(state: str) -> str:
    """The public badge of a recommended or 重点 (recommended upward) activity."""
    return {State.RECOMMENDED: _("Recommended"), State.RECOMMENDED_UP: _("Key activity")}.get(state, "")


def _when(activity) -> str:
    """Upcoming, ongoing or held, by sciday's clock."""
    if activity.state == State.CANCELLED:
        return ""
    now = clock.now()
    if activity.public_ends_at < now:
        return "held"
    return "ongoing" if activity.public_starts_at <= now else "upcoming"


MODE_LABELS = dict(Mode.choices)
# A long list counts its rows up to this many (「超过 1000 条」 beyond): a broad search costs what a narrow one does.
COUNT_LIMIT = 1000


# --- public pages -------------------------------------------------------------------------------------------

PUBLIC_CACHE_SECONDS = 60  # a short lifetime on top of the version keys: nothing stale survives long
# The public pages show published activities and the current campaign (filters' categories, key day).
PUBLIC_VERSIONS = (versioned_cache.ACTIVITIES, versioned_cache.CAMPAIGNS)


def _public_cache_key(request, name: str) -> str:
    """A shared-cache key for one public page: the language, host and path (the versions are checked by
    ``core.versioned_cache``, which reads them with the entry in one round trip)."""
    where = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()[:32]
    return f"activities:public:{name}:{get_language()}:{where}"


def _public_cached(request, name: str, build):
    return versioned_cache.get_or_build(_public_cache_key(request, name), PUBLIC_VERSIONS, build,
                                        timeout=PUBLIC_CACHE_SECONDS)


def _public_campaign(request):
    """The campaign a public page shows: ``?campaign=<slug>`` (a published one, for the archive), else the
    current one. An unknown or unpublished slug answers 404."""
    slug = request.GET.get("campaign")
    if slug:
        campaign = campaign_by_slug_cached(slug, published_only=True)
        if campaign is None:
            raise Http404
        return campaign
    return current_campaign()


@public_view
def public_list(request):
    """The published activities with filters and search; the list part is cached (shared cache, by version)."""
    def build():
        campaign = _public_campaign(request)
        form = ActivityFilterForm(request.GET or None, campaign=campaign, public=True)
        filters = form.filters() if request.GET else {}
        filters.setdefault("cancelled", False)  # cancelled activities only when asked for
        page = keyset_paginate(request, selectors.public_list(campaign=campaign, useful_first=True, **filters),
                               selectors.PUBLIC_ORDER, count_limit=COUNT_LIMIT)
        return render_to_string("activities/_public_list_body.html", {
            "filter_form": form, "page_obj": page, "items": [_list_item(a) for a in page.object_list],
            "filtered": any(v not in (None, "", False) for v in filters.values()), "campaign": campaign,
        }, request=request)

    return render(request, "activities/public_list.html", {"body": _public_cached(request, "list", build)})


CALENDAR_PER_DAY = 12  # a busy day shows its first activities and a link to the whole day's list


@public_view
def public_calendar(request):
    """A week of activities by day, around the key day unless another day is asked for (cached like the list)."""
    def build():
        campaign = _public_campaign(request)
        day = parse_date(request.GET.get("day") or "") or (campaign.key_day if campaign else clock.today())
        first = day - datetime.timedelta(days=3)
        days = []
        for d in (first + datetime.timedelta(days=i) for i in range(7)):
            found = selectors.public_list(campaign=campaign, date_from=d, date_to=d)
            items = [_list_item(a) for a in found[:CALENDAR_PER_DAY]]
            days.append((d, items, found.count() - len(items)))  # two queries a day, however busy
        return {
            "days": days, "campaign": campaign,
            "previous": first - datetime.timedelta(days=4), "next": days[-1][0] + datetime.timedelta(days=4),
            "key_day": campaign.key_day if campaign else None,
        }

    return render(request, "activities/public_calendar.html", _public_cached(request, "calendar", build))


@public_view
def public_detail(request, pk: int):
    """The phone/WeChat page of one published activity; its head and body (with the share QR) are rendered
    once per version and kept in the shared cache."""
    def build():
        context = _detail_context(request, selectors.public_get(pk=pk))
        return {"title": context["item"]["title"],
                "head": render_to_string("activities/_public_detail_head.html", context, request=request),
                "body": render_to_string("activities/_public_detail_body.html", context, request=request)}

    return render(request, "activities/public_detail.html", _public_cached(request, "detail", build))


def _detail_context(request, activity) -> dict:
    url = request.build_absolute_uri(activity.get_public_url())
    item = _published(activity)
    cover = item.get("cover")
    summary = " · ".join(p for p in (
        f"{item['starts_at']:%Y-%m-%d %H:%M}", " ".join(x for x in (item.get("district"), item.get("address")) if x)
        or item.get("platform", ""), item.get("unit", "")) if p)
    description = Truncator(strip_tags(item.get("description") or "")).chars(80)
    story = selectors.public_story(activity=activity)
    return {
        "item": item, "share_url": url, "story": story,
        "og_description": f"{summary}。{description}" if description else summary,
        "og_image": request.build_absolute_uri(reverse("uploads:asset", args=[cover]) if cover
                                              else static("public/og.png")),
        "qr_svg": segno.make(url, error="m").svg_inline(scale=4, title=_("Scan to open this activity")),
    }


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@public_view
def public_ics(request, pk: int):
    """The activity as an iCalendar event, for phones' calendars."""
    item = _published(selectors.public_get(pk=pk))
    utc = datetime.UTC

    def stamp(value):
        return value.astimezone(utc).strftime("%Y%m%dT%H%M%SZ")

    place = " ".join(p for p in (item.get("district"), item.get("address")) if p) or item.get("link", "")
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sciday//activities//ZH", "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT", f"UID:activity-{pk}@sciday", f"DTSTAMP:{stamp(clock.now())}",
        f"DTSTART:{stamp(item['starts_at'])}", f"DTEND:{stamp(item['ends_at'])}",
        f"SUMMARY:{_ics_text(item['title'])}", f"LOCATION:{_ics_text(place)}",
        f"DESCRIPTION:{_ics_text(item['unit'])}", f"URL:{request.build_absolute_uri(reverse('activities:detail', args=[pk]))}",
    ]
    if item["cancelled"]:
        lines.append("STATUS:CANCELLED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{pk}.ics"'
    return response


# --- management: lists ---------------------------------------------------------------------------------------

FILTERS_CACHE_SECONDS = 600  # the rendered filter form, on top of the campaign version (districts change rarely)


def _filters(request, *, campaign) -> tuple[dict, str]:
    """The filters asked for in the query string, and the filter form rendered for them. The form's HTML
    depends only on the query string, the language and the campaign's categories and forms: it is kept in the
    shared cache (rendering its widgets costs more than the rest of a management page)."""
    form = ActivityFilterForm(request.GET or None, campaign=campaign)
    filters = form.filters() if request.GET else {}
    asked = sorted((name, request.GET.getlist(name)) for name in form.fields if name in request.GET)
    where = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    key = f"activities:filters:{campaign.pk if campaign else 0}:{get_language()}:{where}"
    html = versioned_cache.get_or_build(
        key, [versioned_cache.CAMPAIGNS],
        lambda: render_to_string("activities/_filters.html", {"filter_form": form}),
        timeout=FILTERS_CACHE_SECONDS)
    return filters, html


@permission_required("activities.manage")
def manage_list(request):
    campaign = chosen_campaign(request)
    form = ActivityFilterForm(request.GET or None, campaign=campaign)
    filters = form.filters() if request.GET else {}
    page = keyset_paginate(request, selectors.activity_list(user=request.user, campaign=campaign, **filters),
                           selectors.LIST_ORDER, count_limit=COUNT_LIMIT)
    return render(request, "activities/manage_list.html", {
        "filter_form": form, "page_obj": page, "activities": page.object_list,
        "filtered": any(v not in (None, "") for v in filters.values()),
        "can_create": can(request.user, "activities.create"), "can_review": can(request.user, "activities.review"),
        "query": request.GET.urlencode(),
    })


@permission_required("activities.review")
@require_http_methods(["GET", "POST"])
def review_queue(request):
    """The organisers' queue: a constant handful of queries however many activities there are (one COUNT of
    the waiting ones, shared by the heading and the paginator; the page's ids by index, then its rows)."""
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        chosen = list(selectors.activities_visible(user=request.user, campaign=chosen_campaign(request))
                      .filter(pk__in=ids))
        done, failed = services.activities_approve_many(actor=request.user, activities=chosen)
        if done:
            messages.success(request, _("%(count)d activities were approved.") % {"count": len(done)})
        for activity, why in failed:
            messages.error(request, f"{activity.title}: {why}")
        return redirect(request.get_full_path())
    campaign = chosen_campaign(request)
    filters, filters_html = _filters(request, campaign=campaign)
    waiting = selectors.review_waiting_count(user=request.user, campaign=campaign)
    queue = selectors.review_queue(user=request.user, campaign=campaign, **filters)
    known = waiting if selectors.review_queue_is_default(filters) else None
    page = keyset_paginate(request, queue, selectors.REVIEW_ORDER, rows=selectors.review_rows(), count=known,
                           count_limit=COUNT_LIMIT)
    return render(request, "activities/review_queue.html", {
        "filters_html": filters_html, "page_obj": page, "rows": _review_rows(page.object_list), "waiting": waiting,
    })


def _review_rows(activities) -> list[dict]:
    """The rows of the review queue, with their labels looked up once a page (not a choices lookup per cell)."""
    states, modes, unit_types = (
        {value: str(label) for value, label in choices.choices} for choices in (State, Mode, UnitType))
    return [{
        "pk": a.pk, "title": a.title, "state": a.state, "state_label": states.get(a.state, a.state),
        "url": reverse("activities:manage_detail", args=[a.pk]), "unit": a.unit.name,
        "unit_type": unit_types.get(a.unit.unit_type, ""), "category": localized(a.category),
        "form": localized(a.form), "mode": modes.get(a.mode, ""), "district": localized(a.district) if a.district else "",
        "starts_at": f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M}",
    } for a in activities]


@permission_required("activities.review")
def export(request):
    campaign = chosen_campaign(request)
    form = ActivityFilterForm(request.GET or None, campaign=campaign)
    filters = form.filters() if request.GET else {}
    activities = selectors.activity_list(user=request.user, campaign=campaign, **filters)
    audit_record(action="activities.activity.exported", actor=request.user, obj=campaign,
                 changes=dict(request.GET.items()))
    name = f"activities-{campaign.year if campaign else ''}-{clock.today():%Y%m%d}.xlsx"
    return FileResponse(excel.export_file(activities), as_attachment=True, filename=name, content_type=XLSX)


def _my_units(user):
    return Unit.objects.filter(pk__in=unit_ids(user), is_active=True).order_by("name")


@permission_required("activities.create")
@require_http_methods(["GET", "POST"])
def import_activities(request):
    campaign = _campaign(request)
    form = ImportForm(request.POST or None, request.FILES or None, units=_my_units(request.user))
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = excel.import_activities(actor=request.user, unit=form.cleaned_data["unit"], campaign=campaign,
                                              uploaded_file=form.cleaned_data["file"])
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(count)d activities were imported as drafts.") % {"count": len(created)})
            return redirect("activities:manage_list")
    return render(request, "activities/import.html", {"form": form, "errors": errors})


@permission_required("activities.create")
def import_template(request):
    return FileResponse(excel.template_file(_campaign(request)), as_attachment=True, filename="activities-template.xlsx",
                        content_type=XLSX)


# --- management: one activity --------------------------------------------------------------------------------

@permission_required("activities.create")
@require_http_methods(["GET", "POST"])
def activity_create(request):
    campaign = _campaign(request)
    units = list(_my_units(request.user))
    if not units:
        raise PermissionDenied("activities.create")
    form = ActivityEditForm(request.POST or None, request.FILES or None, campaign=campaign,
                            initial={"mode": Mode.OFFLINE})
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), units[0])
        try:
            activity = services.activity_create(actor=request.user, unit=unit, campaign=campaign,
                                                cover=form.cleaned_data.get("cover"), **form.values())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The activity was saved as a draft."))
            return redirect(activity.get_absolute_url())
    return render(request, "activities/activity_form.html", {
        "form": form, "units": units, "title": _("New activity"), "cancel_url": reverse("activities:manage_list")})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.edit", activity)
    form = ActivityEditForm(request.POST or None, request.FILES or None, instance=activity,
                            campaign=activity.campaign)
    if request.method == "POST" and form.is_valid():
        was_approved = activity.state == State.APPROVED
        try:
            activity = services.activity_update(actor=request.user, activity=activity,
                                                cover=form.cleaned_data.get("cover"), **form.values())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            if was_approved and activity.state == State.SUBMITTED:
                messages.info(request, _("The changes were saved and sent for a new review. The public page shows "
                                         "the approved version until then."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect(activity.get_absolute_url())
    return render(request, "activities/activity_form.html", {
        "form": form, "activity": activity, "title": _("Edit %(title)s") % {"title": activity.title},
        "cancel_url": activity.get_absolute_url()})


def _allowed_actions(user, activity) -> list[str]:
    return [action for action in services.ACTIONS
            if (activity.state, action) in services.TRANSITIONS
            and can(user, services.ACTION_PERMISSIONS[action], activity)]


@login_required
def manage_detail(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    plans = {p.kind: p for p in activity.plans.select_related("asset")}
    can_host = can(request.user, "activity.host", activity)
    return render(request, "activities/manage_detail.html", {
        "activity": activity,
        "can_change_outcome": can_host and activity.state in services.REPORTED_STATES,
        "media_form": MediaForm() if can_host and activity.state in services.REPORTED_STATES else None,
        "plans": [(kind, label, plans.get(kind)) for kind, label in PlanKind.choices],
        "plans_shown": [(kind, label, plans[kind]) for kind, label in PlanKind.choices if kind in plans],
        "missing": services.missing_requirements(activity, set(plans)),
        "can_edit": can(request.user, "activity.edit", activity),
        "actions": _allowed_actions(request.user, activity),
        "action_labels": services.action_labels(),
        "plans_form": PlansForm(initial={"frugality_pledge": activity.frugality_pledge}, offline=activity.is_offline),
        "photos": list(activity.photos.select_related("asset").order_by("-is_highlight", "id")),
        "coverage": list(activity.coverage.all()),
        "audience_labels": [dict(Audience.choices).get(a, a) for a in activity.audiences],
        "can_checkin": activity.is_offline and activity.state in (State.APPROVED, State.HELD)
        and can(request.user, "activity.checkins", activity),
        "is_organiser": is_organiser(request.user),
        # A resubmitted activity shows its reviewer what changed since the last review.
        "review_changes": services.review_changes(activity)
        if activity.state == State.SUBMITTED and can(request.user, "activity.review", activity) else None,
    })


@login_required
@require_POST
def activity_plans(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.edit", activity)
    form = PlansForm(request.POST, request.FILES, offline=activity.is_offline)
    valid = form.is_valid()
    # Each plan is kept on its own: one refused file does not lose the others chosen with it.
    saved = False
    try:
        for kind in [k for k in PlanKind.values if k in form.fields]:
            if form.cleaned_data.get(kind):
                services.activity_plan_attach(actor=request.user, activity=activity, kind=kind,
                                              uploaded_file=form.cleaned_data[kind])
                saved = True
        if "frugality_pledge" in form.cleaned_data and \
                form.cleaned_data["frugality_pledge"] != activity.frugality_pledge:
            services.activity_update(actor=request.user, activity=activity,
                                     frugality_pledge=form.cleaned_data["frugality_pledge"])
            saved = True
    except ValidationError as exc:
        valid = False
        for message in exc.messages:
            messages.error(request, message)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}：{message}" if label else message)
    if valid:
        messages.success(request, _("The plans were saved."))
    elif saved:
        messages.info(request, _("The other plans were saved; choose again only the file that was refused."))
    return redirect(activity.get_absolute_url())


SIMPLE_ACTIONS = {
    "submit": services.activity_submit, "withdraw": services.activity_withdraw,
    "approve": services.activity_approve, "recommend": services.activity_recommend,
    "recommend_up": services.activity_recommend_up,
}


@login_required
@require_http_methods(["GET", "POST"])
def activity_action(request, pk: int, action: str):
    """Submit, withdraw, approve, recommend or recommend upward, after a confirmation page."""
    if action not in SIMPLE_ACTIONS:
        raise Http404
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            SIMPLE_ACTIONS[action](actor=request.user, activity=activity)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": services.action_labels()[action]})
        return redirect(activity.get_absolute_url())
    return render(request, "core/confirm.html", {
        "title": services.action_labels()[action], "question": activity.title, "button_class": "primary",
        "button_label": services.action_labels()[action], "cancel_url": activity.get_absolute_url()})


@login_required
@require_http_methods(["GET", "POST"])
def activity_return(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.review", activity)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_return(actor=request.user, activity=activity, reason=form.cleaned_data["full_reason"])
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The activity was returned to its unit."))
        return redirect(activity.get_absolute_url())
    return render(request, "core/confirm.html", {
        "title": _("Return for changes"), "question": activity.title, "form": form, "button_class": "warning",
        "button_label": _("Return for changes"), "cancel_url": activity.get_absolute_url()})


@login_required
@require_http_methods(["GET", "POST"])
def activity_cancel(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.cancel", activity)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_cancel(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The activity was cancelled."))
        return redirect(activity.get_absolute_url())
    return render(request, "core/confirm.html", {
        "title": _("Cancel the activity"), "question": activity.title, "form": form,
        "detail": _("A published activity stays on the public site, marked as cancelled."),
        "button_label": _("Cancel the activity"), "cancel_url": activity.get_absolute_url()})


@login_required
@require_http_methods(["GET", "POST"])
def activity_report(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.host", activity)
    checked_in = activity.checkins.count()
    form = ReportForm(request.POST or None, request.FILES or None,
                      initial={"actual_participants": checked_in or None})
    coverage = CoverageFormSet(request.POST or None, prefix="coverage")
    if request.method == "POST" and form.is_valid() and coverage.is_valid():
        entries = [{k: f.cleaned_data[k] for k in ("outlet", "title", "link", "date")}
                   for f in coverage.forms if f.cleaned_data.get("outlet")]
        data = form.cleaned_data
        try:
            services.activity_report(actor=request.user, activity=activity,
                                     actual_participants=data["actual_participants"],
                                     online_views=data.get("online_views"), outcome=data.get("outcome", ""),
                                     photos=data.get("photos") or [], video=data.get("video"), coverage=entries)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The outcome was reported."))
            return redirect(activity.get_absolute_url())
    return render(request, "activities/report_form.html", {
        "activity": activity, "form": form, "coverage": coverage, "checked_in": checked_in,
        "refusal": services.report_refusal(activity)})


def _reported_activity(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.host", activity)
    return activity


@login_required
@require_POST
def activity_media(request, pk: int):
    """Add photos or a coverage entry to a reported outcome, or replace its video."""
    activity = _reported_activity(request, pk)
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        entries = [{k: data[k] for k in ("outlet", "title", "link", "date")}] if data.get("outlet") else []
        try:
            services.activity_media_add(actor=request.user, activity=activity, photos=data.get("photos") or [],
                                        video=data.get("video"), coverage=entries)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The outcome was updated."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(activity.get_absolute_url())


def _confirm_remove(request, activity, *, question: str, remove):
    """The confirmation page before removing part of an outcome; the removal itself on POST."""
    if request.method == "POST":
        try:
            remove()
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Removed: %(what)s") % {"what": question})
        return redirect(activity.get_absolute_url())
    return render(request, "core/confirm.html", {
        "title": _("Remove from the outcome"), "question": question,
        "detail": _("This cannot be undone. The file is deleted."), "button_label": _("Remove"),
        "cancel_url": activity.get_absolute_url()})


@login_required
@require_http_methods(["GET", "POST"])
def photo_remove(request, pk: int, photo_pk: int):
    activity = _reported_activity(request, pk)
    photo = get_object_or_404(ActivityPhoto.objects.select_related("asset", "activity"), pk=photo_pk,
                              activity=activity)
    return _confirm_remove(request, activity, question=_("Photo %(name)s") % {"name": photo.asset.original_name},
                           remove=lambda: services.activity_photo_remove(actor=request.user, photo=photo))


@login_required
@require_POST
def photo_star(request, pk: int, photo_pk: int):
    """Star or unstar a photo as a highlight of the activity's public page."""
    activity = _reported_activity(request, pk)
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=photo_pk, activity=activity)
    try:
        services.activity_photo_star(actor=request.user, photo=photo, starred=request.POST.get("starred") == "1")
    except (ValidationError, TransitionNotAllowed) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("activities:manage_detail", pk=activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def coverage_remove(request, pk: int, coverage_pk: int):
    activity = _reported_activity(request, pk)
    entry = get_object_or_404(MediaCoverage.objects.select_related("activity"), pk=coverage_pk, activity=activity)
    return _confirm_remove(request, activity, question=str(entry),
                           remove=lambda: services.activity_coverage_remove(actor=request.user, coverage=entry))


@login_required
@require_http_methods(["GET", "POST"])
def video_remove(request, pk: int):
    activity = _reported_activity(request, pk)
    if activity.video is None:
        raise Http404
    return _confirm_remove(request, activity, question=_("Video %(name)s") % {"name": activity.video.original_name},
                           remove=lambda: services.activity_video_remove(actor=request.user, activity=activity))


@login_required
@require_safe
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def plan_file(request, pk: int, kind: str):
    """A plan shown inline on the activity page (same-origin frames only); the upload service checks access."""
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    plan = get_object_or_404(ActivityPlan.objects.select_related("asset"), activity=activity, kind=kind)
    return uploads_views.asset_file(request, plan.asset.public_id)


# --- QR check-in ---------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def checkin_manage(request, pk: int):
    activity = selectors.activity_get_visible(user=request.user, pk=pk)
    require(request.user, "activity.checkins", activity)
    manual_form = ManualCheckInForm(prefix="m")
    if request.method == "POST":
        operation = request.POST.get("operation")
        if operation == "add":
            manual_form = ManualCheckInForm(request.POST, prefix="m")
            if manual_form.is_valid():
                try:
                    checkin = services.checkin_add_manual(actor=request.user, activity=activity,
                                                          **manual_form.cleaned_data)
                except ValidationError as exc:
                    show_errors(manual_form, exc)
                else:
                    messages.success(request, _("%(name)s was added to the check-in list.") % {
                        "name": checkin.name})
                    return redirect("activities:checkin_manage", pk=activity.pk)
        else:
            if operation == "rotate":
                activity = services.checkin_rotate(actor=request.user, activity=activity)
                messages.success(request, _("A new check-in code was made; the old QR code no longer works."))
            elif operation in ("open", "close"):
                activity = services.checkin_set_open(actor=request.user, activity=activity,
                                                     is_open=operation == "open")
            return redirect("activities:checkin_manage", pk=activity.pk)
    url = request.build_absolute_uri(reverse("activities:checkin", args=[services.checkin_code(activity)]))
    checkins = selectors.checkin_list(activity=activity)
    page = paginate(request, checkins)
    start, end = services.checkin_window(activity)
    return render(request, "activities/checkin_manage.html", {
        "activity": activity, "checkin_url": url, "page_obj": page, "checkins": page.object_list,
        "count": page.paginator.count, "counts": selectors.checkin_counts(activity), "manual_form": manual_form,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=5),
        "window_start": start, "window_end": end, "refusal": services.checkin_refusal(activity),
    })


@public_view
@with_device
@require_http_methods(["GET", "POST"])
def checkin(request, code: str):
    """The short mobile check-in page behind the QR code: one person per phone (device cookie and number)."""
    activity = services.checkin_activity(code)
    if activity is None:
        return render(request, "activities/checkin.html", {"invalid": True}, status=404)
    item = _published(activity) if activity.published else None
    form = CheckInForm(request.POST or None)
    context = {"activity": activity, "item": item, "form": form, "refusal": services.checkin_refusal(activity)}
    if request.method == "POST" and not context["refusal"]:
        if not throttle_allow(request, scope="activities.checkin", limit=CHECKIN_LIMIT, window_seconds=600):
            context["throttled"] = True
            return render(request, "activities/checkin.html", context, status=429)
        if form.is_valid():
            try:
                _checkin, created = services.checkin_create(activity=activity, name=form.cleaned_data["name"],
                                                            phone=form.cleaned_data["phone"],
                                                            device_id=device_id(request))
            except ValidationError as exc:
                if exc.code == "device":
                    context["device_used"] = " ".join(exc.messages)
                else:
                    context["refusal"] = " ".join(exc.messages)
            else:
                context["done"] = "created" if created else "already"
    return render(request, "activities/checkin.html", context)
