"""The notifications page behind the bell."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory(username="reader")


def test_list_shows_own_notifications_only(user, login):
    NotificationFactory(recipient=user, title="我的通知", body="正文内容", url="/workbench/x/")
    NotificationFactory(title="别人的通知")
    page = login(user).get(reverse("notifications:list")).content.decode()
    assert "我的通知" in page and "正文内容" in page and 'href="/workbench/x/"' in page
    assert "别人的通知" not in page


def test_unread_filter(user, login):
    NotificationFactory(recipient=user, title="未读的")
    read = NotificationFactory(recipient=user, title="已读的")
    Notification.objects.filter(pk=read.pk).update(read_at="2022-05-20T10:00+08:00")
    client = login(user)
    page = client.get(reverse("notifications:list") + "?show=unread").content.decode()
    assert "未读的" in page and "已读的" not in page
    page = client.get(reverse("notifications:list")).content.decode()
    assert "未读的" in page and "已读的" in page


def test_bell_shows_unread_count(user, login):
    NotificationFactory.create_batch(3, recipient=user)
    page = login(user).get(reverse("notifications:list")).content.decode()
    assert 'data-testid="unread-count">3<' in page


def test_mark_read_without_htmx_redirects(user, login):
    notification = NotificationFactory(recipient=user)
    response = login(user).post(reverse("notifications:read", args=[notification.pk]),
                                {"next": "/notifications/?show=unread"})
    assert response.status_code == 302 and response.url == "/notifications/?show=unread"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_refuses_foreign_next(user, login):
    notification = NotificationFactory(recipient=user)
    response = login(user).post(reverse("notifications:read", args=[notification.pk]),
                                {"next": "https://evil.example.com/"})
    assert response.url == reverse("notifications:list")


def test_mark_read_with_htmx_swaps_the_row(user, login):
    notification = NotificationFactory(recipient=user, title="一条通知")
    response = login(user).post(reverse("notifications:read", args=[notification.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and f'id="notification-{notification.pk}"' in html
    assert "一条通知" in html and 'data-testid="mark-read"' not in html


def test_mark_read_needs_post(user, login):
    notification = NotificationFactory(recipient=user)
    assert login(user).get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_another_users_notification_is_404_and_unchanged(user, login):
    foreign = NotificationFactory(title="别人的")
    client = login(user)
    assert client.post(reverse("notifications:read", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[foreign.pk]), HTTP_HX_REQUEST="true").status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_mark_all_read(user, login):
    NotificationFactory.create_batch(2, recipient=user)
    foreign = NotificationFactory()
    response = login(user).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_anonymous_is_sent_to_login(client):
    notification = NotificationFactory()
    for url, method in [(reverse("notifications:list"), "get"),
                        (reverse("notifications:read", args=[notification.pk]), "post"),
                        (reverse("notifications:read_all"), "post")]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    notification.refresh_from_db()
    assert notification.read_at is None


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_constant(user, login):
    client = login(user)
    url = reverse("notifications:list")
    NotificationFactory(recipient=user)
    client.get(url)
    one = _queries(client, url)
    NotificationFactory.create_batch(20, recipient=user)
    assert _queries(client, url) == one


def test_list_is_paginated(user, login, settings):
    settings.SCIDAY_PAGE_SIZE = 5
    NotificationFactory.create_batch(12, recipient=user)
    page = login(user).get(reverse("notifications:list") + "?page=3").content.decode()
    assert page.count('data-testid="notification"') == 2
