"""The public home page is kept in the shared cache, and an organiser's edit shows on it at once."""

import datetime
import re

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.services import FormRow
from core import versioned_cache

CLOCK = "2022-05-20T10:00+08:00"


def _theme(body: str) -> str:
    return re.search(r'data-testid="theme">([^<]*)<', body).group(1)


def _content(body: str) -> str:
    """The page without its per-request frame (the CSRF token of the language switch differs every time)."""
    return body[body.index("<main"):body.index("</main>")]


@pytest.fixture
def live(settings, qingdao):
    settings.SCIDAY_CLOCK = CLOCK
    return qingdao


def test_a_cached_home_page_costs_one_cache_round_trip(client, live, django_assert_num_queries):
    first = client.get("/").content.decode()
    with django_assert_num_queries(1):  # the campaign version and the page, in one read of the shared cache
        again = client.get("/").content.decode()
    assert _content(again) == _content(first)
    assert _theme(again) == "创新争先、自立自强"


def test_an_edit_of_the_campaign_facts_shows_at_once(client, live, organiser, login):
    assert _theme(client.get("/").content.decode()) == "创新争先、自立自强"
    data = {
        "slug": live.slug, "year": live.year, "title": live.title, "title_en": live.title_en,
        "document_number": live.document_number, "issuers": live.issuers, "issuers_en": live.issuers_en,
        "issue_date": live.issue_date or "", "theme": "弘扬科学家精神", "theme_en": live.theme_en,
        "edition": live.edition or "", "key_day": live.key_day, "window_start": live.window_start,
        "window_end": live.window_end, "summary_deadline": live.summary_deadline, "late_policy": live.late_policy,
        "introduction": live.introduction, "introduction_en": live.introduction_en,
    }
    data = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}
    editor = login(organiser)
    assert editor.post(reverse("campaigns:edit", args=[live.slug]), data).status_code == 302
    editor.logout()

    assert _theme(client.get("/").content.decode()) == "弘扬科学家精神"


def test_an_edit_of_a_category_or_a_contact_shows_at_once(client, live, organiser):
    client.get("/")
    category = live.categories.get(number=1)
    rows = [FormRow(pk=f.pk, name=f.name, name_en=f.name_en, order=f.order) for f in category.forms.all()]
    services.category_update(actor=organiser, category=category, name="新的第一类活动", forms=rows)
    assert "新的第一类活动" in client.get("/").content.decode()

    contact = live.contacts.order_by("order").first()
    services.contact_update(actor=organiser, contact=contact, phone="85919999")
    assert "85919999" in client.get("/").content.decode()
    services.contact_delete(actor=organiser, contact=contact)
    assert "85919999" not in client.get("/").content.decode()


def test_unpublishing_the_campaign_shows_at_once(client, live, organiser):
    assert "no-campaign" not in client.get("/").content.decode()
    services.campaign_set_published(actor=organiser, campaign=live, published=False)
    assert "no-campaign" in client.get("/").content.decode()


def test_an_edit_bumps_the_version_again_after_the_commit(live, organiser, django_capture_on_commit_callbacks):
    """What another process read before the commit is not kept under the version set after it."""
    before = versioned_cache.version(versioned_cache.CAMPAIGNS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.contact_update(actor=organiser, contact=live.contacts.first(), phone="85910002")
    during = versioned_cache.version(versioned_cache.CAMPAIGNS)
    assert during != before
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert versioned_cache.version(versioned_cache.CAMPAIGNS) != during


def test_the_countdown_follows_the_clock_on_a_cached_page(client, live, settings):
    assert "距离科技工作者日还有 10 天" in client.get("/").content.decode()
    settings.SCIDAY_CLOCK = "2022-05-21T10:00+08:00"
    assert "距离科技工作者日还有 9 天" in client.get("/").content.decode()


def test_each_language_has_its_own_cached_page(client, live):
    assert 'lang="zh-hans"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Strive for innovation" in body and "Contacts" in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="zh-hans"' in body and "主要活动" in body and "Main activities" not in body


def test_the_campaign_page_by_slug_is_cached_and_a_missing_one_is_404(client, live, django_assert_num_queries):
    url = reverse("public:campaign", args=[live.slug])
    assert "创新争先、自立自强" in client.get(url).content.decode()
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    assert client.get(reverse("public:campaign", args=["no-such-campaign"])).status_code == 404


def test_the_logged_in_frame_is_never_cached(client, live, organiser, login):
    """Only the campaign part is shared: the menu, the language switch and the user's name are per request."""
    client.get("/")
    body = login(organiser).get("/").content.decode()
    assert 'data-testid="user-menu"' in body
    assert "创新争先、自立自强" in body
