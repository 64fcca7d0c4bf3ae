import io

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import TransitionNotAllowed
from notifications.models import Notification
from rollup import selectors, services
from rollup.models import Decision, ProvinceDecision, ProvinceLink, ReceivedRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(city_package, province):
    services.package_import(fileobj=io.BytesIO(city_package), link=province["qd_link"])
    return province


def _record(activity):
    return ReceivedRecord.objects.get(stable_id=f"370200/qingdao-2022/activity/{activity.pk}")


def test_selecting_needs_a_reason_and_follows_the_table(imported, recommended):
    record = _record(recommended["first"])
    organiser = imported["organiser"]
    with pytest.raises(ValidationError):
        services.record_decide(actor=organiser, record=record, action="select", reason=" ")
    record = services.record_decide(actor=organiser, record=record, action="select", reason="示范性强")
    assert record.decision == Decision.SELECTED
    with pytest.raises(TransitionNotAllowed):
        services.record_decide(actor=organiser, record=record, action="select", reason="again")


def test_a_coordinator_may_not_decide(imported, recommended, coordinator_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_decide(actor=coordinator_a, record=_record(recommended["first"]), action="select", reason="x")
    assert _record(recommended["first"]).decision == Decision.PENDING


def test_the_decisions_api_answers_only_the_tokens_city_since_a_time(imported, recommended, client):
    services.record_decide(actor=imported["organiser"], record=_record(recommended["first"]), action="select",
                           reason="示范性强")
    services.record_decide(actor=imported["organiser"], record=_record(recommended["second"]), action="decline",
                           reason="与往年重复")
    answer = client.get("/api/v1/rollup/decisions", headers={"Authorization": f"Bearer {imported['qd_token']}"})
    assert answer.status_code == 200
    body = answer.json()
    assert {d["decision"] for d in body["decisions"]} == {"selected", "declined"}
    later = client.get("/api/v1/rollup/decisions", {"since": "2099-01-01T00:00:00+08:00"},
                       headers={"Authorization": f"Bearer {imported['qd_token']}"})
    assert later.json()["decisions"] == []
    other = client.get("/api/v1/rollup/decisions", headers={"Authorization": f"Bearer {imported['yt_token']}"})
    assert other.status_code == 200 and other.json()["decisions"] == []
    assert client.get("/api/v1/rollup/decisions", headers={"Authorization": "Bearer up_nope"}).status_code == 401


def test_pulled_decisions_show_on_the_activity_and_notify_its_host(imported, recommended, settings, qingdao,
                                                                   organiser, coordinator_a, client):
    services.record_decide(actor=imported["organiser"], record=_record(recommended["first"]), action="select",
                           reason="示范性强")
    decisions, cursor = selectors.decisions_for_link(link=imported["qd_link"], since=None)
    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "city", "370200"  # back at the city
    link = services.province_link_save(actor=organiser, campaign=qingdao, address="http://province.test/",
                                       token=imported["qd_token"])
    assert link.token_encrypted and imported["qd_token"] not in link.token_encrypted
    assert services.province_token(ProvinceLink.objects.get()) == imported["qd_token"]
    result = services.decisions_apply(actor=None, link=link, decisions=decisions, cursor=cursor)
    assert result == {"applied": 1, "skipped": 0}
    assert ProvinceDecision.objects.get(activity=recommended["first"]).reason == "示范性强"
    assert Notification.objects.filter(recipient=coordinator_a, kind="rollup.decision.selected").count() == 1
    # the same decisions again change nothing and notify nobody again
    assert services.decisions_apply(actor=None, link=link, decisions=decisions, cursor=cursor)["applied"] == 0
    assert Notification.objects.filter(recipient=coordinator_a, kind="rollup.decision.selected").count() == 1
    client.force_login(coordinator_a)
    page = client.get(recommended["first"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "已纳入省级重点活动" in page.content.decode() and "示范性强" in page.content.decode()
    # a decision about another city's activity is skipped
    foreign = [{"id": "370600/yantai-2022/activity/1", "decision": "selected", "reason": "", "decided_at":
                decisions[0]["decided_at"]}]
    assert services.decisions_apply(actor=None, link=link, decisions=foreign, cursor=cursor)["skipped"] == 1


def test_the_city_dashboard_counts_the_decisions(recommended, qingdao):
    from dashboard.selectors import dashboard_figures

    ProvinceDecision.objects.create(activity=recommended["first"], decision="selected", reason="",
                                    decided_at="2022-06-01T10:00+08:00")
    ProvinceDecision.objects.create(activity=recommended["second"], decision="declined", reason="",
                                    decided_at="2022-06-01T10:00+08:00")
    assert dashboard_figures(campaign=qingdao)["activities"]["province"] == {"selected": 1, "declined": 1}
