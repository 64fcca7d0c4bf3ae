from django.db.models import Prefetch

from core import clock

from .models import ActivityForm, Campaign, Category


def campaign_queryset():
    """Campaigns with everything a campaign page shows, in a constant number of queries."""
    return Campaign.objects.prefetch_related(
        Prefetch("categories", queryset=Category.objects.prefetch_related(
            Prefetch("forms", queryset=ActivityForm.objects.order_by("order", "id")))),
        "routing_rules__office",
        "contacts__office",
    )


def current_campaign(*, published_only: bool = True) -> Campaign | None:
    """The campaign that is running now by sciday's clock; else the next one; else the latest."""
    today = clock.today()
    qs = Campaign.objects.all()
    if published_only:
        qs = qs.filter(is_published=True)
    # A city has one campaign a year: choosing among their dates in Python is one small query.
    dates = list(qs.values_list("pk", "window_start", "window_end"))
    running = [d for d in dates if d[1] <= today <= d[2]]
    upcoming = [d for d in dates if d[1] > today]
    if running:
        pk = max(running, key=lambda d: d[1])[0]
    elif upcoming:
        pk = min(upcoming, key=lambda d: d[1])[0]
    elif dates:
        pk = max(dates, key=lambda d: d[2])[0]
    else:
        return None
    return campaign_queryset().get(pk=pk)


def campaign_by_slug(slug: str, *, published_only: bool = True) -> Campaign | None:
    qs = campaign_queryset()
    if published_only:
        qs = qs.filter(is_published=True)
    return qs.filter(slug=slug).first()


def key_day_state(campaign: Campaign) -> dict:
    """Where the key day stands by sciday's clock: ``upcoming`` with days left, ``today`` or ``past``."""
    today = clock.today()
    days = (campaign.key_day - today).days
    if days > 0:
        return {"state": "upcoming", "days": days}
    if days == 0:
        return {"state": "today", "days": 0}
    return {"state": "past", "days": -days}
