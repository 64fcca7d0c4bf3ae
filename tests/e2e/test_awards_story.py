"""The 「青岛最美科技工作者」 story in a browser: nominate (one unit stopped at its quota), check, assign (the
conflict rule refuses a colleague), score, rank, publish the notice over the Dragon Boat Festival, a public
objection from a phone, not upheld, release and the winner's public profile."""

import io

import pytest
from PIL import Image

from accounts.tests.factories import PASSWORD
from awards.models import Nomination, Objection
from awards.tests.factories import NominationFactory, SelectionFactory, expert, valid_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(color) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), color).save(buffer, format="PNG")
    return {"name": "photo.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


PDF = {"name": "consent.pdf", "mimeType": "application/pdf",
       "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


def _confirm(page, url_path, live_server):
    page.goto(live_server.url + url_path)
    page.click("[data-testid=confirm]")
    page.wait_for_load_state()


def test_the_most_beautiful_sci_tech_workers_story(page, phone, log_in, live_server, settings, qingdao, unit_a,
                                                   unit_b, coordinator_a, coordinator_b, organiser):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao, default_quota=1, places=1)
    other = NominationFactory(selection=selection, unit=unit_b, name="李工", id_number=valid_id(300))
    colleague = expert("expert-colleague", unit=unit_a)
    reviewer = expert("expert-neutral")
    for user in (colleague, reviewer):
        user.set_password(PASSWORD)
        user.save()
    base = live_server.url

    # 1. coordinator A fills the 推荐表 with photos and the consent, and submits it
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{base}/awards/selections/{selection.pk}/nominations/new/")
    for name, value in {"name": "张海洋", "ethnicity": "汉族", "political_status": "中共党员",
                        "workplace": "中国海洋大学", "position": "教授", "field": "海洋工程",
                        "achievements": "长期从事深海探测装备研究。", "deeds_summary": "研制深海探测装备",
                        "honours": "国家科技进步二等奖", "unit_opinion": "同意推荐", "id_number": valid_id(301),
                        "mobile": "13955556666", "birth_date": "1980-01-01"}.items():
        page.fill(f"[name={name}]", value)
    page.select_option("[name=gender]", "male")
    page.set_input_files("[name=id_photo]", _png("red"))
    page.set_input_files("[name=life_photos]", [_png("blue"), _png("green"), _png("gray")])
    page.set_input_files("[name=consent]", PDF)
    page.click("[data-testid=save-nomination]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=id-number]").inner_text() == valid_id(301)[:4] + "*" * 10 + valid_id(301)[-4:]
    assert "13955556666" not in page.content()
    nomination = Nomination.objects.get(name="张海洋")
    _confirm(page, f"/awards/nominations/{nomination.pk}/submit/", live_server)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED

    # 2. coordinator B submits theirs and is stopped at the quota when nominating a second person
    page.context.clear_cookies()
    log_in(page, "coord-b", PASSWORD)
    _confirm(page, f"/awards/nominations/{other.pk}/submit/", live_server)
    page.goto(f"{base}/awards/selections/{selection.pk}/")
    assert "名额已用完" in page.locator("[data-testid=quota-full]").inner_text()
    assert page.get_by_role("link", name="推荐人选").count() == 0

    # 3. the organiser passes both, and cannot assign the colleague of unit A to 张海洋
    page.context.clear_cookies()
    log_in(page, "organiser-t", PASSWORD)
    for pk in (nomination.pk, other.pk):
        _confirm(page, f"/awards/nominations/{pk}/pass/", live_server)
    assert Nomination.objects.filter(status=Nomination.Status.ELIGIBLE).count() == 2
    page.goto(f"{base}/awards/selections/{selection.pk}/assignments/")
    page.select_option("[name=a-expert]", str(colleague.pk))
    page.check(f"[name=a-nominations][value='{nomination.pk}']")
    page.click("[data-testid=assign]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=form-errors]").is_visible()
    assert not colleague.award_assignments.exists()
    page.select_option("[name=a-expert]", str(reviewer.pk))
    page.check(f"[name=a-nominations][value='{nomination.pk}']")
    page.check(f"[name=a-nominations][value='{other.pk}']")
    page.click("[data-testid=assign]")
    page.wait_for_load_state()
    assert reviewer.award_assignments.count() == 2

    # 4. the expert scores both on their own page
    page.context.clear_cookies()
    log_in(page, "expert-neutral", PASSWORD)
    criteria = list(selection.criteria.all())
    for assignment, (first, second) in zip(reviewer.award_assignments.order_by("nomination__name"),
                                           [(55, 35), (40, 30)], strict=True):  # 张海洋 before 李工 by code point
        page.goto(f"{base}/awards/reviews/{assignment.pk}/")
        page.fill(f"[name=s-c{criteria[0].pk}]", str(first))
        page.fill(f"[name=s-c{criteria[1].pk}]", str(second))
        page.click("[data-testid=submit-scores]")
        page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
        page.wait_for_load_state()

    # 5. the ranking, the decision and the notice over the Dragon Boat Festival
    page.context.clear_cookies()
    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{base}/awards/selections/{selection.pk}/ranking/")
    rows = page.locator("[data-testid=ranking] tbody tr")
    assert rows.count() == 2
    top = Nomination.objects.get(assignments__total=90)
    assert top.name in rows.nth(0).inner_text()
    page.check(f"[name=finalists][value='{top.pk}']")
    page.click("[data-testid=decide]")
    page.wait_for_load_state()
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    page.goto(f"{base}/awards/selections/{selection.pk}/notice/")
    page.fill("[name=start]", "2022-06-01")
    page.click("[data-testid=save]")  # 预览
    page.wait_for_load_state()
    assert "2022-06-08" in page.locator("[data-testid=notice-period]").inner_text()
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    assert "2022-06-08" in page.locator("[data-testid=notice-period]").inner_text()

    # 6. someone files an objection from a phone inside WeChat
    phone.goto(f"{base}/awards/{qingdao.slug}/notice/")
    assert top.name in phone.locator("[data-testid=finalists]").inner_text()
    assert "13955556666" not in phone.content() and valid_id(301) not in phone.content()
    phone.select_option("[name=nomination]", str(top.pk))
    phone.fill("[name=name]", "王五")
    phone.fill("[name=phone]", "13700001111")
    phone.fill("[name=facts]", "获奖证书时间有出入。")
    phone.click("[data-testid=file-objection]")
    phone.wait_for_load_state()
    objection = Objection.objects.get()

    # 7. the organiser records it as not upheld, and releases after the notice
    page.goto(f"{base}/awards/objections/{objection.pk}/")
    assert "13700001111" not in page.content()
    page.select_option("[name=outcome]", "not_upheld")
    page.fill("[name=investigation]", "经向发证单位核实，证书真实有效。")
    page.click("[data-testid=save-outcome]")
    page.wait_for_load_state()
    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    page.goto(f"{base}/awards/selections/{selection.pk}/release/")
    page.click("[data-testid=save]")  # 预览
    page.wait_for_load_state()
    page.get_by_role("button", name="发布").click()
    page.wait_for_load_state()
    top.refresh_from_db()
    assert top.status == Nomination.Status.WINNER

    # 8. the winner's public profile, opened from the announcement on a phone
    phone.goto(f"{base}/awards/{qingdao.slug}/winners/")
    phone.click(f"text={top.name}")
    phone.wait_for_load_state()
    assert top.name in phone.locator("[data-testid=profile]").inner_text()
    assert valid_id(301) not in phone.content()
