"""The recursion: a province's own package (level province) carries the activities it selected from its cities
and the cities' figures, passes the same schema, and is received by the nation with the same importer."""

import hashlib
import io
import json
import zipfile

import pytest

from rollup import services
from rollup.models import ReceivedRecord
from rollup.package import package_bytes, schema_errors

pytestmark = pytest.mark.django_db


def test_the_province_recommends_upward_with_its_own_package(city_package, province, recommended, qingdao, settings):
    from organisations.models import Unit, UnitType

    services.package_import(fileobj=io.BytesIO(city_package), link=province["qd_link"])
    city_id = f"370200/qingdao-2022/activity/{recommended['first'].pk}"
    services.record_decide(actor=province["organiser"], record=ReceivedRecord.objects.get(stable_id=city_id),
                           action="select", reason="示范性强")

    # the province's package: level province, region 370000
    settings.SCIDAY_CLOCK = "2022-06-20T10:00+08:00"
    package = package_bytes(campaign=qingdao)
    archive = zipfile.ZipFile(io.BytesIO(package))
    manifest = json.loads(archive.read("manifest.json"))
    assert schema_errors(manifest) == []
    assert manifest["sender"]["level"] == "province" and manifest["sender"]["region_code"] == "370000"
    selected = [a for a in manifest["activities"] if a["id"] == city_id]
    assert len(selected) == 1 and selected[0]["selected_by"] == "370200/qingdao-2022"
    [photo] = selected[0]["photos"]
    assert hashlib.sha256(archive.read(photo["file"])).hexdigest() == photo["sha256"]
    assert [r["region_code"] for r in manifest["received"]] == ["370200"]
    assert manifest["received"][0]["totals"]["recommended_up"] == 2

    # the nation receives it with the same importer
    settings.SCIDAY_LEVEL, settings.SCIDAY_REGION_CODE = "nation", "100000"
    shandong = Unit.objects.create(name="山东省科学技术协会", unit_type=UnitType.PROVINCE_ASSOCIATION,
                                   region_code="370000")
    link, _token = services.link_create(actor=province["organiser"], campaign=qingdao, unit=shandong)
    before = ReceivedRecord.objects.count()
    summary = services.package_import(fileobj=io.BytesIO(package), link=link)
    # the city's activity is already held here (one database in this test) under Qingdao's package: refused as
    # another sender's record, the rest imported; the province's own activities are new
    assert [r["id"] for r in summary["records"]["refused"]] == [city_id]
    own = [i for i in summary["records"]["new"] if i.startswith("370000/qingdao-2022/activity/")]
    assert len(own) == 2
    assert ReceivedRecord.objects.count() == before + summary["counts"]["new"]
    # a city package is refused at the nation: the level must be the one below
    with pytest.raises(services.PackageRefused) as refused:
        services.package_import(fileobj=io.BytesIO(city_package), link=link)
    assert refused.value.code == "level"
