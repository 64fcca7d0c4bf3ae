import io
import json
import zipfile

import pytest

from rollup import services
from rollup.models import Decision, ReceivedFile, ReceivedPackage, ReceivedRecord, UpwardLink

from .conftest import rewrite

pytestmark = pytest.mark.django_db
MODELS = (ReceivedPackage, ReceivedRecord, ReceivedFile)


def counts():
    return tuple(m.objects.count() for m in MODELS)


def _import(package: bytes, link, **kwargs):
    return services.package_import(fileobj=io.BytesIO(package), link=link, **kwargs)


def test_a_dry_run_reports_the_records_and_writes_nothing(city_package, province, recommended):
    summary = _import(city_package, province["qd_link"], dry_run=True)
    assert summary["dry_run"] and summary["package"] == "new"
    assert summary["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "removed": 0, "refused": 0}
    assert f"370200/qingdao-2022/activity/{recommended['first'].pk}" in summary["records"]["new"]
    assert counts() == (0, 0, 0)


def test_the_import_creates_and_the_same_package_again_changes_nothing(city_package, province, recommended):
    first = _import(city_package, province["qd_link"])
    assert first["counts"]["new"] == 2
    before = counts()
    assert before[0] == 1 and before[1] == 2
    assert before[2] == 3  # the report, the workbook and one photo
    record = ReceivedRecord.objects.get(stable_id=f"370200/qingdao-2022/activity/{recommended['first'].pk}")
    stamp = (record.updated_at, ReceivedPackage.objects.get().received_at)
    again = _import(city_package, province["qd_link"])
    assert again["package"] == "unchanged" and again["counts"]["unchanged"] == 2 and again["counts"]["new"] == 0
    assert counts() == before
    record.refresh_from_db()
    assert (record.updated_at, ReceivedPackage.objects.get().received_at) == stamp
    province["qd_link"].refresh_from_db()
    assert province["qd_link"].sender_campaign == "qingdao-2022"


def test_a_newer_package_replaces_the_changed_record_only(city_package, province, recommended, settings, qingdao):
    from rollup.package import package_bytes

    _import(city_package, province["qd_link"])
    ReceivedRecord.objects.filter(stable_id__endswith=f"/{recommended['second'].pk}").update(
        decision=Decision.SELECTED, decision_reason="示范性强")
    recommended["first"].title = "青年科技工作者座谈会（修订）"
    recommended["first"].save(update_fields=["title"])
    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "city", "370200"
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    newer = package_bytes(campaign=qingdao)
    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "province", "370000"
    summary = _import(newer, province["qd_link"])
    assert summary["package"] == "updated"
    assert summary["counts"] == {"new": 0, "updated": 1, "unchanged": 1, "removed": 0, "refused": 0}
    assert counts()[:2] == (1, 2)
    assert ReceivedRecord.objects.get(stable_id__endswith=f"/{recommended['first'].pk}").title.endswith("（修订）")
    kept = ReceivedRecord.objects.get(stable_id__endswith=f"/{recommended['second'].pk}")
    assert kept.decision == Decision.SELECTED  # the province's decision survives a newer package
    # and the older package can no longer replace it
    with pytest.raises(services.PackageRefused) as refused:
        _import(city_package, province["qd_link"])
    assert refused.value.code == "older"


def _refused(package, link, code):
    before = counts()
    with pytest.raises(services.PackageRefused) as refused:
        _import(package, link)
    assert refused.value.code == code, refused.value.message
    assert counts() == before
    return refused.value


def test_the_token_of_another_city_is_refused(city_package, province):
    refusal = _refused(city_package, province["yt_link"], "wrong_sender")
    assert "烟台市科学技术协会" in refusal.message


def test_a_package_of_another_campaign_is_refused(city_package, province):
    def other_year(m):
        m["campaign"]["year"] = 2027

    _refused(rewrite(city_package, manifest=other_year), province["qd_link"], "wrong_campaign")
    link = province["qd_link"]
    link.sender_campaign = "qingdao-2027"
    link.save()
    _refused(city_package, link, "wrong_campaign")


def test_a_tampered_file_is_refused_by_its_checksum(city_package, province):
    archive = zipfile.ZipFile(io.BytesIO(city_package))
    photo = next(n for n in archive.namelist() if "/photo-" in n)
    data = bytearray(archive.read(photo))
    data[-20] ^= 0xFF
    _refused(rewrite(city_package, replace={photo: bytes(data)}), province["qd_link"], "checksum")


def test_a_schema_violation_is_refused(city_package, province):
    def break_it(m):
        m["activities"][0]["mode"] = "teleport"
        m["activities"][0]["description"]["text"] = "<script>x</script>"

    refusal = _refused(rewrite(city_package, manifest=break_it), province["qd_link"], "schema")
    assert len(refusal.errors) >= 2


def test_a_file_failing_the_checks_is_refused(city_package, province):
    _refused(rewrite(city_package, add={"activities/1/extra.exe": b"MZ"}), province["qd_link"], "file_check")
    _refused(rewrite(city_package, add={"evil/../../x": b"x"}), province["qd_link"], "file_check")
    _refused(b"not a zip at all", province["qd_link"], "file_check")
    archive = zipfile.ZipFile(io.BytesIO(city_package))
    photo = next(n for n in archive.namelist() if "/photo-" in n)
    fake = b"MZ" + b"\0" * 100  # not a PNG: the manifest's checksum fits, the content does not

    def fit(m):
        import hashlib

        for activity in m["activities"]:
            for p in activity["photos"]:
                if p["file"] == photo:
                    p["sha256"], p["bytes"] = hashlib.sha256(fake).hexdigest(), len(fake)

    _refused(rewrite(city_package, manifest=fit, replace={photo: fake}), province["qd_link"], "file_check")


def test_a_package_from_a_city_is_refused_at_a_city(city_package, province, settings):
    settings.SCIDAY_LEVEL = "city"
    _refused(city_package, province["qd_link"], "level")


def test_a_revoked_or_unknown_token_is_refused_by_the_api(city_package, province, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.link_revoke(actor=province["organiser"], link=province["qd_link"])
    for token in (province["qd_token"], "up_unknown", "sd_not-a-link"):
        response = client.post("/api/v1/rollup/packages",
                               {"package": SimpleUploadedFile("p.zip", city_package, "application/zip")},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
    assert counts() == (0, 0, 0)
    assert UpwardLink.objects.get(pk=province["qd_link"].pk).revoked_at is not None


def test_the_api_dry_run_then_import(city_package, province, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = {"Authorization": f"Bearer {province['qd_token']}"}

    def post(query=""):
        return client.post(f"/api/v1/rollup/packages{query}",
                           {"package": SimpleUploadedFile("p.zip", city_package, "application/zip")}, headers=headers)

    dry = post("?dry_run=1")
    assert dry.status_code == 200 and dry.json()["counts"]["new"] == 2 and counts() == (0, 0, 0)
    created = post()
    assert created.status_code == 201 and counts()[:2] == (1, 2)
    again = post()
    assert again.status_code == 200 and again.json()["counts"]["unchanged"] == 2
    wrong = client.post("/api/v1/rollup/packages",
                        {"package": SimpleUploadedFile("p.zip", city_package, "application/zip")},
                        headers={"Authorization": f"Bearer {province['yt_token']}"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_sender"
    assert counts()[:2] == (1, 2)


def test_a_package_sent_by_resumable_upload_is_imported_by_its_id(city_package, province, client):
    import hashlib

    from transfer.models import Upload
    from transfer.services import upload_append, upload_create

    headers = {"Authorization": f"Bearer {province['qd_token']}"}

    def upload_for(link):
        upload = upload_create(owner=f"rollup-link:{link.pk}", filename="p.zip", length=len(city_package),
                               sha256=hashlib.sha256(city_package).hexdigest())
        upload_append(upload=upload, offset=0, stream=io.BytesIO(city_package), content_length=len(city_package))
        upload.refresh_from_db()
        assert upload.state == "complete"
        return upload

    def post(upload_id, query=""):
        return client.post(f"/api/v1/rollup/packages{query}", json.dumps({"upload": str(upload_id)}),
                           content_type="application/json", headers=headers)

    # another link's upload does not exist for this token; an unknown id neither
    foreign = upload_for(province["yt_link"])
    assert post(foreign.pk).status_code == 400
    assert post("0f8fad5b-d9cb-469f-a165-70867728950e").status_code == 400
    assert counts() == (0, 0, 0)
    upload = upload_for(province["qd_link"])
    dry = post(upload.pk, "?dry_run=1")
    assert dry.status_code == 200 and dry.json()["counts"]["new"] == 2 and counts() == (0, 0, 0)
    created = post(upload.pk)
    assert created.status_code == 201 and counts()[:2] == (1, 2)
    assert Upload.objects.get(pk=upload.pk).state == "consumed"
    assert post(upload.pk).status_code == 400  # used once
