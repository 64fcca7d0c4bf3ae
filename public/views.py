"""The public campaign pages. Their body is built once per campaign version, day and language and
kept in the shared cache (``core.versioned_cache``): a cached page costs one cache round trip and no
other query; an organiser's edit (campaigns.services bumps the version) shows at once."""

import hashlib

from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.selectors import archive_campaigns, campaign_by_slug, current_campaign, key_day_state
from core import clock, versioned_cache
from core.decorators import public_view

from . import selectors
from .context_processors import LARGE_TEXT_COOKIE

PAGE_CACHE_SECONDS = 60  # a lifetime on top of the version: a change made outside the services shows soon


def _build(request, campaign) -> dict:
    """The cached part of a campaign page: its title and the rendered body."""
    context = {"campaign": campaign}
    if campaign is not None:
        context["key_day"] = key_day_state(campaign)
        current = current_campaign()
        context["entries"] = selectors.home_entries(campaign, archive=current is None or current.pk != campaign.pk)
        context["videos"] = selectors.featured_videos(campaign)
        # The other published years: the current campaign's home links to their archive pages (/c/<slug>/).
        context["archive"] = archive_campaigns(exclude=campaign)
    return {
        "title": str(campaign.label) if campaign is not None else _("S&T Workers' Day"),
        "body": render_to_string("public/_home_body.html", context, request=request),
    }


def _cached_page(request, name: str, find):
    """The page of the campaign ``find()`` returns (404 when it returns nothing and ``name`` is not the home
    page), from the shared cache when it is there under the current campaign version."""
    # The key day counts down by sciday's clock and the current campaign depends on the day: the day is in
    # the key. Pages are per language (titles, issuers) and per path (one page per campaign).
    where = hashlib.sha256(request.path.encode()).hexdigest()[:16]
    key = f"public:{name}:{get_language()}:{clock.today().isoformat()}:{where}"

    def build():
        campaign = find()
        if campaign is None and name != "home":
            raise Http404
        return _build(request, campaign)

    page = versioned_cache.get_or_build(key, [versioned_cache.CAMPAIGNS], build, timeout=PAGE_CACHE_SECONDS)
    return render(request, "public/home.html", page)


@public_view
def home(request):
    """The public campaign home page: theme, key day, window, the six categories, contacts."""
    return _cached_page(request, "home", current_campaign)


@public_view
def campaign_detail(request, slug):
    return _cached_page(request, "campaign", lambda: campaign_by_slug(slug))


LARGE_TEXT_SECONDS = 365 * 24 * 3600


@public_view
def large_text(request):
    """Switch 长辈版 (large text, large tap targets) on or off for this device, then go back to the page."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=LARGE_TEXT_SECONDS, samesite="Lax",
                            secure=request.is_secure(), httponly=True)
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


@public_view
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page's <link rel="icon"> says: the site's icon."""
    return HttpResponsePermanentRedirect(static("sciday/favicon.png"))
