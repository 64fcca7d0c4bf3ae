"""Short videos in a real browser: a phone uploads a real MP4 and a .mkv, they are transcoded, an organiser
approves them, and the phone finds them in the gallery and plays them (the <video> reports its duration)."""

import pytest

from accounts.tests.factories import PASSWORD
from publicity import media
from publicity.models import Video, VideoState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _until(page, expression, tries=100):
    """Poll ``expression`` (wait_for_function would eval a string, which the CSP forbids)."""
    for _ in range(tries):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _submit(phone, url, path, title):
    phone.goto(f"{url}/publicity/videos/")
    phone.get_by_role("link", name="提交短视频").click()
    phone.fill("input[name=title]", title)
    phone.fill("input[name=author]", "张青年")
    phone.fill("input[name=unit_name]", "青岛某研究所")
    phone.select_option("select[name=field]", label="海洋科技")
    phone.set_input_files("input[name=video]", str(path))
    phone.check("input[name=consent]")
    phone.click("[data-testid=save]")
    phone.wait_for_load_state()


def test_a_phone_video_is_transcoded_reviewed_and_plays(phone, page, log_in, live_server, settings, organiser,
                                                       tmp_path):
    if not media.ffmpeg_available():
        pytest.skip("ffmpeg is not installed")
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SCIDAY_VIDEO_MAX_SECONDS = 5
    url = live_server.url
    clip = media.make_test_video(tmp_path / "clip.mp4", seconds=2)
    odd = media.make_test_video(tmp_path / "clip.mkv", seconds=2, codec="libvpx-vp9")
    long = media.make_test_video(tmp_path / "long.mp4", seconds=6)
    fake = tmp_path / "notes.mp4"
    fake.write_bytes(b"just some text, not a video " * 50)

    # A file that is not a video, and one over the length cap, are refused in Chinese; nothing is kept.
    _submit(phone, url, fake, "不是视频")
    assert "不是我们能读取的视频" in phone.locator("[data-testid=form-errors]").inner_text()
    _submit(phone, url, long, "太长的视频")
    assert "最长 5 秒" in phone.locator("[data-testid=form-errors]").inner_text()
    assert not Video.objects.exists()

    _submit(phone, url, clip, "海上的一天")
    assert phone.locator("[data-testid=video-state]").inner_text() == "待审核"
    _submit(phone, url, odd, "实验室的夜晚")
    assert phone.locator("[data-testid=video-state]").inner_text() == "待审核"
    assert set(Video.objects.values_list("state", flat=True)) == {VideoState.SUBMITTED}

    # The organiser reviews both from the publicity page.
    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{url}/publicity/manage/")
    page.get_by_role("link", name="审核短视频").click()
    for title in ("海上的一天", "实验室的夜晚"):
        page.get_by_role("link", name=title).click()
        page.click("[data-testid=approve]")
        page.wait_for_load_state()
        assert page.locator("[data-testid=video-state]").inner_text() == "已发布"
        page.go_back()
        page.go_back()
        page.reload()

    # The phone finds them in the gallery and they play.
    phone.goto(f"{url}/publicity/videos/")
    assert phone.locator("[data-testid=video-card]").count() == 2
    for title in ("海上的一天", "实验室的夜晚"):
        phone.goto(f"{url}/publicity/videos/")
        phone.locator("[data-testid=video-card]", has_text=title).click()
        phone.wait_for_load_state()
        assert phone.evaluate("document.createElement('video').canPlayType('video/mp4; codecs=\"avc1.4D401E, "
                              "mp4a.40.2\"')") in ("probably", "maybe")
        _until(phone, "document.querySelector('[data-testid=video-player]').readyState >= 1")
        duration = phone.evaluate("document.querySelector('[data-testid=video-player]').duration")
        assert 1.5 < duration < 2.6
        phone.click("[data-testid=like]")
        assert phone.locator("[data-testid=like-count]").inner_text() == "1"
    # Playing counts a view (the page's script tells the server).
    player = phone.locator("[data-testid=video-player]")
    player.evaluate("v => { v.muted = true; return v.play(); }")
    _until(phone, "document.querySelector('[data-testid=video-player]').currentTime > 0")
    for _ in range(50):
        if Video.objects.get(title="实验室的夜晚").views == 1:
            break
        phone.wait_for_timeout(100)
    assert Video.objects.get(title="实验室的夜晚").views == 1
