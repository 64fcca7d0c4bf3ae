"""The education-base visit story in a real browser: a school books a slot on a phone, the base confirms,
the group checks in by its QR link on the day, and the visitor count shows on the base's figures."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD
from exhibitions.models import BaseSlot, EducationBase, Visit, VisitState
from organisations.models import District

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_base_visit_story(page, phone, log_in, live_server, settings, coordinator_a, unit_a):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    url = live_server.url
    base = EducationBase.objects.create(
        name="青岛海洋科学家精神教育基地", district=District.objects.get(code="shinan"), address="福山路1号",
        exhibits="中国海洋科学家群像", opening_hours="周二至周日 9:00-16:30", capacity_per_slot=50,
        contact_person="刘老师", contact_phone="0532-80000000", managing_unit=unit_a)
    slot = BaseSlot.objects.create(base=base, date=datetime.date(2022, 5, 25), starts_at=datetime.time(9),
                                   ends_at=datetime.time(10, 30), capacity=50)

    # A teacher finds the base on a phone (filtering by district) and books a slot for the class.
    phone.goto(f"{url}/exhibitions/bases/")
    phone.select_option("select[name=district]", value="shinan")
    phone.click("text=查看基地")
    phone.wait_for_load_state()
    phone.click("[data-testid=base-item]")
    phone.wait_for_load_state()
    phone.select_option("select[name=slot]", value=str(slot.pk))
    phone.select_option("select[name=group_kind]", value="school")
    phone.fill("input[name=group_name]", "青岛第二中学高一（3）班")
    phone.fill("input[name=group_size]", "40")
    phone.fill("input[name=contact_name]", "王老师")
    phone.fill("input[name=contact_phone]", "13800138000")
    phone.click("[data-testid=book-submit]")
    phone.wait_for_load_state()
    visit = Visit.objects.get()
    assert visit.state == VisitState.REQUESTED and visit.group_size == 40
    assert "13800138000" not in visit.contact_encrypted
    assert phone.locator("[data-testid=visit-reference]").inner_text() == visit.reference
    assert "待确认" in phone.locator("[data-testid=visit-state]").inner_text()
    assert phone.locator("[data-testid=checkin-link]").count() == 0
    status_url = phone.url

    # The base (a coordinator of its managing unit) sees the to-do and confirms the visit.
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{url}/exhibitions/manage/")
    page.click("[data-testid=to-decide]")
    page.wait_for_load_state()
    page.click("text=青岛第二中学高一（3）班")
    page.wait_for_load_state()
    assert "13800138000" in page.content()  # the base sees the contact in clear
    page.click("[data-testid=visit-confirm]")
    page.wait_for_load_state()
    page.click("[data-testid=confirm]")
    page.wait_for_load_state()
    assert Visit.objects.get().state == VisitState.CONFIRMED

    # Before the day, the code is refused; on the day the group checks in through the QR link.
    phone.goto(status_url)
    assert "已确认" in phone.locator("[data-testid=visit-state]").inner_text()
    phone.click("[data-testid=checkin-link]")
    phone.wait_for_load_state()
    assert "2022-05-25" in phone.locator("[data-testid=checkin-refused]").inner_text()
    checkin_url = phone.url

    settings.SCIDAY_CLOCK = "2022-05-25T08:55+08:00"
    phone.goto(checkin_url)
    phone.fill("input[name=visitors]", "38")
    phone.click("[data-testid=visit-checkin-submit]")
    phone.wait_for_load_state()
    assert "38" in phone.locator("[data-testid=checkin-done]").inner_text()
    visit.refresh_from_db()
    assert visit.state == VisitState.VISITED and visit.visitors == 38

    # The visitor count shows on the base's figures.
    page.goto(f"{url}/exhibitions/manage/bases/{base.pk}/")
    assert page.locator("[data-testid=figure-visitors]").inner_text() == "38"
    page.goto(f"{url}/exhibitions/manage/")
    assert page.locator("[data-testid=base-visitors]").first.inner_text() == "38"
