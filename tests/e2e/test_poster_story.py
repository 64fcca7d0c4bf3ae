"""The 5·30 poster in a real browser: an organiser uploads a template, a unit's coordinator makes its poster
from the publicity page, and a phone sees it in the public gallery, with the articles and coverage pages."""

import io

import pytest
from PIL import Image

from accounts.tests.factories import PASSWORD
from publicity.models import Poster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_makes_its_poster_and_the_public_sees_it(page, phone, log_in, live_server, settings, organiser,
                                                       coordinator_a, unit_a, tmp_path):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    settings.MEDIA_ROOT = tmp_path / "media"
    url = live_server.url
    buffer = io.BytesIO()
    Image.new("RGB", (600, 900), "#0d3b66").save(buffer, "PNG")
    (tmp_path / "bg.png").write_bytes(buffer.getvalue())

    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{url}/publicity/manage/")
    page.get_by_role("link", name="新建海报模板").click()
    page.fill("input[name=name]", "蓝色模板")
    page.set_input_files("input[name=background_file]", str(tmp_path / "bg.png"))
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    assert "模板已向各单位开放" in page.content()
    page.context.clear_cookies()

    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{url}/publicity/manage/")
    page.get_by_role("link", name="制作5·30海报").click()
    page.select_option("select[name=template]", label="蓝色模板")
    page.select_option("select[name=unit]", label=unit_a.name)
    page.select_option("select[name=target]", value="campaign")
    page.click("[data-testid=save]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=poster-image]").evaluate("img => img.naturalWidth") == 600
    poster = Poster.objects.get()
    assert poster.target_url == f"{url}/c/qingdao-2022/"

    phone.goto(f"{url}/publicity/posters/")
    assert unit_a.name in phone.locator("[data-testid=poster-card]").inner_text()
    phone.get_by_role("link", name="倡议书与文章").click()
    assert phone.locator("[data-testid=empty-state]").is_visible()
    phone.get_by_role("link", name="媒体报道").first.click()
    assert phone.locator("h1").inner_text() == "媒体报道"
