import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_theme_on_a_phone(phone, live_server, qingdao, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    phone.goto(live_server.url + "/")
    assert phone.locator("[data-testid=theme]").inner_text() == "创新争先、自立自强"
    assert "85916831" in phone.locator("[data-testid=contacts]").inner_text()
