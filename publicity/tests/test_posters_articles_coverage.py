import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from publicity import selectors, services
from publicity.models import Article, Coverage, Poster, PosterTemplate

pytestmark = pytest.mark.django_db


def _decode_qr(image_bytes: bytes) -> str:
    import cv2
    import numpy

    array = cv2.imdecode(numpy.frombuffer(image_bytes, numpy.uint8), cv2.IMREAD_COLOR)
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(array)
    return text


def _background() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (750, 1000), "#1b4f8a").save(buffer, "PNG")
    return SimpleUploadedFile("bg.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def template(client, organiser, qingdao):
    client.force_login(organiser)
    response = client.post(reverse("publicity:template_create"), {
        "name": "蓝色模板", "text_color": "#ffffff", "unit_x": 40, "unit_y": 80, "unit_size": 48, "theme_x": 40,
        "theme_y": 200, "theme_size": 36, "date_x": 40, "date_y": 280, "date_size": 30, "qr_x": 40, "qr_y": 400,
        "qr_size": 300, "background_file": _background()})
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return PosterTemplate.objects.get()


def test_a_unit_makes_its_poster_as_png_and_pdf_whose_qr_leads_to_its_activities(client, template, coordinator_a,
                                                                                 unit_a, qingdao):
    client.force_login(coordinator_a)
    form = client.get(reverse("publicity:poster_create")).content.decode()
    assert "蓝色模板" in form and unit_a.name in form
    response = client.post(reverse("publicity:poster_create"), {
        "template": template.pk, "unit": unit_a.pk, "theme": "弘扬科学家精神", "date_text": "2022年5月30日",
        "target": "activities"})
    assert response.status_code == 200 and 'data-testid="poster-png"' in response.content.decode()
    poster = Poster.objects.get()
    assert poster.campaign == qingdao and poster.unit == unit_a
    png = b"".join(client.get(poster.png.get_absolute_url()).streaming_content)
    url = _decode_qr(png)
    assert url.startswith("http://testserver/activities/?q=") and url == poster.target_url
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(url).query)["q"] == [unit_a.name]
    pdf = b"".join(client.get(poster.pdf.get_absolute_url()).streaming_content)
    assert pdf.startswith(b"%PDF")
    # The PDF's page is the same picture: decode the QR code of the image inside it.
    embedded = re.search(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S).group(1)
    assert _decode_qr(embedded) == url
    client.logout()
    gallery = client.get(reverse("publicity:posters")).content.decode()
    assert unit_a.name in gallery and poster.pdf.get_absolute_url() in gallery


def test_campaign_qr_and_a_unit_cannot_make_another_units_poster(client, template, coordinator_a, unit_b, unit_a):
    client.force_login(coordinator_a)
    response = client.post(reverse("publicity:poster_create"), {
        "template": template.pk, "unit": unit_b.pk, "theme": "主题", "date_text": "5月30日", "target": "campaign"})
    assert response.status_code == 200 and not Poster.objects.exists()
    client.post(reverse("publicity:poster_create"), {
        "template": template.pk, "unit": unit_a.pk, "theme": "主题", "date_text": "5月30日", "target": "campaign"})
    poster = Poster.objects.get()
    assert _decode_qr(b"".join(client.get(poster.png.get_absolute_url()).streaming_content)) \
        == "http://testserver/c/qingdao-2022/"


def test_a_unit_registers_an_article_and_organisers_publish_the_city_initiative(client, coordinator_a, unit_a,
                                                                               organiser, qingdao):
    client.force_login(coordinator_a)
    bad = client.post(reverse("publicity:article_create"), {
        "unit": unit_a.pk, "kind": "commentary", "title": "评论", "channel": "wechat", "published_on": "2022-05-28",
        "link": "javascript:alert(1)"})
    assert bad.status_code == 200 and not Article.objects.exists()
    client.post(reverse("publicity:article_create"), {
        "unit": unit_a.pk, "kind": "commentary", "title": "致敬科技工作者", "channel": "wechat",
        "published_on": "2022-05-28", "link": "https://mp.example.cn/s/abc"})
    assert client.get(reverse("publicity:initiative_create")).status_code == 403
    client.force_login(organiser)
    response = client.post(reverse("publicity:initiative_create"), {
        "title": "致全市科技工作者的倡议书", "published_on": "2022-05-25", "text": "广大科技工作者：\n弘扬科学家精神。"})
    assert response.status_code == 302
    client.logout()
    body = client.get(reverse("publicity:articles")).content.decode()
    assert body.index("致全市科技工作者的倡议书") < body.index("致敬科技工作者")
    city = Article.objects.get(is_city=True)
    assert "弘扬科学家精神" in client.get(city.get_absolute_url()).content.decode()


def test_coverage_is_recorded_listed_and_counted_by_day(client, coordinator_a, unit_a, unit_b, organiser, qingdao):
    client.force_login(coordinator_a)
    data = {"unit": unit_b.pk, "outlet": "青岛日报", "level": "city", "published_on": "2022-05-30",
            "title": "科技工作者日", "link": "https://example.cn/a", "reach": "12000"}
    client.post(reverse("publicity:coverage_manage"), data)
    assert not Coverage.objects.exists()  # not their unit: the choice is refused
    client.post(reverse("publicity:coverage_manage"), {**data, "unit": unit_a.pk})
    client.force_login(organiser)
    client.post(reverse("publicity:coverage_manage"), {**data, "unit": "", "outlet": "新华网", "level": "central",
                                                       "reach": ""})
    client.post(reverse("publicity:coverage_manage"), {**data, "unit": "", "outlet": "大众日报",
                                                       "level": "provincial", "published_on": "2022-05-31"})
    assert Coverage.objects.count() == 3
    rows = selectors.coverage_by_day(qingdao)
    assert [(r["day"], r["level"], r["count"], r["reach"]) for r in rows] == [
        (datetime.date(2022, 5, 30), "central", 1, 0), (datetime.date(2022, 5, 30), "city", 1, 12000),
        (datetime.date(2022, 5, 31), "provincial", 1, 12000)]
    client.logout()
    body = client.get(reverse("publicity:coverage"), {"level": "central"}).content.decode()
    assert "新华网" in body and "青岛日报" not in body
    client.force_login(coordinator_a)
    mine = client.get(reverse("publicity:coverage_manage")).content.decode()
    assert "青岛日报" in mine and "新华网" not in mine
    other = Coverage.objects.get(outlet="新华网")
    assert client.post(reverse("publicity:coverage_delete", args=[other.pk])).status_code == 404
    assert Coverage.objects.filter(pk=other.pk).exists()


def test_public_pages_are_reachable(client, qingdao):
    for name in ("publicity:videos", "publicity:posters", "publicity:articles", "publicity:coverage",
                 "publicity:video_submit"):
        assert client.get(reverse(name)).status_code == 200, name


def test_coverage_service_refuses_bad_input(qingdao, organiser):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.coverage_record(actor=organiser, campaign=qingdao, data={"outlet": "", "level": "x",
                                                                         "link": "ftp://x", "reach": "-1"})
    assert {"outlet", "level", "link", "reach", "title", "published_on"} <= set(error.value.error_dict)
    assert not Coverage.objects.exists()
