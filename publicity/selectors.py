"""Every read of publicity; lists take constant queries."""

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.permissions import is_organiser, unit_ids

from .models import Article, Coverage, CoverageLevel, Poster, PosterTemplate, Video, VideoState

VIDEO_ORDERS = {"newest": ("-published_at", "-id"), "liked": ("-likes", "-published_at", "-id")}


def video_gallery(*, campaign, field: str = "", unit: str = "", order: str = "newest") -> QuerySet[Video]:
    videos = (Video.objects.filter(campaign=campaign, state=VideoState.APPROVED)
              .select_related("mp4", "poster"))
    if field:
        videos = videos.filter(field=field)
    if unit:
        videos = videos.filter(unit_name__icontains=unit)
    return videos.order_by(*VIDEO_ORDERS.get(order, VIDEO_ORDERS["newest"]))


def video_public_get(*, pk: int) -> Video:
    return get_object_or_404(Video.objects.select_related("mp4", "poster", "campaign"), pk=pk,
                             state=VideoState.APPROVED)


def featured_videos(campaign, limit: int = 6) -> list[Video]:
    """The published videos organisers chose for the home page, newest first (for the public home)."""
    return list(Video.objects.filter(campaign=campaign, state=VideoState.APPROVED, featured=True)
                .select_related("mp4", "poster").order_by("-published_at", "-id")[:limit])


def videos_for_review(*, campaign, state: str = "") -> QuerySet[Video]:
    videos = Video.objects.filter(campaign=campaign).select_related("mp4", "poster", "unit")
    if state:
        videos = videos.filter(state=state)
    return videos.order_by("-created_at", "-id")


def videos_of_user(*, user, campaign) -> QuerySet[Video]:
    return (Video.objects.filter(campaign=campaign, unit_id__in=unit_ids(user))
            .select_related("mp4", "poster").order_by("-created_at", "-id"))


def poster_gallery(*, campaign) -> QuerySet[Poster]:
    return Poster.objects.filter(campaign=campaign).select_related("unit", "png", "pdf").order_by("-created_at", "-id")


def poster_templates(*, campaign) -> QuerySet[PosterTemplate]:
    return PosterTemplate.objects.filter(campaign=campaign, is_active=True).select_related("background")


def article_list(*, campaign, kind: str = "", channel: str = "") -> QuerySet[Article]:
    articles = Article.objects.filter(campaign=campaign).select_related("unit", "pdf")
    if kind:
        articles = articles.filter(kind=kind)
    if channel:
        articles = articles.filter(channel=channel)
    return articles.order_by("-is_city", "-published_on", "-id")


def article_public_get(*, pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("unit", "pdf", "campaign"), pk=pk)


def coverage_list(*, campaign, level: str = "") -> QuerySet[Coverage]:
    items = Coverage.objects.filter(campaign=campaign).select_related("activity", "video", "nomination", "unit")
    if level:
        items = items.filter(level=level)
    return items.order_by("-published_on", "-id")


def coverage_visible_to(*, user, campaign) -> QuerySet[Coverage]:
    """All coverage for organisers; a coordinator's own units' coverage only."""
    items = coverage_list(campaign=campaign)
    return items if is_organiser(user) else items.filter(unit_id__in=unit_ids(user))


def coverage_by_day(campaign) -> list[dict]:
    """The campaign's media coverage per day and level for the dashboard's timeline: one row per (day, level)
    with the number of reports and their known reach, in date order: ``{"day", "level", "level_label",
    "count", "reach"}``."""
    labels = dict(CoverageLevel.choices)
    rows = (Coverage.objects.filter(campaign=campaign).values("published_on", "level")
            .annotate(count=Count("id"), reach=Sum("reach")).order_by("published_on", "level"))
    return [{"day": row["published_on"], "level": row["level"], "level_label": str(labels.get(row["level"], "")),
             "count": row["count"], "reach": row["reach"] or 0} for row in rows]
