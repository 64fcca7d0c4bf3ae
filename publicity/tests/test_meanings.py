"""One meaning per message (issue 14 item 5): a short video's field of science reads 「领域」, not volunteering's
「需求领域」 (the field a service request needs); the video list's order is a sort order (「排序」)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_video_form_asks_for_the_field_of_science(client, qingdao):
    page = client.get(reverse("publicity:video_submit")).content.decode()
    assert ">领域" in page and "需求领域" not in page


def test_the_video_gallery_sorts_rather_than_numbers(client, qingdao):
    page = client.get(reverse("publicity:videos")).content.decode()
    assert ">排序" in page and ">序号" not in page
    assert ">领域" in page
