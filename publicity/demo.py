"""Demo publicity (clearly marked 演示): two short videos made with ffmpeg at load time (skipped if ffmpeg is
missing), a poster template with units' posters, the city's 倡议书 and units' articles, and media coverage
spread over the weeks up to the key day or today, whichever comes first (dates relative to the demo campaign's key
day and sciday's clock, never written here: nothing is dated after the day the demo runs as)."""

import datetime
import io
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile

from campaigns.models import Campaign
from core import clock
from organisations.models import Unit

from . import media, services
from .models import ArticleKind, Channel, CoverageLevel, Poster, PosterTarget, Video

VIDEOS = [("海洋科考船上的一天（演示）", "李青（演示）", "marine", "从清晨的采样到深夜的数据整理。"),
          ("实验室里的“小发明”（演示）", "王晨（演示）", "manufacturing", "一位青年工程师讲他的工装改进。")]
ARTICLES = [("commentary", "wechat", "向科技工作者致敬（演示）", -6), ("commentary", "website", "让科学家精神薪火相传（演示）", -3),
            ("initiative", "newspaper", "争做新时代科技追梦人倡议书（演示）", -8)]
COVERAGE = [("新华网（演示）", CoverageLevel.CENTRAL, -12, "青岛举办全国科技工作者日系列活动（演示）", 180000),
            ("大众日报（演示）", CoverageLevel.PROVINCIAL, -9, "青岛：弘扬科学家精神（演示）", 60000),
            ("青岛日报（演示）", CoverageLevel.CITY, -7, "科技工作者日系列活动启动（演示）", 40000),
            ("青岛电视台（演示）", CoverageLevel.CITY, -5, "走近身边的最美科技工作者（演示）", None),
            ("市南区融媒体中心（演示）", CoverageLevel.DISTRICT, -3, "市南区科普进社区（演示）", 8000),
            ("“青岛科协”公众号（演示）", CoverageLevel.NEW_MEDIA, -1, "青年科技工作者短视频展播（演示）", 25000),
            ("青岛新闻网（演示）", CoverageLevel.NEW_MEDIA, 0, "科技志愿服务进企业（演示）", 12000)]


def _background() -> ContentFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (750, 1100), "#0d3b66")
    draw = ImageDraw.Draw(image)
    for i in range(0, 1100, 40):
        draw.line([(0, i), (750, i + 200)], fill="#135892", width=8)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="template.png")


def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    campaign = Campaign.objects.filter(slug="qingdao-2022").first()
    organiser = get_user_model().objects.filter(username="organiser").first()
    if campaign is None or organiser is None or Poster.objects.filter(campaign=campaign).exists():
        return []
    key_day = campaign.key_day
    anchor = min(key_day, clock.today())  # what has been published by now
    units = list(Unit.objects.filter(is_active=True, memberships__isnull=False).distinct().order_by("pk")[:4])

    def day(offset: int) -> datetime.date:
        return anchor + datetime.timedelta(days=offset)

    template = services.poster_template_create(
        actor=organiser, campaign=campaign, name="5·30 蓝色模板（演示）", background_file=_background(),
        positions={"unit_x": 60, "unit_y": 120, "unit_size": 52, "theme_x": 60, "theme_y": 260, "theme_size": 40,
                   "date_x": 60, "date_y": 340, "date_size": 34, "qr_x": 60, "qr_y": 720, "qr_size": 300})
    for i, unit in enumerate(units[:3]):
        services.poster_make(actor=organiser, template=template, unit=unit, theme=campaign.theme[:60],
                             date_text=key_day.strftime("%Y-%m-%d"),
                             target=PosterTarget.ACTIVITIES if i % 2 == 0 else PosterTarget.CAMPAIGN,
                             base_url="http://localhost:8000")
    services.article_register(actor=organiser, campaign=campaign, city=True, data={
        "title": "致全市科技工作者的倡议书（演示）", "published_on": day(-10),
        "text": "广大科技工作者：\n\n值此全国科技工作者日到来之际，我们倡议：弘扬科学家精神，勇攀科技高峰，"
                "服务高质量发展。\n\n（演示文本）"})
    for i, (kind, channel, title, offset) in enumerate(ARTICLES):
        if units:
            services.article_register(actor=organiser, campaign=campaign, unit=units[i % len(units)], data={
                "kind": ArticleKind(kind), "channel": Channel(channel), "title": title, "published_on": day(offset),
                "link": "https://example.com/demo-article", "text": "（演示文本）"})

    videos = []
    if media.ffmpeg_available():
        with tempfile.TemporaryDirectory() as folder:
            for i, (title, author, field, description) in enumerate(VIDEOS):
                path = media.make_test_video(Path(folder) / f"demo{i}.mp4", seconds=2, size="320x180")
                unit = units[i % len(units)] if units else None
                with open(path, "rb") as handle:
                    video = services.video_submit(
                        campaign=campaign, actor=organiser, unit=unit,
                        data={"title": title, "author": author, "unit_name": unit.name if unit else "演示单位",
                              "field": field, "description": description, "consent": True},
                        uploaded_file=File(handle, name=path.name))
                video.refresh_from_db()  # an immediate task backend may have transcoded it already
                video = services.video_transcode(video=video)
                video = services.video_review(actor=organiser, video=video, action="approve")
                if i == 0:
                    services.video_feature(actor=organiser, video=video, featured=True)
                Video.objects.filter(pk=video.pk).update(likes=12 - 5 * i, views=140 - 40 * i)
                videos.append(video)
    for i, (outlet, level, offset, title, reach) in enumerate(COVERAGE):
        services.coverage_record(actor=organiser, campaign=campaign, data={
            "outlet": outlet, "level": level, "published_on": day(offset), "title": title,
            "link": "https://example.com/demo-news", "reach": reach,
            "video": videos[0] if videos and i == 5 else None})
    return []
