"""The public front door on a 375 px phone (issue #13 items 1, 2, 7, 8): from / by visible links only, a person
reaches every public part of the campaign; the pages pass axe-core (no serious or critical violation) in the
normal and the 长辈版 (large text) mode."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from core import versioned_cache
from core.registry import app_hooks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_CLOCK = "2022-05-20T10:00+08:00"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def demo(settings):
    """The demonstration data as `make run` loads it, with the role-model selection in its 公示."""
    settings.SCIDAY_CLOCK = DEMO_CLOCK
    call_command("load_holidays", verbosity=0)
    call_command("load_campaign", "qingdao-2022", verbosity=0)
    for loader in app_hooks("demo", "load_demo_data"):  # what `manage.py load_demo` runs
        loader(stdout=io.StringIO())
    from awards.models import Nomination, Selection

    selection = Selection.objects.get()
    finalists = list(selection.nominations.order_by("pk")[:3])
    Nomination.objects.filter(pk__in=[n.pk for n in finalists]).update(status="finalist")
    selection.stage = Selection.Stage.NOTICE
    selection.notice_start, selection.notice_end = datetime.date(2022, 5, 18), datetime.date(2022, 5, 25)
    selection.save()
    versioned_cache.bump(versioned_cache.CAMPAIGNS)  # as awards.services.notice_publish does
    return {"finalists": [n.name for n in finalists]}


@pytest.fixture
def released(demo):
    """The same demonstration after the release: the finalists of the 公示 are the winners."""
    from awards.models import Nomination, Selection

    selection = Selection.objects.get()
    Nomination.objects.filter(name__in=demo["finalists"]).update(status="winner")
    selection.stage = Selection.Stage.RELEASED
    selection.save()
    versioned_cache.bump(versioned_cache.CAMPAIGNS)  # as awards.services.selection_release does
    return {"winners": demo["finalists"]}


def _tap(page, testid):
    page.locator(f"[data-testid={testid}]").first.click()
    page.wait_for_load_state()


def _until(page, expression, tries=100):
    """Poll ``expression`` (wait_for_function would eval a string, which the CSP forbids)."""
    for _ in range(tries):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _plays(page, testid):
    """The <video> loads (Chromium knows its duration) and plays (its time moves on); muted, as a script starts it."""
    video = f"document.querySelector('[data-testid={testid}]')"
    page.locator(f"[data-testid={testid}]").scroll_into_view_if_needed()
    _until(page, f"{video}.readyState >= 1 && {video}.duration > 0")
    page.locator(f"[data-testid={testid}]").evaluate("v => { v.muted = true; return v.play(); }")
    _until(page, f"{video}.currentTime > 0")


def _home(page):
    """Back to the home page by the tab bar, as a phone user would."""
    page.locator("[data-testid=tabbar] a").first.click()
    page.wait_for_load_state()


def test_from_the_home_page_a_phone_reaches_every_public_part(phone, live_server, demo):
    phone.goto(live_server.url + "/")
    assert phone.locator("[data-testid=theme]").is_visible()
    assert phone.locator("[data-testid=key-day]").is_visible()
    assert phone.locator("[data-testid=tabbar]").is_visible()

    # 活动: the list opens on the upcoming ones; the first one's page.
    _tap(phone, "entry-activities")
    first = phone.locator("[data-testid=public-item]").first
    assert first.locator("[data-testid=when-upcoming], [data-testid=when-ongoing]").count() == 1
    assert phone.locator("[data-testid=public-list] .badge:has-text('已取消')").count() == 0
    title = first.locator("strong").inner_text()
    first.click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == title
    assert phone.locator("[data-testid=breadcrumbs]").is_visible()
    _tap(phone, "back")
    assert "/activities/" in phone.url

    # A held activity tells its story: participants, photos in a lightbox, coverage, and its video plays in the
    # page (the list marks the held activities that have one).
    phone.select_option("select[name=when]", value="held")
    _tap(phone, "apply-filters")
    assert phone.locator("[data-testid=when-upcoming]").count() == 0
    phone.locator("[data-testid=public-item]:has([data-testid=has-story]):has([data-testid=has-video])").first.click()
    phone.wait_for_load_state()
    assert phone.locator("[data-testid=participants]").is_visible()
    phone.locator("[data-testid=photo-thumb]").first.click()
    assert phone.locator("[data-testid=lightbox]").first.is_visible()
    _tap(phone, "lightbox-close")
    assert not phone.locator("[data-testid=lightbox]").first.is_visible()
    assert phone.locator("[data-testid=coverage] a").count() >= 1
    _plays(phone, "story-video")

    # The calendar, from the tab bar.
    phone.locator("[data-testid=tabbar] a", has_text="日历").click()
    phone.wait_for_load_state()
    assert "/activities/calendar/" in phone.url

    # 最美科技工作者: the 公示 while it runs.
    _home(phone)
    _tap(phone, "entry-notice")
    assert all(name in phone.content() for name in demo["finalists"])

    # 主题展览: one exhibition.
    _home(phone)
    _tap(phone, "entry-exhibitions")
    _tap(phone, "exhibition-item")
    assert phone.url.rstrip("/").split("/")[-1].isdigit()

    # 科学家精神教育基地: a base with a free slot to book.
    _home(phone)
    _tap(phone, "entry-bases")
    _tap(phone, "base-item")
    assert phone.locator("select[name=slot] option:not([value=''])").count() >= 1

    # 科技志愿服务: the three actions, and the service request form.
    _home(phone)
    _tap(phone, "entry-programmes")
    assert "/volunteering/programmes/" in phone.url
    _home(phone)
    _tap(phone, "entry-request")
    assert phone.locator("form textarea, form input[type=text]").count() >= 1

    # 为科技工作者办实事, and the survey while it is open.
    _home(phone)
    _tap(phone, "entry-problems")
    assert "/problems/" in phone.url
    _home(phone)
    _tap(phone, "entry-survey")
    assert "/surveys/s/" in phone.url and phone.locator("form").count() >= 1

    # 短视频: one the organisers featured on the home page; the gallery, one video that plays.
    _home(phone)
    featured = phone.locator("[data-testid=featured-video]").first
    title = featured.locator(".fw-semibold").inner_text()
    featured.click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == title
    _home(phone)
    _tap(phone, "entry-videos")
    assert phone.locator("[data-testid=breadcrumbs]").is_visible()
    _tap(phone, "video-card")
    assert phone.locator("h1").is_visible()
    _plays(phone, "video-player")

    # 海报: the units' posters, each with its PNG and PDF.
    _home(phone)
    _tap(phone, "entry-posters")
    poster = phone.locator("[data-testid=poster-card]").first
    assert poster.get_by_role("link", name="PNG").count() == 1 and poster.get_by_role("link", name="PDF").count() == 1

    # 倡议书: the city's own, from the 倡议书 tab of 倡议书与文章.
    _home(phone)
    _tap(phone, "entry-articles")
    phone.get_by_role("link", name="倡议书", exact=True).click()
    phone.wait_for_load_state()
    phone.locator("[data-testid=article-item]", has_text="全市倡议书").first.click()
    phone.wait_for_load_state()
    assert "倡议书" in phone.locator("h1").inner_text()
    assert phone.locator("[data-testid=article]").inner_text().count("倡议") >= 2
    _tap(phone, "back")
    assert phone.url.rstrip("/").endswith("/publicity/articles")

    # 媒体报道: the campaign's coverage, and its way back.
    _home(phone)
    _tap(phone, "entry-coverage")
    assert phone.locator("[data-testid=coverage-item]").count() >= 1
    assert phone.locator("[data-testid=publicity-nav] a[aria-current=page]").inner_text() == "媒体报道"


def test_the_activity_list_shows_cancelled_ones_only_with_the_filter(phone, live_server, demo):
    from activities.models import Activity, State

    cancelled = Activity.objects.filter(state=State.CANCELLED, public_starts_at__isnull=False).first()
    assert cancelled is not None
    phone.goto(f"{live_server.url}/activities/?q={cancelled.public_title}")
    assert phone.locator("[data-testid=public-item]").count() == 0
    phone.check("input[name=cancelled]")
    _tap(phone, "apply-filters")
    assert phone.locator("[data-testid=public-item]", has_text=cancelled.public_title).count() == 1


def _public_pages(url):
    from django.core import signing

    from activities.models import Activity, State
    from exhibitions.models import EducationBase, Exhibition
    from publicity.models import Article, Video
    from publicity.views import STATUS_SALT
    from surveys.models import SurveyLink

    held = Activity.objects.filter(state=State.HELD, photos__isnull=False, video__isnull=False).first()
    link = SurveyLink.objects.filter(unit__isnull=True).first()
    video = Video.objects.filter(state="approved").first()
    # Every public page; a new public page must be added here (the winners' pages, shown only after the release,
    # are in _released_pages).
    return [
        "/", "/c/qingdao-2022/", "/activities/", "/activities/?when=held", "/activities/calendar/",
        f"/activities/{held.pk}/", "/awards/qingdao-2022/notice/",
        "/exhibitions/", f"/exhibitions/{Exhibition.objects.first().pk}/", "/exhibitions/bases/",
        f"/exhibitions/bases/{EducationBase.objects.first().pk}/",
        "/volunteering/programmes/", "/volunteering/request/", "/volunteering/follow/",
        "/problems/", "/problems/submit/", "/problems/follow/",
        f"/surveys/s/{link.token}/", "/surveys/c/",
        "/publicity/videos/", f"/publicity/videos/{video.pk}/", "/publicity/videos/submit/",
        f"/publicity/videos/status/{signing.dumps(video.pk, salt=STATUS_SALT)}/",
        "/publicity/posters/", "/publicity/articles/", "/publicity/articles/?kind=initiative",
        f"/publicity/articles/{Article.objects.filter(is_city=True).first().pk}/", "/publicity/coverage/",
    ]


def _released_pages():
    from awards.models import Nomination

    winner = Nomination.objects.filter(status="winner").order_by("pk").first()
    return ["/awards/qingdao-2022/winners/", "/awards/qingdao-2022/exhibition/", winner.get_public_url()]


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                           " return r.violations.map(v => ({id: v.id, impact: v.impact,"
                           " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _axe_both_modes(phone, live_server, pages) -> dict:
    found = {}
    for mode in ("normal", "large"):
        if mode == "large":
            phone.goto(live_server.url + "/")
            _tap(phone, "large-text-switch")
            assert phone.locator("body.sciday-large").count() == 1
        for path in pages:
            response = phone.goto(live_server.url + path)
            assert response.status == 200, path
            if mode == "large":
                assert phone.locator("body.sciday-large").count() == 1, path
            violations = _axe(phone)
            if violations:
                found[f"{mode} {path}"] = violations
    return found


def test_axe_finds_no_serious_violation_on_public_pages_in_both_modes(phone, live_server, demo):
    assert _axe_both_modes(phone, live_server, _public_pages(live_server.url)) == {}


def test_axe_finds_no_serious_violation_on_the_winners_pages_in_both_modes(phone, live_server, released):
    assert _axe_both_modes(phone, live_server, _released_pages()) == {}


def test_after_the_release_a_phone_reaches_the_winners_and_their_exhibition(phone, live_server, released):
    phone.goto(live_server.url + "/")
    assert phone.locator("[data-testid=entry-notice]").count() == 0
    _tap(phone, "entry-winners")
    winners = phone.locator("[data-testid=winners]")
    assert all(winners.get_by_role("link", name=name).count() == 1 for name in released["winners"])
    winners.get_by_role("link", name=released["winners"][0]).click()
    phone.wait_for_load_state()
    assert released["winners"][0] in phone.locator("h1").inner_text()
    assert phone.locator("[data-testid=breadcrumbs]").is_visible()
    _home(phone)
    _tap(phone, "entry-gallery")
    assert phone.locator("[data-testid=exhibition] .card").count() == len(released["winners"])


def test_large_text_mode_is_remembered_and_meets_the_elder_sizes(phone, live_server, demo):
    phone.goto(live_server.url + "/activities/")
    _tap(phone, "large-text-switch")
    assert "/activities/" in phone.url  # back on the same page
    sizes = phone.evaluate("""() => {
        const body = getComputedStyle(document.body);
        const button = document.querySelector('[data-testid=apply-filters]').getBoundingClientRect();
        return {font: parseFloat(body.fontSize), line: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
                h: button.height, w: button.width};
    }""")
    assert sizes["font"] >= 18 and sizes["line"] >= 1.5 and sizes["h"] >= 60 and sizes["w"] >= 60
    phone.goto(live_server.url + "/exhibitions/")  # remembered on this device
    assert phone.locator("body.sciday-large").count() == 1
    _tap(phone, "large-text-switch")
    assert phone.locator("body.sciday-large").count() == 0


def test_every_public_page_has_a_share_card_and_a_qr_code_on_desktop(page, live_server, demo):
    import re

    for path in _public_pages(live_server.url):
        page.goto(live_server.url + path)
        for prop in ("og:title", "og:description", "og:image"):
            content = page.locator(f"meta[property='{prop}']").first.get_attribute("content")
            assert content, (path, prop)
        assert page.locator("[data-testid=page-qr] svg").is_visible(), path
    page.goto(live_server.url + "/exhibitions/")
    assert re.search("展", page.locator("meta[property='og:title']").get_attribute("content"))
