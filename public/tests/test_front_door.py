"""The public front door (issue #13 items 1, 2, 7, 8): entries shown only with content, the activity list's
order and its cancelled filter, a held activity's story, 长辈版 remembered by a cookie, share tags."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity, ActivityPhoto, MediaCoverage, State
from activities.services import activity_publication_apply
from activities.tests.factories import ActivityFactory
from core import versioned_cache

CLOCK = "2022-05-20T10:00+08:00"


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2022, 5, day, hour, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _published(unit, title, day, state=State.APPROVED, **extra) -> Activity:
    activity = ActivityFactory(unit=unit, title=title, starts_at=_at(day), ends_at=_at(day, 11), state=state, **extra)
    fields = activity_publication_apply(activity)
    activity.save(update_fields=fields)
    versioned_cache.bump(versioned_cache.ACTIVITIES)
    return activity


@pytest.fixture
def clock(settings):
    settings.SCIDAY_CLOCK = CLOCK


def test_the_home_shows_an_entry_only_when_it_has_content(client, qingdao, unit_a, clock):
    body = client.get("/").content.decode()
    assert 'data-testid="entry-activities"' not in body  # nothing published yet
    assert 'data-testid="entry-request"' in body and 'data-testid="entry-problems"' in body
    assert 'data-testid="entry-notice"' not in body and 'data-testid="entry-winners"' not in body
    _published(unit_a, "海洋科普讲座", 25)
    versioned_cache.bump(versioned_cache.CAMPAIGNS)
    body = client.get("/").content.decode()
    assert 'data-testid="entry-activities"' in body and 'data-testid="entry-calendar"' in body


def test_the_list_opens_on_upcoming_then_held_and_hides_cancelled_unless_asked(client, qingdao, unit_a, clock):
    _published(unit_a, "早已举办的活动", 12, state=State.HELD)
    _published(unit_a, "昨天举办的活动", 19, state=State.HELD)
    _published(unit_a, "下周的活动", 27)
    _published(unit_a, "明天的活动", 21)
    _published(unit_a, "已被取消的讲座", 22, state=State.CANCELLED)
    body = client.get(reverse("activities:list")).content.decode()
    order = [body.index(t) for t in ("明天的活动", "下周的活动", "昨天举办的活动", "早已举办的活动")]
    assert order == sorted(order)
    assert "已被取消的讲座" not in body
    assert "已被取消的讲座" in client.get(reverse("activities:list"), {"cancelled": "on"}).content.decode()
    held = client.get(reverse("activities:list"), {"when": "held"}).content.decode()
    assert "昨天举办的活动" in held and "明天的活动" not in held


def test_a_held_activity_tells_its_story(client, qingdao, unit_a, clock):
    from activities.tests.factories import png_file
    from uploads.models import AssetUse
    from uploads.services import asset_store

    activity = _published(unit_a, "已举办的科普讲座", 18, state=State.RECOMMENDED_UP,
                          actual_participants=321, outcome="听众踊跃提问。")
    photo = asset_store(uploaded_file=png_file(), use=AssetUse.IMAGE, owner=None, unit=unit_a, is_public=True)
    ActivityPhoto.objects.create(activity=activity, asset=photo)
    MediaCoverage.objects.create(activity=activity, outlet="青岛日报", title="讲座成功举办",
                                 link="https://news.example.com/1.html", date=datetime.date(2022, 5, 19))
    MediaCoverage.objects.create(activity=activity, outlet="某号", title="危险链接", link="javascript:alert(1)",
                                 date=datetime.date(2022, 5, 19))
    versioned_cache.bump(versioned_cache.ACTIVITIES)
    body = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert 'data-testid="participants">321<' in body and "听众踊跃提问。" in body
    assert 'href="#photo-1"' in body and 'id="photo-1"' in body and str(photo.public_id) in body
    assert 'href="https://news.example.com/1.html"' in body
    assert "危险链接" in body and "javascript:" not in body  # through |safe_link: shown, not linked
    assert "重点活动" in body
    upcoming = _published(unit_a, "还没举办的活动", 28)
    assert 'data-testid="story"' not in client.get(reverse("activities:detail", args=[upcoming.pk])).content.decode()


def test_large_text_is_remembered_by_a_cookie_and_goes_back_only_inside_the_site(client, qingdao, clock):
    response = client.get(reverse("public:large_text"), {"on": "1", "next": "/activities/"})
    assert response.status_code == 302 and response["Location"] == "/activities/"
    assert response.cookies["sciday_large_text"].value == "1"
    assert "sciday-large" in client.get("/").content.decode()
    response = client.get(reverse("public:large_text"), {"on": "0", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"
    assert "sciday-large" not in client.get("/").content.decode()
    assert client.get(reverse("public:large_text"), {"next": "//evil.example.com/"})["Location"] == "/"


def test_public_pages_have_a_share_card_breadcrumbs_and_a_qr_code(client, qingdao, clock):
    body = client.get(reverse("exhibitions:list")).content.decode()
    assert '<meta property="og:title" content="' in body and 'content="" data-from-title' not in body
    assert 'property="og:image"' in body and 'property="og:description"' in body
    assert 'data-testid="breadcrumbs"' in body and 'data-testid="back"' in body
    assert 'data-testid="page-qr"' in body and "<svg" in body
    assert 'data-testid="tabbar"' in body


def test_staff_pages_have_no_public_frame(client, qingdao, organiser, clock):
    client.force_login(organiser)
    body = client.get(reverse("workbench:home")).content.decode()
    assert 'data-testid="tabbar"' not in body and 'data-testid="page-qr"' not in body


def test_the_host_stars_a_photo_and_the_public_page_shows_it_first_as_a_highlight(
        client, qingdao, unit_a, coordinator_a, clock):
    from activities.tests.factories import png_file
    from audit.models import AuditEntry
    from uploads.models import AssetUse
    from uploads.services import asset_store

    activity = _published(unit_a, "有精彩瞬间的活动", 18, state=State.HELD, actual_participants=50)
    photos = [ActivityPhoto.objects.create(activity=activity, asset=asset_store(
        uploaded_file=png_file(), use=AssetUse.IMAGE, owner=None, unit=unit_a, is_public=True)) for _ in range(2)]
    client.force_login(coordinator_a)
    response = client.post(reverse("activities:photo_star", args=[activity.pk, photos[1].pk]), {"starred": "1"})
    assert response.status_code == 302
    assert ActivityPhoto.objects.get(pk=photos[1].pk).is_highlight
    assert AuditEntry.objects.filter(action="activities.photo.starred").count() == 1
    client.logout()
    body = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert 'data-testid="highlight"' in body
    assert body.index(str(photos[1].asset.public_id)) < body.index(str(photos[0].asset.public_id))


def test_another_unit_cannot_star_a_photo(client, qingdao, unit_a, unit_b, coordinator_b, clock):
    from activities.tests.factories import png_file
    from uploads.models import AssetUse
    from uploads.services import asset_store

    activity = _published(unit_a, "别人的活动", 18, state=State.HELD, actual_participants=50)
    photo = ActivityPhoto.objects.create(activity=activity, asset=asset_store(
        uploaded_file=png_file(), use=AssetUse.IMAGE, owner=None, unit=unit_a, is_public=True))
    client.force_login(coordinator_b)
    response = client.post(reverse("activities:photo_star", args=[activity.pk, photo.pk]), {"starred": "1"})
    assert response.status_code in (403, 404)
    assert not ActivityPhoto.objects.get(pk=photo.pk).is_highlight
