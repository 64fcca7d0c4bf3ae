import pytest


@pytest.mark.parametrize(("clock", "expected"), [
    ("2022-05-20T10:00+08:00", "距离科技工作者日还有 10 天"),
    ("2022-05-30T08:00+08:00", "今天是全国科技工作者日"),
    ("2022-06-02T08:00+08:00", "今年的科技工作者日已过"),
])
def test_the_key_day_counts_down_then_says_today_then_past(client, qingdao, settings, clock, expected):
    settings.SCIDAY_CLOCK = clock
    body = client.get("/").content.decode()
    assert expected in body


def test_the_home_page_shows_theme_window_categories_and_contacts(client, qingdao, settings):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in body
    assert "创新争先、自立自强" in body
    assert "2022-05-11 — 2022-06-20" in body
    assert body.count('class="badge text-bg-primary me-1"') == 6
    for fact in ("王馨", "85916831", "kexiezurenbu@qd.shandong.cn", "王文娟", "85911893", "kjjrencaichu@qd.shandong.cn"):
        assert fact in body
    assert 'data-testid="clock-banner"' in body


def test_english_is_one_click_away(client, qingdao):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "Strive for innovation" in body
    assert "Contacts" in body


def test_a_browser_asking_for_english_still_gets_chinese_first(client, qingdao):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body


def test_without_a_campaign_the_page_says_so(client, db):
    assert "no-campaign" in client.get("/").content.decode()


def test_the_home_page_has_a_constant_number_of_queries(client, qingdao, organiser, django_assert_max_num_queries,
                                                        django_assert_num_queries):
    from django.core.cache import cache

    from campaigns import services

    cache.clear()
    with django_assert_max_num_queries(35) as cold:  # built once: the campaign (8 queries), the entries (about 8, one each) and the cache writes
        client.get("/")
    with django_assert_num_queries(1):  # then one read of the shared cache
        client.get("/")
    for i in range(5):
        services.contact_create(actor=organiser, campaign=qingdao, office=qingdao.contacts.first().office,
                                person=f"联系人{i}", phone=f"8591000{i}")
    cache.clear()
    with django_assert_max_num_queries(len(cold.captured_queries)):
        client.get("/")
