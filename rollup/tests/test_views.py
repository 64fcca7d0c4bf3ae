import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rollup.models import ReceivedPackage, ReceivedRecord, UpwardLink

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_province_pages_for_its_organiser_and_no_one_else(province, client, coordinator_a, city_package,
                                                              settings):
    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "province", "370000"
    client.force_login(coordinator_a)
    for url in ("/rollup/cities/", "/rollup/links/", "/rollup/upload/", "/rollup/review/", "/rollup/role-models/"):
        assert client.get(url).status_code == 403
    client.force_login(province["organiser"])
    page = client.get("/rollup/cities/", **ZH).content.decode()
    assert "370200" in page and "370600" in page and "未上报" in page
    # upload by hand: the dry run writes nothing, the import creates, a broken file is refused with its reason
    dry = client.post("/rollup/upload/", {"package": SimpleUploadedFile("p.zip", city_package), "dry_run": "on"}, **ZH)
    assert dry.status_code == 200 and "未写入任何数据" in dry.content.decode()
    assert ReceivedPackage.objects.count() == 0
    done = client.post("/rollup/upload/", {"package": SimpleUploadedFile("p.zip", city_package)}, **ZH)
    assert done.status_code == 200 and ReceivedRecord.objects.count() == 2
    assert ReceivedPackage.objects.get().by_hand
    bad = client.post("/rollup/upload/", {"package": SimpleUploadedFile("p.zip", b"PK\x03\x04 broken")}, **ZH)
    assert bad.status_code == 422 and "被拒收" in bad.content.decode()
    page = client.get("/rollup/cities/", **ZH).content.decode()
    assert "人工上传" in page and "已上报各市合计" in page
    record = ReceivedRecord.objects.order_by("pk").first()
    assert record.title in client.get(f"/rollup/review/{record.pk}/", **ZH).content.decode()
    assert client.get("/rollup/role-models/").status_code == 200


def test_a_link_token_is_shown_once_and_a_link_can_be_revoked(province, client):
    client.force_login(province["organiser"])
    created = client.post("/rollup/links/", {"unit": province["yt"].pk}, **ZH)
    body = created.content.decode()
    link = UpwardLink.objects.order_by("-pk").first()
    token = body.split('data-testid="token">')[1].split("<")[0]
    assert token.startswith("up_") and link.token_prefix == token[:10]
    assert token not in client.get("/rollup/links/").content.decode()
    client.post(f"/rollup/links/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_city_page_keeps_the_token_encrypted(client, organiser, qingdao, settings):
    from rollup.models import ProvinceLink

    settings.SCIDAY_LEVEL = "city"
    client.force_login(organiser)
    assert client.get("/rollup/province/").status_code == 200
    client.post("/rollup/province/", {"address": "https://province.example", "token": "up_secret-token"})
    link = ProvinceLink.objects.get()
    assert link.address == "https://province.example" and "up_secret-token" not in link.token_encrypted
    assert "up_secret-token" not in client.get("/rollup/province/").content.decode()
    # at the city, the receiving pages do not exist
    assert client.get("/rollup/cities/").status_code == 404


def test_a_decision_needs_a_reason_on_its_page(province, client, city_package, settings):
    import io

    from rollup import services

    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "province", "370000"
    services.package_import(fileobj=io.BytesIO(city_package), link=province["qd_link"])
    record = ReceivedRecord.objects.filter(kind="activity").first()
    client.force_login(province["organiser"])
    refused = client.post(f"/rollup/review/{record.pk}/select/", {"reason": ""}, **ZH)
    assert refused.status_code == 200 and "请填写理由" in refused.content.decode()
    record.refresh_from_db()
    assert record.decision == "pending"
    client.post(f"/rollup/review/{record.pk}/decline/", {"reason": "与往年重复"})
    record.refresh_from_db()
    assert record.decision == "declined" and record.decision_reason == "与往年重复"
    assert client.get(f"/rollup/review/{record.pk}/bogus/").status_code == 404
