"""About 200 demo activities over every category, mode, state, district and unit type, with plans,
outcomes and media coverage where their state has them; every third held activity has a short video (a real
H.264/AAC MP4 made with ffmpeg at load time, left out if ffmpeg is missing)."""

import datetime
import random
import tempfile
from io import BytesIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign
from core.demo import demo_units
from organisations.models import Unit
from uploads.models import AssetUse
from uploads.services import asset_store

from .models import Activity, ActivityPhoto, ActivityPlan, Audience, MediaCoverage, Mode, PlanKind, State
from .services import activity_publication_apply, public_version_bump

COUNT = 200
STATES = [State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED, State.APPROVED, State.HELD, State.HELD,
          State.RECOMMENDED, State.RECOMMENDED_UP, State.CANCELLED]
MODES = [Mode.ONLINE, Mode.OFFLINE, Mode.HYBRID]
VENUES = ["社区党群服务中心", "科技馆报告厅", "青少年活动中心", "图书馆多功能厅", "街道文化站", "村委会大院", "学校礼堂"]
PLATFORMS = ["微信视频号", "抖音直播", "腾讯会议", "哔哩哔哩直播"]
OUTLETS = ["青岛日报", "青岛新闻网", "半岛都市报", "青岛电视台", "大众日报"]
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _video_bytes() -> bytes | None:
    """A 3-second test-pattern MP4 with a tone (H.264/AAC, plays in every phone browser), or None without ffmpeg."""
    from publicity import media  # noqa: PLC0415 - the one place that knows how sciday calls ffmpeg

    if not media.ffmpeg_available():
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = media.make_test_video(Path(folder) / "activity.mp4", seconds=3, size="320x180")
        return path.read_bytes()


def _png(colour) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (320, 200), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@transaction.atomic
def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    campaign = Campaign.objects.filter(slug="qingdao-2022").first()
    if campaign is None or Activity.objects.filter(campaign=campaign).exists():
        return []
    rng = random.Random(530)
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="coord-")}
    units = {u.name: u for u in Unit.objects.all()}
    hosts = [(units[name], users.get(username)) for username, name, _t, _d in demo_units() if name in units]
    if not hosts:
        return []
    forms = [f for c in campaign.categories.prefetch_related("forms") for f in c.forms.all()]
    days = (campaign.window_end - campaign.window_start).days
    plan_assets, photo_assets = {}, {}
    activities = []
    for i in range(COUNT):
        unit, user = hosts[i % len(hosts)]
        form = forms[i % len(forms)]
        mode = MODES[i % len(MODES)]
        state = STATES[(i // 3) % len(STATES)]
        day = campaign.key_day + datetime.timedelta(days=rng.randint(-12, 12)) if i % 4 else \
            campaign.window_start + datetime.timedelta(days=rng.randint(0, days))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 14, 15]))))
        offline = mode in (Mode.OFFLINE, Mode.HYBRID)
        activity = Activity(
            campaign=campaign, unit=unit, category=form.category, form=form, mode=mode,
            title=f"{unit.name.removesuffix('（演示）')}{form.name}活动（{i + 1}）",
            starts_at=start, ends_at=start + datetime.timedelta(hours=rng.choice([2, 3])),
            district=unit.district if offline else None,
            address=f"{unit.district.name if unit.district else ''}{rng.choice(VENUES)}" if offline else "",
            platform=rng.choice(PLATFORMS) if mode != Mode.OFFLINE else "",
            link=f"https://live.example.com/sciday/{i + 1}" if mode != Mode.OFFLINE else "",
            audiences=sorted(rng.sample(Audience.values, 2)), expected_participants=rng.choice([50, 100, 200, 500]),
            joint_st_week=form.category.number == 2 or i % 5 == 0, contact_person="王老师（演示）",
            contact_phone=f"1380000{i:04d}", show_contact_phone=i % 7 == 0,
            description=f"<p>围绕“{campaign.theme}”主题，开展{form.name}活动。</p>",
            frugality_pledge=offline or state != State.DRAFT, state=state, created_by=user,
        )
        if state == State.RETURNED:
            activity.return_reason = "活动简介过于简单，请写明活动内容和面向对象。"
        if state in (State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP):
            activity.actual_participants = activity.expected_participants + rng.randint(-20, 80)
            activity.online_views = rng.randint(500, 20000) if mode != Mode.OFFLINE else None
            activity.outcome = "<p>活动顺利举办，反响良好。</p>"
        if state == State.CANCELLED:
            activity.cancel_reason = "受疫情影响，活动取消。"
        if state not in (State.DRAFT, State.SUBMITTED, State.RETURNED):
            activity_publication_apply(activity)
        activities.append(activity)
    Activity.objects.bulk_create(activities)

    plans, photos, coverage, with_video = [], [], [], []
    video = _video_bytes()
    held = 0
    for i, activity in enumerate(activities):
        owner = activity.created_by
        if activity.is_offline and activity.state != State.DRAFT:
            if activity.unit_id not in plan_assets:
                plan_assets[activity.unit_id] = asset_store(
                    uploaded_file=SimpleUploadedFile("预案.pdf", PDF, content_type="application/pdf"),
                    use=AssetUse.PLAN, owner=owner, unit=activity.unit)
            plans += [ActivityPlan(activity=activity, kind=kind, asset=plan_assets[activity.unit_id])
                      for kind in PlanKind.values]
        if activity.actual_participants is not None:
            if activity.unit_id not in photo_assets:
                photo_assets[activity.unit_id] = asset_store(
                    uploaded_file=_png((40 + i % 200, 90, 160)), use=AssetUse.IMAGE, owner=owner,
                    unit=activity.unit, is_public=True)
            photos.append(ActivityPhoto(activity=activity, asset=photo_assets[activity.unit_id]))
            if video is not None and held % 3 == 0:  # its own file: replacing one activity's video deletes it
                activity.video = asset_store(
                    uploaded_file=SimpleUploadedFile("活动视频.mp4", video, content_type="video/mp4"),
                    use=AssetUse.VIDEO, owner=owner, unit=activity.unit, is_public=True)
                with_video.append(activity)
            held += 1
            coverage.append(MediaCoverage(
                activity=activity, outlet=OUTLETS[i % len(OUTLETS)], title=f"{activity.title}成功举办",
                link=f"https://news.example.com/2022/{i + 1}.html",
                date=timezone.localtime(activity.ends_at).date()))
    ActivityPlan.objects.bulk_create(plans)
    ActivityPhoto.objects.bulk_create(photos)
    MediaCoverage.objects.bulk_create(coverage)
    Activity.objects.bulk_update(with_video, ["video"])
    public_version_bump()
    if stdout is not None:
        stdout.write(f"Activities: {len(activities)} demo activities.")
    return []
