import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from publicity import media, selectors, services
from publicity.models import Video, VideoLike, VideoState

pytestmark = pytest.mark.django_db


def _upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/octet-stream")


def _form(**extra):
    return {"title": "我的科研一天", "author": "张青年", "unit_name": "青岛某研究所", "field": "marine",
            "description": "实验室里的一天", "consent": "on", **extra}


def _stored_originals():
    try:
        return default_storage.listdir("publicity/originals")[1]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize("kind", ["mp4", "mkv"])
def test_a_phone_video_is_transcoded_reviewed_and_shown(client, qingdao, organiser, video_files, kind,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publicity:video_submit"), {**_form(), "video": _upload(video_files[kind])})
    assert response.status_code == 302, response.content.decode()[:2000]
    video = Video.objects.get()
    assert video.campaign == qingdao
    assert video.state == VideoState.SUBMITTED and video.progress == 100
    assert ("matroska" in video.original_format) == (kind == "mkv")
    # The stored MP4 really is H.264/AAC, playable on a phone, with a poster frame; the original is gone.
    with video.mp4.file.open("rb"):
        found = media.probe(video.mp4.file.path)
    assert found.video_codec == "h264" and found.has_audio and 1.5 < found.duration < 2.6
    assert video.poster.content_type == "image/jpeg"
    assert _stored_originals() == []
    status = client.get(response.url)
    assert "待审核" in status.content.decode()
    # Not public before review.
    assert client.get(reverse("publicity:video", args=[video.pk])).status_code == 404
    assert client.get(video.mp4.get_absolute_url()).status_code == 404

    client.force_login(organiser)
    client.post(reverse("publicity:video_action", args=[video.pk, "approve"]))
    video.refresh_from_db()
    assert video.state == VideoState.APPROVED
    assert AuditEntry.objects.filter(action="publicity.video.approve").exists()
    client.logout()
    gallery = client.get(reverse("publicity:videos")).content.decode()
    assert "我的科研一天" in gallery
    page = client.get(reverse("publicity:video", args=[video.pk])).content.decode()
    assert 'property="og:title" content="我的科研一天"' in page
    assert video.mp4.get_absolute_url() in page
    ranged = client.get(video.mp4.get_absolute_url(), HTTP_RANGE="bytes=0-99")
    assert ranged.status_code == 206


def test_not_a_video_is_refused_in_chinese_and_nothing_is_stored(client, qingdao, video_files):
    response = client.post(reverse("publicity:video_submit"), {**_form(), "video": _upload(video_files["fake"])})
    assert response.status_code == 200
    assert "不是我们能读取的视频" in response.content.decode()
    assert not Video.objects.exists() and _stored_originals() == []


def test_a_video_over_the_length_cap_is_refused(client, qingdao, video_files, settings):
    settings.SCIDAY_VIDEO_MAX_SECONDS = 3
    response = client.post(reverse("publicity:video_submit"), {**_form(), "video": _upload(video_files["long"])})
    body = response.content.decode()
    assert response.status_code == 200 and "最长 3 秒" in body
    assert not Video.objects.exists() and _stored_originals() == []


def test_missing_fields_and_consent_are_said_at_once(client, qingdao, video_files):
    response = client.post(reverse("publicity:video_submit"), {"field": "marine", "video": _upload(video_files["fake"])})
    body = response.content.decode()
    assert "标题" in body and "作者" in body
    assert not Video.objects.exists()


def _approved(qingdao, organiser, video_files, title="海洋科研", **extra):
    with open(video_files["mp4"], "rb") as handle:
        from django.core.files import File

        with pytest.MonkeyPatch.context():
            video = services.video_submit(campaign=qingdao, data={**_form(title=title), "consent": True, **extra},
                                          uploaded_file=File(handle, name="clip.mp4"))
    services.video_transcode(video=video)
    return services.video_review(actor=organiser, video=video, action="approve")


def test_likes_once_per_device_and_views_count(client, qingdao, organiser, video_files):
    video = _approved(qingdao, organiser, video_files)
    url = reverse("publicity:video_like", args=[video.pk])
    client.get(video.get_absolute_url())
    video.refresh_from_db()
    assert video.views == 0  # a page load is not a view; playing is
    played = reverse("publicity:video_played", args=[video.pk])
    assert client.post(played, {}).status_code == 400
    assert client.post(played, {"played": "1"}).json() == {"counted": True}
    client.post(url, {})  # no like without the button's value
    assert not VideoLike.objects.exists()
    client.post(url, {"like": "1"})
    client.post(url, {"like": "1"})
    video.refresh_from_db()
    assert video.likes == 1 and VideoLike.objects.count() == 1 and video.views == 1
    other = client.__class__()
    other.post(url, {"like": "1"})
    video.refresh_from_db()
    assert video.likes == 2


def test_likes_are_throttled(client, qingdao, organiser, video_files, settings):
    settings.SCIDAY_VIDEO_LIKE_LIMIT = 2
    video = _approved(qingdao, organiser, video_files)
    url = reverse("publicity:video_like", args=[video.pk])
    for _ in range(3):
        client.__class__().post(url, {"like": "1"})
    video.refresh_from_db()
    assert video.likes == 2


def test_return_needs_a_reason_and_featured_selector(qingdao, organiser, video_files):
    video = _approved(qingdao, organiser, video_files)
    services.video_feature(actor=organiser, video=video, featured=True)
    assert selectors.featured_videos(qingdao) == [video]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.video_review(actor=organiser, video=video, action="return", reason=" ")
    services.video_review(actor=organiser, video=video, action="return", reason="画面不清晰")
    video.refresh_from_db()
    assert video.state == VideoState.RETURNED and not video.featured and selectors.featured_videos(qingdao) == []


def test_gallery_filters_orders_and_keeps_queries_constant(client, qingdao, organiser, video_files,
                                                           django_assert_max_num_queries):
    a = _approved(qingdao, organiser, video_files, title="海洋视频")
    b = _approved(qingdao, organiser, video_files, title="制造视频", field="manufacturing", unit_name="海尔研发")
    Video.objects.filter(pk=a.pk).update(likes=10)
    body = client.get(reverse("publicity:videos"), {"field": "manufacturing"}).content.decode()
    assert "制造视频" in body and "海洋视频" not in body
    body = client.get(reverse("publicity:videos"), {"unit": "海尔"}).content.decode()
    assert "制造视频" in body and "海洋视频" not in body
    body = client.get(reverse("publicity:videos"), {"order": "liked"}).content.decode()
    assert body.index("海洋视频") < body.index("制造视频")
    with django_assert_max_num_queries(12):
        client.get(reverse("publicity:videos"))
    assert b.pk


def test_staff_pages_are_permission_checked(client, qingdao, coordinator_a, video_files, organiser):
    video = _approved(qingdao, organiser, video_files)
    for name, args in (("publicity:manage", []), ("publicity:video_review_list", []),
                       ("publicity:coverage_manage", [])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(coordinator_a)
    assert client.get(reverse("publicity:video_review_list")).status_code == 403
    assert client.get(reverse("publicity:video_review", args=[video.pk])).status_code == 403
    assert client.post(reverse("publicity:video_action", args=[video.pk, "return"]),
                       {"reason": "x"}).status_code == 403
    assert client.get(reverse("publicity:template_create")).status_code == 403
    assert client.get(reverse("publicity:initiative_create")).status_code == 403
    video.refresh_from_db()
    assert video.state == VideoState.APPROVED
    assert client.get(reverse("publicity:manage")).status_code == 200


def test_a_coordinator_submits_for_their_unit_and_only_it_sees_the_unpublished_files(
        client, qingdao, coordinator_a, coordinator_b, unit_a, unit_b, video_files, django_capture_on_commit_callbacks):
    client.force_login(coordinator_a)
    refused = client.post(reverse("publicity:video_submit"), {**_form(unit_name=""), "unit": unit_b.pk,
                                                               "video": _upload(video_files["mp4"])})
    assert refused.status_code == 200 and not Video.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("publicity:video_submit"), {**_form(unit_name=""), "unit": unit_a.pk,
                                                        "video": _upload(video_files["mp4"])})
    video = Video.objects.get()
    assert video.unit == unit_a and video.unit_name == unit_a.name and video.submitted_by == coordinator_a
    assert client.get(video.mp4.get_absolute_url()).status_code == 200
    client.force_login(coordinator_b)
    assert client.get(video.mp4.get_absolute_url()).status_code == 404
    assert client.get(video.poster.get_absolute_url()).status_code == 404
