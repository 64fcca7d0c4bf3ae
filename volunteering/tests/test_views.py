"""The pages: public form with receipt and throttle, denials, the personal link, constant queries on lists."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import District
from volunteering.models import RequestStatus, ServiceRequest

from .factories import (
    ServiceHoursFactory,
    ServiceRecordFactory,
    ServiceRequestFactory,
    ServiceTeamFactory,
    VolunteerFactory,
    field_named,
)


def _form(**overrides):
    data = {"requester_kind": "community", "organisation": "八大湖街道社区", "need": "科普进社区",
            "field": field_named().pk, "district": District.objects.get(code="shinan").pk,
            "contact_name": "李主任", "contact_phone": "13700001111", "consent": "on"}
    data.update(overrides)
    return data


def test_the_public_form_shows_the_receipt_once_and_the_requester_follows_it(client, qingdao):
    response = client.post(reverse("volunteering:request_public"), _form())
    assert response.status_code == 302
    page = client.get(reverse("volunteering:request_done"))
    code = page.context["receipt"]["code"]
    assert client.get(reverse("volunteering:request_done")).status_code == 302  # shown once
    req = ServiceRequest.objects.get()
    assert req.consent_at is not None and code not in req.receipt_digest
    response = client.post(reverse("volunteering:follow"), {"code": code})
    assert response.status_code == 302
    assert "八大湖街道社区" in client.get(reverse("volunteering:follow_status")).content.decode()


def test_the_public_form_needs_consent_and_is_throttled(client, qingdao, settings):
    cache.clear()
    response = client.post(reverse("volunteering:request_public"), _form(consent=""))
    assert response.status_code == 200 and not ServiceRequest.objects.exists()
    settings.SCIDAY_VOLUNTEER_REQUEST_LIMIT = 2
    codes = [client.post(reverse("volunteering:request_public"), _form()).status_code for _i in range(3)]
    assert codes == [302, 302, 429] and ServiceRequest.objects.count() == 2


@pytest.mark.parametrize("name", ["request_list", "team_list", "volunteer_list", "record_list", "reports"])
def test_anonymous_visitors_cannot_see_the_staff_pages(client, qingdao, name):
    response = client.get(reverse(f"volunteering:{name}"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_anonymous_cannot_see_requests_in_the_api(client, qingdao):
    ServiceRequestFactory()
    assert client.get("/api/v1/volunteering/requests/").status_code == 401
    assert client.get("/api/v1/volunteering/programmes/").status_code == 200


def test_another_units_coordinator_gets_404_on_a_matched_request_and_cannot_record(login, coord_sb, team_a):
    req = ServiceRequestFactory(status=RequestStatus.SCHEDULED, team=team_a)
    client = login(coord_sb)
    assert client.get(reverse("volunteering:request_detail", args=[req.pk])).status_code == 404
    assert client.get(reverse("volunteering:team_detail", args=[team_a.pk])).status_code == 404
    response = client.post(reverse("volunteering:record_create", args=[team_a.pk]) + f"?request={req.pk}",
                           {"date": "2022-05-01", "place": "x", "beneficiaries": 1})
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.status == RequestStatus.SCHEDULED and not req.records.exists()


def test_a_coordinator_sees_open_requests_and_the_suggestions_with_the_reason(login, coord_sa, team_a, team_b):
    req = ServiceRequestFactory()
    page = login(coord_sa).get(reverse("volunteering:request_detail", args=[req.pk])).content.decode()
    assert "医学科普服务团" in page and "计算机科普服务团" in page
    assert "市南区" in page


def test_the_personal_link_shows_only_confirmed_hours_in_the_total(client, team_a):
    volunteer = team_a.leader
    ServiceHoursFactory(record=ServiceRecordFactory(team=team_a), volunteer=volunteer, hours=Decimal("2"),
                        confirmed_at="2022-05-20T10:00+08:00")
    ServiceHoursFactory(record=ServiceRecordFactory(team=team_a), volunteer=volunteer, hours=Decimal("5"))
    response = client.get(reverse("volunteering:volunteer_public", args=[volunteer.token]))
    assert response.status_code == 200 and response.context["total"] == Decimal("2")
    assert client.get(reverse("volunteering:volunteer_public", args=["guess"])).status_code == 404


def test_volunteers_are_listed_masked(login, organiser, society_a):
    VolunteerFactory(unit=society_a, mobile="13812341234")
    page = login(organiser).get(reverse("volunteering:volunteer_list")).content.decode()
    assert "138****1234" in page and "13812341234" not in page


def _grow(society, n):
    for _i in range(n):
        volunteers = [VolunteerFactory(unit=society) for _j in range(2)]
        team = ServiceTeamFactory(unit=society, members=volunteers)
        req = ServiceRequestFactory(status=RequestStatus.SERVED, team=team)
        record = ServiceRecordFactory(team=team, request=req)
        for v in volunteers:
            ServiceHoursFactory(record=record, volunteer=v)


@pytest.mark.parametrize("name", ["request_list", "team_list", "volunteer_list", "record_list", "reports"])
def test_list_pages_keep_a_constant_number_of_queries(login, organiser, coord_sa, society_a, name,
                                                      django_assert_max_num_queries):
    url = reverse(f"volunteering:{name}")
    counts = []
    for user in (organiser, coord_sa):
        client = login(user)
        _grow(society_a, 2)
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        _grow(society_a, 8)
        with django_assert_max_num_queries(len(small)):
            assert client.get(url).status_code == 200
        counts.append(len(small))
    assert max(counts) < 25


def test_reports_download_as_xlsx(login, organiser, team_a):
    client = login(organiser)
    for url in (reverse("volunteering:report_xlsx", args=["team"]),
                reverse("volunteering:report_xlsx", args=["programme"]) + "?month=2022-05"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_the_import_page_names_the_bad_row_and_writes_nothing(login, coord_sa, society_a):
    from .test_import import registry_workbook

    client = login(coord_sa)
    response = client.post(reverse("volunteering:volunteer_import"),
                           {"unit": society_a.pk, "file": registry_workbook(20, bad_row=7)})
    assert response.status_code == 200 and "第 7 行" in response.content.decode()
    assert not society_a.volunteers.exists()
    response = client.post(reverse("volunteering:volunteer_import"),
                           {"unit": society_a.pk, "file": registry_workbook(20)})
    assert response.status_code == 302 and society_a.volunteers.count() == 20


def test_another_units_coordinator_cannot_import_into_the_unit(login, coord_sb, society_a):
    from .test_import import registry_workbook

    response = login(coord_sb).post(reverse("volunteering:volunteer_import"),
                                    {"unit": society_a.pk, "file": registry_workbook(3)})
    assert response.status_code == 200 and not society_a.volunteers.exists()  # not a choice for them


def test_a_service_is_recorded_with_a_photo_and_the_leader_confirms_hours(login, coord_sa, team_a, settings):
    from io import BytesIO

    from PIL import Image

    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    members = list(team_a.members.order_by("name"))
    data = {"date": "2022-05-19", "place": "社区党群服务中心", "beneficiaries": 30, "beneficiary_kind": "居民",
            "photos": SimpleUploadedFile("p.png", buffer.getvalue(), content_type="image/png")}
    data.update({f"hours_{v.pk}": "2.5" for v in members})
    client = login(coord_sa)
    response = client.post(reverse("volunteering:record_create", args=[team_a.pk]), data)
    assert response.status_code == 302
    record = team_a.records.get()
    assert record.photos.count() == 1 and record.hours.count() == 3
    hours = list(record.hours.all())
    client.post(reverse("volunteering:record_confirm_hours", args=[record.pk]), {"hours": [hours[0].pk]})
    assert record.hours.filter(confirmed_at__isnull=False).count() == 1


def test_workbench_todos(login, organiser, coord_sa, team_a):
    from volunteering.workbench import todos

    ServiceRequestFactory()
    ServiceRequestFactory(status=RequestStatus.MATCHED, team=team_a)
    ServiceHoursFactory(record=ServiceRecordFactory(team=team_a), volunteer=team_a.leader)
    assert [t["text"] for t in todos(organiser)] == ["1 条服务需求等待服务团承接"]
    assert len(todos(coord_sa)) == 2
    assert login(coord_sa).get(reverse("workbench:home")).status_code == 200


def test_organisers_keep_the_lists_and_coordinators_cannot(login, organiser, coord_sa):
    from volunteering.models import ExpertiseField, Programme

    assert login(coord_sa).post(reverse("volunteering:lists"), {"kind": "field", "field-name": "天文"}).status_code == 403
    client = login(organiser)
    assert client.post(reverse("volunteering:lists"), {"kind": "field", "field-name": "天文"}).status_code == 302
    response = client.post(reverse("volunteering:lists"), {
        "kind": "programme", "programme-code": "rural-science", "programme-name": "科技下乡行动",
        "programme-audience": "农民"})
    assert response.status_code == 302 and Programme.objects.filter(code="rural-science").exists()
    field = ExpertiseField.objects.get(name="天文")
    client.post(reverse("volunteering:list_toggle", args=["field", field.pk]))
    field.refresh_from_db()
    assert not field.is_active
    assert "天文" in client.get(reverse("volunteering:lists")).content.decode()


def test_a_coordinator_forms_a_team_of_their_volunteers_and_another_unit_cannot_edit_it(
        login, coord_sa, coord_sb, society_a):
    from volunteering.models import ServiceTeam

    volunteers = [VolunteerFactory(unit=society_a) for _i in range(2)]
    client = login(coord_sa)
    assert client.get(reverse("volunteering:team_create")).status_code == 200
    response = client.post(reverse("volunteering:team_create"), {
        "unit": society_a.pk, "name": "医学专家服务团", "fields_of_expertise": [field_named().pk],
        "districts": [District.objects.get(code="shinan").pk], "members": [v.pk for v in volunteers],
        "leader": volunteers[0].pk, "is_active": "on"})
    assert response.status_code == 302
    team = ServiceTeam.objects.get(name="医学专家服务团")
    assert team.leader == volunteers[0] and team.members.count() == 2
    other = login(coord_sb)
    assert other.get(reverse("volunteering:team_edit", args=[team.pk])).status_code == 404
    assert other.post(reverse("volunteering:team_edit", args=[team.pk]), {"name": "改名"}).status_code == 404
    team.refresh_from_db()
    assert team.name == "医学专家服务团"


def test_the_monthly_report_counts_only_confirmed_hours_of_that_month(login, organiser, team_a):
    import io
    from datetime import date

    from openpyxl import load_workbook

    may = ServiceRecordFactory(team=team_a, date=date(2022, 5, 20), beneficiaries=10)
    ServiceHoursFactory(record=may, volunteer=team_a.leader, hours=Decimal("2"), confirmed_at="2022-05-21T10:00+08:00")
    ServiceHoursFactory(record=may, volunteer=team_a.members.exclude(pk=team_a.leader_id).first(), hours=Decimal("9"))
    june = ServiceRecordFactory(team=team_a, date=date(2022, 6, 2))
    ServiceHoursFactory(record=june, volunteer=team_a.leader, hours=Decimal("4"), confirmed_at="2022-06-03T10:00+08:00")
    response = login(organiser).get(reverse("volunteering:report_xlsx", args=["team"]) + "?month=2022-05")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "服务团" and rows[2] == ("医学科普服务团", 1, 1, 10, 2, 2)


def test_the_public_form_shows_the_service_window_and_accepts_an_early_may_request(client, qingdao, settings):
    """The notice: volunteer service 「5月上旬起」, before the activity window opens on 11 May."""
    settings.SCIDAY_CLOCK = "2022-05-02T10:00+08:00"
    page = client.get(reverse("volunteering:request_public")).content.decode()
    assert "科技志愿服务时间为 2022-05-01 至 2022-06-20" in page
    response = client.post(reverse("volunteering:request_public"),
                           _form(preferred_from="2022-05-05", preferred_to="2022-05-06"))
    assert response.status_code == 302
    assert ServiceRequest.objects.get().preferred_from.isoformat() == "2022-05-05"
