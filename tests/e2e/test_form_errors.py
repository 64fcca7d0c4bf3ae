"""Issue 17, items 11-13: what a person sees when a long form refuses what they sent.

- 13: on the phone survey, a refused submission brings the person to the first question that needs an
  answer (scrolled into view, its first choice focused), not only to a banner at the top.
"""

import re

import pytest
from playwright.sync_api import expect

from surveys.seeding import survey_load_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey(settings, qingdao):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    return survey_load_seed(slug="qingdao-2022")[0]


def test_the_phone_survey_brings_the_person_to_the_first_unanswered_question(phone, live_server, survey):
    link = survey.links.get(unit__isnull=True)
    phone.goto(f"{live_server.url}/surveys/s/{link.token}/")
    phone.get_by_label(re.compile("我已阅读")).check()
    phone.get_by_role("button", name=re.compile("同意")).click()
    phone.wait_for_url("**/answer/")

    # Everything answered except the exercise question (q16), several screens down, and q17 after it.
    for code, option in [("q1", 2), ("q2", 2), ("q3", 1), ("q4", 2), ("q5", 2), ("q6", 1), ("q7", 3), ("q10", 3),
                         ("q11", 3), ("q12", 4), ("q13", 3), ("q14", 2), ("q18", 2)]:
        phone.check(f"#{code}-{option}")
    phone.fill("[name=q8]", "55")
    phone.fill("[name=q9]", "35")
    for option in (1, 5, 7):
        phone.check(f"#q19-{option}")
    phone.get_by_role("button", name="提交").click()

    expect(phone.get_by_role("alert")).to_contain_text("部分回答需要修改")
    exercise = phone.get_by_role("group", name=re.compile("您每周锻炼身体的次数"))
    expect(exercise).to_be_in_viewport()
    expect(exercise.get_by_role("radio", name="几乎不锻炼")).to_be_focused()
    # The answers already given are kept, and the question says what is wrong beside it.
    expect(phone.locator("#q1-2")).to_be_checked()
    expect(exercise).to_contain_text("请回答本题")


def test_a_nomination_shows_every_error_at_once_with_a_summary_linking_to_each(page, log_in, live_server, settings,
                                                                                 qingdao, unit_a, coordinator_a):
    from accounts.tests.factories import PASSWORD
    from awards.models import Nomination
    from awards.tests.factories import SelectionFactory

    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao, default_quota=2, places=1)
    log_in(page, coordinator_a.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/selections/{selection.pk}/nominations/new/")
    page.get_by_label("姓名").first.fill("张海洋")
    page.get_by_label("身份证号码").fill("370202198001011234")  # a wrong check digit
    page.get_by_label("手机号", exact=True).fill("12345")
    page.get_by_role("button", name="保存推荐表").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("身份证号码"))).to_contain_text("不是有效的18位身份证号码")
    expect(summary.get_by_role("link", name=re.compile("手机号"))).to_contain_text("不是有效的11位手机号码")
    # Each error also stands beside its own field.
    expect(page.locator("#id_id_number_error")).to_have_text("不是有效的18位身份证号码。")
    expect(page.locator("#id_mobile_error")).to_have_text("不是有效的11位手机号码。")
    # The summary's link brings the person to the field.
    summary.get_by_role("link", name=re.compile("手机号")).click()
    expect(page.get_by_label("手机号", exact=True)).to_be_focused()
    assert not Nomination.objects.filter(name="张海洋").exists()


def _png(color) -> dict:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), color).save(buffer, format="PNG")
    return {"name": f"{color}.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_refused_nomination_keeps_the_photos_already_chosen(page, log_in, live_server, settings, qingdao, unit_a,
                                                              coordinator_a):
    from accounts.tests.factories import PASSWORD
    from awards.models import Nomination
    from awards.tests.factories import SelectionFactory, valid_id

    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao, default_quota=2, places=1)
    log_in(page, coordinator_a.username, PASSWORD)
    page.goto(f"{live_server.url}/awards/selections/{selection.pk}/nominations/new/")
    page.get_by_label("姓名").first.fill("张海洋")
    page.get_by_label("身份证号码").fill("370202198001011234")  # wrong: the form is refused
    page.get_by_label("二寸证件照").set_input_files(_png("red"))
    page.get_by_label("生活照（3–5张）").set_input_files([_png("blue"), _png("green"), _png("gray")])
    page.get_by_role("button", name="保存推荐表").click()

    expect(page.get_by_test_id("error-summary")).to_contain_text("身份证号码")
    kept = page.get_by_test_id("kept-files")
    expect(kept).to_have_count(2)  # beside the ID photo and beside the life photos
    expect(kept.first).to_contain_text("red.png")
    expect(kept.nth(1)).to_contain_text("gray.png")
    expect(kept.nth(1)).to_contain_text("无需重新选择")

    # Only the ID number is corrected; no file is chosen again.
    page.get_by_label("身份证号码").fill(valid_id(301))
    page.get_by_role("button", name="保存推荐表").click()
    page.wait_for_url("**/awards/nominations/*/")
    nomination = Nomination.objects.get(name="张海洋")
    assert nomination.id_photo is not None and nomination.id_photo.original_name == "red.png"
    assert sorted(p.original_name for p in nomination.life_photos.all()) == ["blue.png", "gray.png", "green.png"]
    from uploads.models import PendingUpload
    assert not PendingUpload.objects.exists()  # the kept copies went once saved
