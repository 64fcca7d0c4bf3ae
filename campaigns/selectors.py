from django.db.models import Prefetch

from core import clock, versioned_cache

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
    pk = current_campaign_pk(published_only=published_only)
    return None if pk is None else campaign_queryset().get(pk=pk)


def current_campaign_pk(*, published_only: bool = True) -> int | None:
    """The id of ``current_campaign``, in one small query."""
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
    return pk


def campaign_for_day(day) -> Campaign | None:
    """The campaign a dated record of ``day`` belongs to: that year's campaign (the latest created), if any."""
    return Campaign.objects.filter(year=day.year).order_by("-id").first() if day else None


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


# --- the campaign a person works on -----------------------------------------------------------------------

SESSION_KEY = "sciday_campaign"  # {"slug": ..., "label": ...}: the campaign staff chose in the page frame
CHOSEN_CACHE_SECONDS = 60  # on top of the campaign version (every campaigns service bumps it)


def _may_see_unpublished(user) -> bool:
    from accounts.permissions import is_organiser

    return is_organiser(user)


def current_campaign_cached(*, published_only: bool = True) -> Campaign | None:
    """``current_campaign`` (with its categories and forms), kept in the shared cache under the campaign
    version and the day: one cache round trip instead of eight queries on every management page."""
    key = f"campaigns:current:{int(published_only)}:{clock.today().isoformat()}"
    return versioned_cache.get_or_build(
        key, [versioned_cache.CAMPAIGNS], lambda: current_campaign(published_only=published_only),
        timeout=CHOSEN_CACHE_SECONDS)


def campaign_by_slug_cached(slug: str, *, published_only: bool = True) -> Campaign | None:
    key = f"campaigns:slug:{int(published_only)}:{slug}"
    return versioned_cache.get_or_build(
        key, [versioned_cache.CAMPAIGNS], lambda: campaign_by_slug(slug, published_only=published_only),
        timeout=CHOSEN_CACHE_SECONDS)


def chosen_campaign(request, *, cached: bool = True) -> Campaign | None:
    """The campaign every list, page, export and figure of the management side is scoped to: the one the
    person chose in the page frame (kept in the session), else the current one by sciday's clock.
    Organisers may choose and default to unpublished campaigns (next year's, under review); everybody else
    works on published campaigns only. One cache round trip, as before there was a choice."""
    user = getattr(request, "user", None)
    unpublished = _may_see_unpublished(user)
    choice = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    by_slug = campaign_by_slug_cached if cached else campaign_by_slug
    if choice and choice.get("slug"):
        campaign = by_slug(choice["slug"], published_only=not unpublished)
        if campaign is not None:
            return campaign
    if cached:
        return current_campaign_cached(published_only=not unpublished)
    return current_campaign(published_only=not unpublished)


def campaign_light(*, slug: str = "", published_only: bool = True) -> Campaign | None:
    """A campaign without its categories and contacts (one query): the ``slug`` one, else the current one."""
    qs = Campaign.objects.all()
    if published_only:
        qs = qs.filter(is_published=True)
    if slug:
        return qs.filter(slug=slug).first()
    pk = current_campaign_pk(published_only=published_only)
    return None if pk is None else qs.filter(pk=pk).first()


def chosen_campaign_light(request) -> Campaign | None:
    """``chosen_campaign`` without its categories and contacts, in one or two small queries (no cache):
    for lists that only filter by the campaign and name it."""
    unpublished = _may_see_unpublished(getattr(request, "user", None))
    choice = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if choice and choice.get("slug"):
        campaign = campaign_light(slug=choice["slug"], published_only=not unpublished)
        if campaign is not None:
            return campaign
    return campaign_light(published_only=not unpublished)


def campaign_choices(user) -> list[Campaign]:
    """The campaigns ``user`` may switch to, newest first."""
    qs = Campaign.objects.order_by("-year", "-id").only("id", "slug", "year", "title", "title_en", "is_published")
    if not _may_see_unpublished(user):
        qs = qs.filter(is_published=True)
    return list(qs)


def archive_campaigns(*, exclude=None) -> list[Campaign]:
    """Published campaigns for the public archive (/c/<slug>/), newest first."""
    qs = Campaign.objects.filter(is_published=True).order_by("-year", "-id").only(
        "id", "slug", "year", "title", "title_en", "edition")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs)
