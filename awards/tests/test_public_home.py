"""The public home page (cached) opens the 公示 as soon as it is published and the winners as soon as they are
released: both transitions renew the campaign's public pages."""

from awards import services
from awards.tests.test_services import _to_notice


def test_the_home_page_opens_the_notice_then_the_winners_at_once(client, selection, organiser, settings):
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    body = client.get("/").content.decode()  # built and cached before the notice
    assert 'data-testid="entry-notice"' not in body

    _to_notice(selection, organiser, settings)
    body = client.get("/").content.decode()
    assert 'data-testid="entry-notice"' in body and 'data-testid="entry-winners"' not in body

    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    client.get("/")  # cached for the new day, still in the notice
    services.selection_release(actor=organiser, selection=selection, announcement="发布")
    body = client.get("/").content.decode()
    assert 'data-testid="entry-winners"' in body and 'data-testid="entry-notice"' not in body
