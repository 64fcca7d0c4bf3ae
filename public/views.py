from django.http import Http404
from django.shortcuts import render

from campaigns.selectors import campaign_by_slug, current_campaign, key_day_state
from core.decorators import public_view


def _campaign_page(request, campaign):
    context = {"campaign": campaign}
    if campaign is not None:
        context["key_day"] = key_day_state(campaign)
    return render(request, "public/home.html", context)


@public_view
def home(request):
    """The public campaign home page: theme, key day, window, the six categories, contacts."""
    return _campaign_page(request, current_campaign())


@public_view
def campaign_detail(request, slug):
    campaign = campaign_by_slug(slug)
    if campaign is None:
        raise Http404
    return _campaign_page(request, campaign)
