"""The public home shows the short videos organisers featured, at once (featuring one renews the cached home)."""

from core import clock


def test_a_featured_video_shows_on_the_home_page_at_once_and_leaves_it_when_unfeatured(client, qingdao, organiser,
                                                                                        settings):
    from publicity import services
    from publicity.models import Video, VideoState

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    video = Video.objects.create(campaign=qingdao, title="海上的一天（测试）", author="李青", unit_name="测试单位",
                                 field="marine", state=VideoState.APPROVED, consent=True, published_at=clock.now())
    body = client.get("/").content.decode()  # the home page is built and cached
    assert 'data-testid="featured-videos"' not in body

    services.video_feature(actor=organiser, video=video, featured=True)
    body = client.get("/").content.decode()
    assert 'data-testid="featured-video"' in body and "海上的一天（测试）" in body
    assert f'href="/publicity/videos/{video.pk}/"' in body

    services.video_feature(actor=organiser, video=video, featured=False)
    assert "海上的一天（测试）" not in client.get("/").content.decode()

