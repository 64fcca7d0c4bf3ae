import pytest
from django.urls import reverse

from exhibitions import services
from exhibitions.models import Visit, VisitState
from exhibitions.tests.factories import BaseFactory, ExhibitionFactory, SlotFactory, StopFactory, VisitFactory
from organisations.models import District

pytestmark = pytest.mark.django_db


def _booking(slot, size=20, **extra):
    return {"slot": slot.pk, "group_kind": "school", "group_name": "青岛二中", "group_size": size,
            "contact_name": "王老师", "contact_phone": "13800138000", **extra}


def test_public_booking_then_status_page_then_confirmed_qr(client, slot_a, organiser, login):
    response = client.post(reverse("exhibitions:base_detail", args=[slot_a.base_id]), _booking(slot_a))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert response.url == reverse("exhibitions:visit_status", args=[services.visit_status_code(visit)])
    page = client.get(response.url)
    assert visit.reference in page.content.decode() and "checkin-link" not in page.content.decode()
    services.visit_confirm(actor=organiser, visit=visit)
    assert 'data-testid="checkin-link"' in client.get(response.url).content.decode()


def test_public_booking_over_capacity_shows_the_reason(client, slot_a):
    VisitFactory(slot=slot_a, group_size=45)
    response = client.post(reverse("exhibitions:base_detail", args=[slot_a.base_id]), _booking(slot_a, 10))
    assert response.status_code == 200
    assert Visit.objects.count() == 1
    assert "5" in response.context["form"].errors["__all__"][0]


def test_public_booking_is_throttled(client, slot_a, settings):
    settings.SCIDAY_VISIT_BOOK_LIMIT = 2
    url = reverse("exhibitions:base_detail", args=[slot_a.base_id])
    for _i in range(2):
        assert client.post(url, _booking(slot_a, 1)).status_code == 302
    assert client.post(url, _booking(slot_a, 1)).status_code == 429
    assert Visit.objects.count() == 2


def test_forged_codes_are_refused(client, slot_a):
    assert client.get(reverse("exhibitions:visit_status", args=["forged"])).status_code == 404
    assert client.get(reverse("exhibitions:visit_checkin", args=["forged"])).status_code == 404


def test_group_checks_in_on_the_day(client, slot_a, organiser, settings):
    visit = services.visit_confirm(actor=organiser, visit=VisitFactory(slot=slot_a, group_size=30))
    url = reverse("exhibitions:visit_checkin", args=[services.visit_checkin_code(visit)])
    response = client.post(url, {"visitors": 28})
    assert "2022-05-25" in response.content.decode()
    settings.SCIDAY_CLOCK = "2022-05-25T09:05+08:00"
    response = client.post(url, {"visitors": 28})
    assert "28" in response.content.decode().split('data-testid="checkin-done"')[1][:80]
    visit.refresh_from_db()
    assert visit.state == VisitState.VISITED and visit.visitors == 28


def test_another_units_visit_and_base_are_404(client, login, slot_a, coordinator_b):
    visit = VisitFactory(slot=slot_a)
    login(coordinator_b)
    assert client.get(reverse("exhibitions:visit_manage", args=[visit.pk])).status_code == 404
    assert client.get(reverse("exhibitions:base_manage", args=[slot_a.base_id])).status_code == 404
    response = client.post(reverse("exhibitions:visit_action", args=[visit.pk, "confirm"]))
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.state == VisitState.REQUESTED


def test_a_coordinator_cannot_create_bases_or_edit_exhibitions(client, login, coordinator_a, qingdao):
    login(coordinator_a)
    assert client.get(reverse("exhibitions:base_create")).status_code == 403
    exhibition = ExhibitionFactory()
    assert client.post(reverse("exhibitions:exhibition_edit", args=[exhibition.pk]),
                       {"title": "改", "organiser": "x"}).status_code == 403
    exhibition.refresh_from_db()
    assert exhibition.title != "改"


def test_the_base_manager_confirms_through_the_confirmation_page(client, login, slot_a, coordinator_a):
    visit = VisitFactory(slot=slot_a)
    login(coordinator_a)
    page = client.get(reverse("exhibitions:visit_manage", args=[visit.pk])).content.decode()
    assert "13800138000" in page  # the decider sees the decrypted contact
    url = reverse("exhibitions:visit_action", args=[visit.pk, "confirm"])
    assert client.get(url).status_code == 200
    client.post(url)
    visit.refresh_from_db()
    assert visit.state == VisitState.CONFIRMED


def test_the_booking_unit_sees_its_visit_without_the_contact_in_clear(client, login, slot_a, unit_b, coordinator_b):
    visit = VisitFactory(slot=slot_a, unit=unit_b)
    login(coordinator_b)
    page = client.get(reverse("exhibitions:visit_manage", args=[visit.pk])).content.decode()
    assert "13800138000" not in page and 'data-testid="visit-confirm"' not in page


def test_coordinator_books_for_their_unit(client, login, slot_a, coordinator_b, unit_b):
    login(coordinator_b)
    response = client.post(reverse("exhibitions:base_book", args=[slot_a.base_id]), _booking(slot_a, 12))
    assert response.status_code == 302
    assert Visit.objects.get().unit == unit_b


def test_base_list_filters_by_district(client, qingdao):
    BaseFactory(name="市南基地")
    BaseFactory(name="崂山基地", district=District.objects.get(code="laoshan"))
    page = client.get(reverse("exhibitions:base_list"), {"district": "laoshan"}).content.decode()
    assert "崂山基地" in page and "市南基地" not in page


def _grow(n, unit):
    for _i in range(n):
        exhibition = ExhibitionFactory()
        StopFactory(exhibition=exhibition, host_unit=unit, visitors=10)
        base = BaseFactory(managing_unit=unit)
        slot = SlotFactory(base=base)
        VisitFactory(slot=slot, unit=unit)


@pytest.mark.parametrize("name", ["exhibitions:list", "exhibitions:base_list", "exhibitions:manage",
                                  "exhibitions:visits"])
def test_list_pages_keep_a_constant_number_of_queries(client, login, unit_a, coordinator_a,
                                                      django_assert_max_num_queries, name):
    login(coordinator_a)
    _grow(2, unit_a)
    url = reverse(name)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _grow(15, unit_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_detail_pages_keep_a_constant_number_of_queries(client, login, unit_a, organiser,
                                                        django_assert_max_num_queries):
    login(organiser)
    exhibition = ExhibitionFactory()
    base = BaseFactory(managing_unit=unit_a)
    for _i in range(2):
        StopFactory(exhibition=exhibition)
        VisitFactory(slot=SlotFactory(base=base))
    urls = [reverse("exhibitions:detail", args=[exhibition.pk]), reverse("exhibitions:base_manage", args=[base.pk]),
            reverse("exhibitions:base_detail", args=[base.pk]),
            reverse("exhibitions:exhibition_manage", args=[exhibition.pk])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    for _i in range(10):
        StopFactory(exhibition=exhibition)
        VisitFactory(slot=SlotFactory(base=base))
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_public_exhibition_pages(client, qingdao):
    services.exhibitions_seed(campaign=qingdao)
    page = client.get(reverse("exhibitions:list")).content.decode()
    assert "榜样的力量——最美科技工作者风采展" in page
    assert client.get(reverse("exhibitions:detail", args=[999999])).status_code == 404


def test_workbench_todo_for_the_base(slot_a, coordinator_a, coordinator_b):
    from exhibitions.workbench import todos

    VisitFactory(slot=slot_a)
    assert todos(coordinator_a) and "1" in todos(coordinator_a)[0]["text"]
    assert todos(coordinator_b) == []


def test_host_reports_visitors_and_photos_of_a_stop(client, login, coordinator_a, unit_a, settings, tmp_path):
    from activities.tests.factories import png_file

    settings.MEDIA_ROOT = tmp_path
    stop = StopFactory(host_unit=unit_a)
    login(coordinator_a)
    response = client.post(reverse("exhibitions:stop_report", args=[stop.pk]),
                           {"visitors": 321, "photos": [png_file()]})
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.visitors == 321 and stop.photos.count() == 1
    page = client.get(reverse("exhibitions:detail", args=[stop.exhibition_id])).content.decode()
    assert "321" in page and stop.photos.get().asset.get_thumbnail_url() in page


def test_organiser_adds_a_stop(client, login, organiser, unit_a):
    exhibition = ExhibitionFactory()
    login(organiser)
    response = client.post(reverse("exhibitions:stop_create", args=[exhibition.pk]), {
        "host_unit": unit_a.pk, "venue": "市南区图书馆", "district": District.objects.get(code="shinan").pk,
        "starts_on": "2022-05-26", "ends_on": "2022-05-30"})
    assert response.status_code == 302
    assert exhibition.stops.get().host_unit == unit_a
