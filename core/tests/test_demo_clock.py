"""The demo lives at the demo clock: nothing a person reads in it is dated after that instant.

Loads the whole demo (``load_demo``) under the demo clock, then checks (1) every record timestamp in the
database and (2) every date printed on the pages the demo's people open. Two kinds of time may stay real:
audit entries and security timings (sessions, tokens, lockouts, e-mail delivery); the audit log labels its
times as real time. Dates of plans and deadlines (the key day, activities to come, due dates) may lie after
the clock, but all inside the campaign's window.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from core import clock

DEMO_CLOCK = "2022-05-20T10:00+08:00"
# Real time on purpose: audit entries, security timings, the task queue, the calendar's own bookkeeping.
REAL_TIME = {
    "audit.AuditEntry.created_at", "accounts.User.last_login", "accounts.User.date_joined",
    "accounts.User.password_changed_at", "accounts.ApiToken.created_at", "accounts.ApiToken.last_used_at",
    "accounts.ApiToken.revoked_at", "notifications.Notification.emailed_at", "uploads.Asset.created_at",
    "calendars.Holiday.updated_at", "calendars.CalendarYear.recorded_at",  # operator bookkeeping, never shown
}
# Plans and deadlines: they may lie after the clock, but inside the campaign's window.
PLANNED = {
    "activities.Activity.starts_at", "activities.Activity.ends_at", "activities.Activity.public_starts_at",
    "activities.Activity.public_ends_at", "surveys.Survey.opens_at", "surveys.Survey.closes_at",
}
REFERENCE = {"calendars.Holiday.date"}  # the holiday calendar spans the years on purpose
SKIP_APPS = {"admin", "auth", "contenttypes", "sessions", "axes", "otp_totp", "otp_static", "django_tasks_database",
             "django_tasks_db", "core"}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    settings.SCIDAY_CLOCK = DEMO_CLOCK
    call_command("load_demo", quiet_logins=True)
    from campaigns.models import Campaign

    return Campaign.objects.get(slug="qingdao-2022")


def _stamps():
    for model in apps.get_models():
        if model._meta.app_label in SKIP_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.DateTimeField, models.DateField)):
                yield model, field


def _after_window(value, campaign) -> bool:
    """After the last day of the campaign's window (a survey closing at the midnight that ends it is inside)."""
    from django.utils import timezone

    if isinstance(value, datetime.datetime):
        end = timezone.make_aware(datetime.datetime.combine(campaign.window_end + datetime.timedelta(days=1),
                                                            datetime.time()))
        return value > end
    return value > campaign.window_end


def test_no_record_of_the_demo_is_stamped_after_the_demo_clock(demo):
    now = clock.now()
    late = []
    for model, field in _stamps():
        name = f"{model._meta.label}.{field.name}"
        if name in REAL_TIME or name in REFERENCE:
            continue
        latest = model.objects.aggregate(m=models.Max(field.name))["m"]
        if latest is None:
            continue
        if isinstance(field, models.DateTimeField) and name not in PLANNED:
            if latest > now:
                late.append((name, latest))
        elif _after_window(latest, demo):
            late.append((name, latest))
    print("LATE", *late, sep="\n")
    assert late == []


DATE = re.compile(r"(20\d\d)-(\d\d)-(\d\d)")


def _pages(demo):
    from activities.models import Activity
    from awards.models import Selection
    from problems.models import Problem
    from summaries.models import Summary
    from volunteering.models import ServiceRequest

    pages = ["/", reverse("workbench:home"), reverse("notifications:list"), reverse("problems:ledger"),
             reverse("summaries:exports"), reverse("summaries:inbox"), reverse("awards:home"),
             reverse("volunteering:request_list"), reverse("activities:list"), reverse("activities:calendar")]
    selection = Selection.objects.filter(campaign=demo).first()
    if selection:
        pages.append(reverse("awards:objections", args=[selection.pk]))
    service_request = ServiceRequest.objects.order_by("pk").last()
    if service_request:
        pages.append(reverse("volunteering:request_detail", args=[service_request.pk]))
    problem = Problem.objects.order_by("pk").last()
    if problem:
        pages.append(reverse("problems:detail", args=[problem.pk]))
    summary = Summary.objects.exclude(submitted_at=None).order_by("pk").first()
    if summary:
        pages.append(summary.get_absolute_url())
    activity = Activity.objects.order_by("pk").first()
    if activity:
        pages.append(reverse("activities:detail", args=[activity.pk]))
    return pages


def test_no_page_of_the_demo_shows_a_date_after_the_demo_clock(demo, client):
    from django.contrib.auth import get_user_model

    from summaries.exports import export_start

    today = clock.today()
    organiser = get_user_model().objects.get(username="organiser")
    office = organiser.office_memberships.select_related("office").first().office
    export_start(actor=organiser, kind="summaries.report",  # requested "now"
                 params={"campaign": demo.slug, "office": office.code})
    shown_late, opened = [], 0
    for username in ("organiser", "coord-shinan-kx", "expert", "admin"):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        for url in _pages(demo):
            response = client.get(url)
            if response.status_code != 200:
                continue
            opened += 1
            for match in DATE.finditer(response.content.decode()):
                try:
                    day = datetime.date(*map(int, match.groups()))
                except ValueError:
                    continue
                if day > today and day > demo.window_end:
                    shown_late.append((username, url, match.group(0)))
    assert opened >= 20 and shown_late == []


def test_the_times_that_stay_real_are_labelled_real_time(demo, client):
    from django.contrib.auth import get_user_model

    from accounts.services import api_token_create

    organiser = get_user_model().objects.get(username="organiser")
    api_token_create(user=organiser, name="演示")
    client.force_login(organiser)
    assert "时间（真实时间）" in client.get(reverse("audit:list")).content.decode()
    assert "创建时间（真实时间）" in client.get(reverse("accounts:tokens")).content.decode()


def test_load_demo_refuses_without_the_demo_clock(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG, settings.SCIDAY_CLOCK = True, ""
    with pytest.raises(CommandError, match="SCIDAY_CLOCK"):
        call_command("load_demo", quiet_logins=True)
