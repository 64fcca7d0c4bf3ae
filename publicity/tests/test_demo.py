from django.core.management import call_command

from core import clock
from publicity import media, selectors
from publicity.models import Article, Coverage, Poster, Video, VideoState


def test_the_demo_has_videos_posters_articles_and_coverage(db, settings, tmp_path):
    settings.DEBUG = True
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_demo", quiet_logins=True)
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(slug="qingdao-2022")
    assert Poster.objects.filter(campaign=campaign).count() == 3
    assert Article.objects.filter(campaign=campaign, is_city=True).count() == 1
    assert Article.objects.filter(campaign=campaign, is_city=False).count() == 3
    assert Coverage.objects.filter(campaign=campaign).count() == 7
    days = {row["day"] for row in selectors.coverage_by_day(campaign)}
    # a peak over the weeks before the key day, none of it dated after the day the demo runs as
    assert max(days) <= clock.today() <= campaign.key_day and (max(days) - min(days)).days >= 7
    if media.ffmpeg_available():
        assert Video.objects.filter(campaign=campaign, state=VideoState.APPROVED).count() == 2
        assert len(selectors.featured_videos(campaign)) == 1
    call_command("load_demo", quiet_logins=True)
    assert Poster.objects.filter(campaign=campaign).count() == 3
