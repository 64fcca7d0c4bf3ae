"""The story of one request for volunteer service: a community asks on a phone, the organiser sees two
suggested teams and why, one team accepts, schedules and records the service with three volunteers, the
leader confirms two volunteers' hours and not the third's, the requester confirms with the receipt code,
and the team, programme and volunteer totals show exactly the confirmed hours."""

import pytest

from accounts.tests.factories import PASSWORD, coordinator_of
from core import clock
from organisations.models import District, UnitType
from organisations.tests.factories import UnitFactory
from volunteering.models import RequestStatus, ServiceRequest
from volunteering.tests.factories import ServiceTeamFactory, VolunteerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teams(qingdao):
    medical = UnitFactory(name="青岛市医学会", unit_type=UnitType.SOCIETY, district=None)
    computing = UnitFactory(name="青岛市计算机学会", unit_type=UnitType.SOCIETY, district=None)
    coordinator_of(medical, username="coord-yixue-t")
    coordinator_of(computing, username="coord-jisuanji-t")
    members = [VolunteerFactory(unit=medical, name=name) for name in ("张医生", "王护士", "刘药师")]
    team = ServiceTeamFactory(unit=medical, name="医学科普服务团", members=members, leader=members[0])
    ServiceTeamFactory(unit=computing, name="计算机科普服务团",
                       districts=[District.objects.get(code="shinan"), District.objects.get(code="shibei")])
    return team, members


def test_a_request_from_a_phone_to_confirmed_hours(phone, page, log_in, live_server, organiser, teams):
    team, (zhang, wang, liu) = teams
    # A community files a request for 科普进社区 on a phone and gets a receipt code.
    phone.goto(f"{live_server.url}/volunteering/request/")
    phone.select_option("select[name=requester_kind]", "community")
    phone.fill("input[name=organisation]", "八大湖街道第一社区居委会")
    phone.fill("textarea[name=need]", "科普进社区：为老年居民讲解防范电信诈骗和常见病预防")
    phone.select_option("select[name=field]", label="科普教育")
    phone.select_option("select[name=district]", label="市南区")
    phone.select_option("select[name=programme]", label="银铃科普行动")
    phone.fill("input[name=contact_name]", "李主任")
    phone.fill("input[name=contact_phone]", "13700001111")
    phone.check("input[name=consent]")
    phone.click("[data-testid=submit-request]")
    code = phone.locator("[data-testid=receipt-code]").inner_text().strip()
    assert len(code) == 14
    assert phone.evaluate("document.documentElement.scrollWidth") <= 376
    request = ServiceRequest.objects.get()
    detail_url = f"{live_server.url}/volunteering/requests/{request.pk}/"

    # The organiser sees the request and two suggested teams, each with the reason.
    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{live_server.url}/volunteering/requests/")
    page.locator("[data-testid=request-row] a").first.click()
    assert page.locator("[data-testid=suggestion]").count() == 2
    reasons = page.locator("[data-testid=suggestion-reason]").all_inner_texts()
    assert reasons[0] == "领域匹配：科普教育；服务区域包含：市南区"
    assert reasons[1] == "领域匹配：科普教育；服务区域包含：市南区"
    assert "137****1111" in page.content()

    # The medical society's coordinator accepts it for their team, schedules and records the service.
    page.context.clear_cookies()
    log_in(page, "coord-yixue-t", PASSWORD)
    page.goto(detail_url)
    page.click("[data-testid=action-match]")
    page.select_option("select[name=team]", label="医学科普服务团")
    page.click("[data-testid=form-submit]")
    assert "已对接" in page.locator("[data-testid=request-status]").inner_text()
    page.click("[data-testid=action-schedule]")
    page.fill("input[name=scheduled_for]", clock.today().isoformat())
    page.click("[data-testid=form-submit]")
    assert "已排期" in page.locator("[data-testid=request-status]").inner_text()
    page.click("[data-testid=action-record]")
    page.fill("input[name=place]", "八大湖街道党群服务中心")
    page.fill("input[name=beneficiaries]", "45")
    page.fill("input[name=beneficiary_kind]", "老年居民")
    for volunteer in (zhang, wang, liu):
        page.fill(f"[data-testid=hours-{volunteer.pk}]", "3")
    page.click("[data-testid=form-submit]")
    assert page.locator("[data-testid=hours-row]").count() == 3

    # The leader confirms two volunteers' hours, not the third's.
    page.check("[data-testid='confirm-张医生']")
    page.check("[data-testid='confirm-王护士']")
    page.click("[data-testid=confirm-hours]")
    page.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    assert page.locator("[data-testid=hours-row]", has_text="已确认").count() == 2
    assert page.locator("[data-testid=hours-row]", has_text="刘药师").inner_text().find("待确认") >= 0

    # The requester follows the request with the receipt code and confirms the service.
    phone.goto(f"{live_server.url}/volunteering/follow/")
    phone.fill("input[name=code]", code)
    phone.click("[data-testid=follow-submit]")
    assert "医学科普服务团" in phone.locator("[data-testid=follow-team]").inner_text()
    phone.click("[data-testid=confirm-service]")
    phone.click("[data-testid=confirm-dialog-ok]")  # the confirmation dialog
    assert "需求方已确认" in phone.locator("[data-testid=request-status]").inner_text()
    request.refresh_from_db()
    assert request.status == RequestStatus.CONFIRMED

    # Team, programme and volunteer totals show exactly the confirmed hours: 3 + 3 = 6.
    page.goto(f"{live_server.url}/volunteering/teams/{team.pk}/")
    assert page.locator("[data-testid=team-total]").inner_text().strip() == "6"
    phone.goto(f"{live_server.url}/volunteering/programmes/")
    card = phone.locator("[data-testid=programme-card]", has_text="银铃科普行动")
    assert card.locator("[data-testid=programme-hours]").inner_text().strip() == "6"
    for volunteer, expected in ((zhang, "3"), (wang, "3"), (liu, "0")):
        phone.goto(f"{live_server.url}/volunteering/me/{volunteer.token}/")
        assert phone.locator("[data-testid=volunteer-total]").inner_text().strip() == expected
