"""``GET /api/v1/campaigns/{slug}/dashboard``: the dashboard's figures as JSON, for the province
level and for screens, scoped by office as the page is (mounted by api/urls.py)."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from accounts import permissions
from campaigns.models import Campaign

from . import selectors

router = Router(tags=["dashboard"])


class DashboardErrorOut(Schema):
    detail: str


class ScopeOut(Schema):
    office: str = Field(description="The office's code, or \"city\" for the whole city.")
    office_name: str
    unit_types: list[str]


class DashboardOut(Schema):
    campaign: str
    scope: ScopeOut
    as_of: str
    window: dict[str, str]
    activities: dict[str, Any]
    coverage: dict[str, Any]
    summaries: dict[str, Any]
    awards: dict[str, Any]
    exhibitions: dict[str, Any]
    volunteering: dict[str, Any]
    survey: dict[str, Any]
    problems: dict[str, Any]
    publicity: dict[str, Any]


@router.get("/campaigns/{slug}/dashboard", response={200: DashboardOut, 403: DashboardErrorOut,
                                                     404: DashboardErrorOut},
            summary="The organisers' dashboard figures")
def dashboard(request, slug: str, office: str = ""):
    """Every figure of 数据看板 for the caller's office (the lead office and administrators: the whole
    city, or ``office``'s code to see one office). Organisers only."""
    if not permissions.can(request.user, "dashboard.view"):
        permissions.require(request.user, "dashboard.view")
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise HttpError(404, _("There is no campaign %(slug)s.") % {"slug": slug})
    allowed = {o.code for o in selectors.offices_to_choose(user=request.user, campaign=campaign)}
    chosen = selectors.office_for_user(user=request.user, campaign=campaign, requested=office)
    if office and office != selectors.CITY and office not in allowed:
        raise HttpError(403, _("You may not see the dashboard of office %(code)s.") % {"code": office[:40]})
    if office == selectors.CITY and chosen is not None:
        raise HttpError(403, _("Only the lead office sees the whole city."))
    return 200, selectors.cached_dashboard_figures(campaign=campaign, office=chosen)
