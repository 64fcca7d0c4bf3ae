"""The organisers' dashboard 数据看板: every figure links to the filtered list it counts."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from activities.models import APPROVED_STATES, COUNTED, Activity
from campaigns.models import Campaign
from campaigns.selectors import chosen_campaign_light
from core.decorators import permission_required
from organisations.models import Unit

from . import selectors, services

NONE_LIST_SIZE = 30


def _campaign(request) -> Campaign:
    """The campaign the organiser works on (chosen in the page frame, kept in the session; else the current
    one): the same one the activity and unit lists behind the figures are scoped to."""
    campaign = chosen_campaign_light(request)
    if campaign is None:
        raise Http404
    return campaign


def _url(name: str, args=None, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _with_links(figures: dict, campaign: Campaign, office) -> dict:
    """The figures with the address of the list behind each one (the page only; the API gives the figures)."""
    acts = figures["activities"]

    def act(**params):
        return _url("activities:manage_list", state=params.pop("state", COUNTED), **params)

    acts["url"] = act()
    acts["held_url"] = act(state="held")
    for row in acts["by_state"]:
        row["url"] = act(state=row["state"])
    for row in acts["by_category"]:
        row["url"] = act(category=row["id"])
    for row in acts["by_form"]:
        row["url"] = act(form=row["id"])
    for row in acts["by_mode"]:
        row["url"] = act(mode=row["mode"])
    for row in acts["by_unit_type"]:
        row["url"] = act(unit_type=row["unit_type"])
    for row in acts["by_district"]:
        row["url"] = act(district=row["id"]) if row["id"] else ""
    for row in acts["per_day"]:
        row["url"] = act(date_from=row["date"], date_to=row["date"])

    def units(**params):
        return _url("organisations:list", active="1", campaign=campaign.slug, **params)

    cov = figures["coverage"]
    cov["url"] = units()
    cov["reported_url"] = units(activity="some")
    cov["none_url"] = units(activity="none")
    for row in cov["by_unit_type"]:
        row.update(url=units(unit_type=row["unit_type"]), reported_url=units(unit_type=row["unit_type"], activity="some"),
                   none_url=units(unit_type=row["unit_type"], activity="none"))
    for row in cov["by_district"]:
        if row["id"]:
            row.update(url=units(district=row["id"]), reported_url=units(district=row["id"], activity="some"),
                       none_url=units(district=row["id"], activity="none"))
    summaries = figures["summaries"]
    for row in summaries["by_office"]:
        board = reverse("summaries:board", args=[row["code"]])
        row.update(url=board, late_url=f"{board}?status=late", missing_url=f"{board}?status=not_started")
    figures["problems"]["url"] = reverse("problems:ledger")
    figures["problems"]["overdue_url"] = _url("problems:ledger", overdue="on")
    for row in figures["volunteering"]["by_state"]:
        row["url"] = _url("volunteering:request_list", status=row["state"])
    if figures["survey"].get("survey_id"):
        figures["survey"]["url"] = reverse("surveys:units", args=[figures["survey"]["survey_id"]])
    return figures


def _units_without_activity(campaign: Campaign, types) -> list[Unit]:
    approved = Activity.objects.filter(campaign=campaign, unit=OuterRef("pk"), state__in=APPROVED_STATES)
    units = Unit.objects.filter(is_active=True).exclude(Exists(approved)).select_related("district")
    if types is not None:
        units = units.filter(unit_type__in=types)
    return units.order_by("district__order", "unit_type", "name", "pk")


@permission_required("dashboard.view")
def home(request):
    campaign = _campaign(request)
    office = selectors.office_for_user(user=request.user, campaign=campaign, requested=request.GET.get("office", ""))
    if office is None and request.GET.get("office") not in (None, "", selectors.CITY) \
            and not selectors.offices_to_choose(user=request.user, campaign=campaign):
        raise Http404
    figures = _with_links(selectors.cached_dashboard_figures(campaign=campaign, office=office), campaign, office)
    types = selectors.scope_unit_types(campaign=campaign, office=office)
    none_units = list(_units_without_activity(campaign, types)[:NONE_LIST_SIZE])
    charts = {
        "per_day": figures["activities"]["per_day"],
        "by_category": figures["activities"]["by_category"],
        "by_mode": figures["activities"]["by_mode"],
        "by_district": figures["activities"]["by_district"],
        "summaries_per_day": figures["summaries"]["per_day"],
        "coverage_per_day": figures["publicity"]["coverage_per_day"],
        "labels": {"activities": pgettext("dashboard", "Activities"), "submitted": _("Summaries submitted (cumulative)"),
                   "coverage": _("Media reports")},
    }
    return render(request, "dashboard/home.html", {
        "campaign": campaign, "office": office, "figures": figures, "charts": charts,
        "scope_office": figures["scope"]["office"],
        "offices": selectors.offices_to_choose(user=request.user, campaign=campaign),
        "sees_city": selectors.scope_unit_types(campaign=campaign, office=office) is None,
        "none_units": none_units, "none_more": figures["coverage"]["none"] > len(none_units),
    })


@permission_required("dashboard.view")
@require_POST
def remind(request):
    """「提醒」: tell the units with no approved activity (the ones ticked, else all of the scope) to register."""
    campaign = _campaign(request)
    office = selectors.office_for_user(user=request.user, campaign=campaign, requested=request.POST.get("office", ""))
    types = selectors.scope_unit_types(campaign=campaign, office=office)
    units = _units_without_activity(campaign, types)
    ids = [int(i) for i in request.POST.getlist("units") if i.isdigit()]
    if ids:
        units = units.filter(pk__in=ids)
    units = list(units[:services.MAX_UNITS])
    if not units:
        messages.error(request, _("There is no unit to remind: every unit chosen has an approved activity."))
    else:
        n = services.units_remind(actor=request.user, campaign=campaign, units=units)
        messages.success(request, _("%(n)d of %(total)d units were reminded (the others have no coordinator).")
                         % {"n": n, "total": len(units)})
    return redirect(_url("dashboard:home", campaign=campaign.slug,
                         office=request.POST.get("office", "")) + "#coverage")
