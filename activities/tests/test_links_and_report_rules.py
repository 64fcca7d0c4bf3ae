"""#11 items 2-3 and #17 item 5: links are http(s) on every path and every page; the outcome of an activity
is reported only once it has started (the service holds both rules, so the page and the API agree)."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from accounts.services import api_token_create
from activities import services
from activities.models import Activity, MediaCoverage, State
from activities.tests.factories import at, form_named
from core.exceptions import TransitionNotAllowed
from core.links import is_safe_link, validate_link

BASE = "/api/v1"  # the real API, as mounted
HOSTILE = ["javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
           "vbscript:msgbox(1)", "ftp://files.example.com/a", "java\tscript:alert(1)", " javascript:alert(1)",
           "//evil.example.com/x", "https://ex ample.com/", "http://example.com/\"onmouseover=\"alert(1)"]


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def _report(client, activity, user, **body):
    return client.post(f"{BASE}/activities/{activity.pk}/transitions/report", {"actual_participants": 12} | body,
                       content_type="application/json", **bearer(user))


@pytest.mark.parametrize("link", HOSTILE)
def test_the_one_link_rule_refuses_every_other_scheme(link):
    assert not is_safe_link(link)
    with pytest.raises(ValidationError):
        validate_link(link)


def test_http_and_https_links_pass():
    assert validate_link(" https://live.example.com/a?b=1 ") == "https://live.example.com/a?b=1"
    assert validate_link("http://example.com") == "http://example.com" and validate_link("") == ""


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<b>x</b>"])
def test_report_with_a_javascript_coverage_link_is_422_and_stores_nothing(client, coordinator_a, make_activity,
                                                                          link):
    activity = make_activity(state=State.APPROVED)
    response = _report(client, activity, coordinator_a,
                       coverage=[{"outlet": "青岛日报", "title": "报道", "link": link, "date": "2022-05-28"}])
    assert response.status_code == 422, response.content
    activity.refresh_from_db()
    assert activity.state == State.APPROVED and activity.actual_participants is None
    assert not MediaCoverage.objects.exists()


def test_report_with_an_https_coverage_link_is_stored(client, coordinator_a, make_activity):
    activity = make_activity(state=State.APPROVED)
    response = _report(client, activity, coordinator_a,
                       coverage=[{"outlet": "青岛日报", "title": "报道", "link": "https://news.example.com/1",
                                  "date": "2022-05-28"}])
    assert response.status_code == 200, response.content
    assert MediaCoverage.objects.get().link == "https://news.example.com/1"


@pytest.mark.parametrize("method", ["post", "patch"])
def test_the_online_link_of_an_activity_is_http_only_through_the_api(client, coordinator_a, make_activity, method):
    activity = make_activity()
    body = {"form_id": form_named().pk, "title": "直播", "mode": "online", "starts_at": "2022-05-28T09:00:00+08:00",
            "ends_at": "2022-05-28T10:00:00+08:00", "platform": "视频号", "link": "javascript:alert(1)",
            "audiences": ["public"], "contact_person": "张老师", "contact_phone": "13800138000"}
    if method == "post":
        response = client.post(f"{BASE}/activities/", body, content_type="application/json", **bearer(coordinator_a))
    else:
        response = client.patch(f"{BASE}/activities/{activity.pk}", {"link": "javascript:alert(1)"},
                                content_type="application/json", **bearer(coordinator_a))
    assert response.status_code == 422, response.content
    assert Activity.objects.count() == 1
    activity.refresh_from_db()
    assert activity.link == "https://meeting.example.com/123"


def test_the_service_refuses_a_bad_link_whoever_calls_it(coordinator_a, unit_a, make_activity):
    """The page's form field would take ftp://; the service is the one rule."""
    from campaigns.models import Campaign

    form = form_named()
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=coordinator_a, unit=unit_a, campaign=Campaign.objects.get(slug="qingdao-2022"),
                                 form=form, category=form.category, title="直播", mode="online",
                                 starts_at=at(28, 9), ends_at=at(28, 10), platform="视频号", link="ftp://x.example.com/",
                                 contact_person="张老师", contact_phone="13800138000")
    assert "link" in error.value.message_dict
    activity = make_activity(state=State.HELD)
    with pytest.raises(ValidationError):
        services.activity_media_add(actor=coordinator_a, activity=activity, coverage=[
            {"outlet": "报", "title": "题", "link": "javascript:alert(1)", "date": at(28).date()}])
    with pytest.raises(ValidationError):  # the form's "outlet, title and date" rule, in the service too
        services.activity_media_add(actor=coordinator_a, activity=activity, coverage=[
            {"outlet": "报", "title": "", "link": "", "date": None}])
    assert not MediaCoverage.objects.exists()


def test_old_rows_with_a_dangerous_link_never_reach_an_href(client, login, coordinator_a, make_activity):
    activity = make_activity(state=State.HELD, actual_participants=10)
    Activity.objects.filter(pk=activity.pk).update(link="javascript:alert(1)")
    MediaCoverage.objects.create(activity=activity, outlet="青岛日报", title="旧报道", link="javascript:alert(2)",
                                 date=at(28).date())
    MediaCoverage.objects.create(activity=activity, outlet="大众日报", title="好报道", link="https://ok.example.com/",
                                 date=at(28).date())
    login(coordinator_a)
    html = client.get(activity.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in html and "旧报道" in html
    assert 'href="https://ok.example.com/"' in html
    rendered = Template("{% load sciday %}[{{ v|safe_link }}]").render(Context({"v": "data:text/html,x"}))
    assert rendered == "[]"


# --- #17 item 5 / #11 item 3: reporting opens when the activity has started -------------------------------

def test_report_before_the_start_is_refused_through_the_api(client, settings, coordinator_a, make_activity):
    settings.SCIDAY_CLOCK = "2022-05-28T10:00:00+08:00"
    activity = make_activity(state=State.APPROVED, starts_at=at(28, 10).replace(minute=30), ends_at=at(28, 12))
    response = _report(client, activity, coordinator_a,
                       coverage=[{"outlet": "青岛日报", "title": "报道", "link": "https://n.example.com/",
                                  "date": "2022-05-28"}])
    assert response.status_code == 409, response.content
    assert "活动开始" in response.json()["detail"]
    activity.refresh_from_db()
    assert activity.state == State.APPROVED and activity.actual_participants is None
    assert not MediaCoverage.objects.exists()
    settings.SCIDAY_CLOCK = "2022-05-28T10:30:00+08:00"  # once it has started
    assert _report(client, activity, coordinator_a).json()["state"] == State.HELD


def test_report_before_the_start_is_refused_by_the_service_and_the_page(client, settings, login, coordinator_a,
                                                                        make_activity):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00:00+08:00"
    activity = make_activity(state=State.APPROVED)
    with pytest.raises(TransitionNotAllowed):
        services.activity_report(actor=coordinator_a, activity=activity, actual_participants=3)
    login(coordinator_a)
    from django.urls import reverse

    url = reverse("activities:report", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "活动开始后才能报告举办情况" in page and 'data-testid="report-form"' not in page
    response = client.post(url, {"actual_participants": 3, "coverage-TOTAL_FORMS": 0, "coverage-INITIAL_FORMS": 0},
                           follow=True)
    assert "活动开始后才能报告举办情况" in response.content.decode()
    activity.refresh_from_db()
    assert activity.state == State.APPROVED


# --- #11 item 3: the report form's coverage rule, through the API ------------------------------------------

def test_a_coverage_entry_without_outlet_or_title_is_refused_through_the_api(client, coordinator_a, make_activity):
    activity = make_activity(state=State.APPROVED)
    response = _report(client, activity, coordinator_a,
                       coverage=[{"outlet": " ", "title": "", "link": "", "date": "2022-05-28"}])
    assert response.status_code == 400 and "coverage" in response.json()["errors"]
    activity.refresh_from_db()
    assert activity.state == State.APPROVED and not MediaCoverage.objects.exists()


def test_the_page_forms_say_so_beside_the_link_field(client, login, coordinator_a, make_activity):
    from django.urls import reverse

    from activities.forms import CoverageForm, MediaForm

    for form_class in (CoverageForm, MediaForm):
        form = form_class(data={"outlet": "青岛日报", "title": "报道", "link": "ftp://files.example.com/a",
                                "date": "2022-05-28"})
        assert not form.is_valid() and "link" in form.errors
    activity = make_activity(state=State.APPROVED)
    login(coordinator_a)
    response = client.post(reverse("activities:report", args=[activity.pk]), {
        "actual_participants": 3, "coverage-TOTAL_FORMS": 1, "coverage-INITIAL_FORMS": 0,
        "coverage-0-outlet": "青岛日报", "coverage-0-title": "报道", "coverage-0-link": "javascript:alert(1)",
        "coverage-0-date": "2022-05-28"})
    assert "请输入以 http:// 或 https:// 开头的网址" in response.content.decode()
    activity.refresh_from_db()
    assert activity.state == State.APPROVED and not MediaCoverage.objects.exists()
