import datetime
import io
import json
import zipfile

import pytest


@pytest.fixture
def recommended(qingdao, unit_a, coordinator_a):
    """Two of unit_a's activities recommended upward (one with a photo and coverage) and one only held."""
    from activities.models import ActivityPhoto, MediaCoverage, Mode, State
    from activities.tests.factories import ActivityFactory, png_file
    from uploads.models import AssetUse
    from uploads.services import asset_store

    first = ActivityFactory(unit=unit_a, state=State.RECOMMENDED_UP, mode=Mode.OFFLINE, actual_participants=80,
                            title="青年科技工作者座谈会", description="<p>座谈会。</p>", outcome="成果：三项建议。")
    second = ActivityFactory(unit=unit_a, state=State.RECOMMENDED_UP, title="科普进社区")
    ActivityFactory(unit=unit_a, state=State.HELD)
    photo = asset_store(uploaded_file=png_file(), use=AssetUse.IMAGE, owner=coordinator_a, unit=unit_a)
    ActivityPhoto.objects.create(activity=first, asset=photo)
    MediaCoverage.objects.create(activity=first, outlet="青岛日报", title="科技工作者日", date=datetime.date(2022, 5, 31))
    return {"first": first, "second": second}


@pytest.fixture
def city_package(settings, recommended, qingdao):
    """The city's package (level city, region 370200) as bytes."""
    from rollup.package import package_bytes

    settings.SCIDAY_LEVEL = "city"
    settings.SCIDAY_REGION_CODE = "370200"
    settings.SCIDAY_CLOCK = "2022-05-31T10:00+08:00"
    return package_bytes(campaign=qingdao)


@pytest.fixture
def province(settings, qingdao, organiser):
    """This database as a province: the campaign's lead office runs it; 青岛市科协 (370200) and 烟台市科协 (370600)
    are its sender units, each with an upward link."""
    from organisations.models import Unit, UnitType
    from rollup import services

    settings.SCIDAY_LEVEL = "province"
    settings.SCIDAY_REGION_CODE = "370000"
    qd = Unit.objects.create(name="青岛市科学技术协会", unit_type=UnitType.CITY_ASSOCIATION, region_code="370200")
    yt = Unit.objects.create(name="烟台市科学技术协会", unit_type=UnitType.CITY_ASSOCIATION, region_code="370600")
    qd_link, qd_token = services.link_create(actor=organiser, campaign=qingdao, unit=qd)
    yt_link, yt_token = services.link_create(actor=organiser, campaign=qingdao, unit=yt)
    return {"qd": qd, "yt": yt, "qd_link": qd_link, "qd_token": qd_token, "yt_link": yt_link, "yt_token": yt_token,
            "campaign": qingdao, "organiser": organiser}


def rewrite(package: bytes, *, manifest=None, replace: dict | None = None, add: dict | None = None) -> bytes:
    """The package with its manifest changed by ``manifest(m)`` and members replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json" and manifest is not None:
                loaded = json.loads(data)
                manifest(loaded)
                data = json.dumps(loaded, ensure_ascii=False).encode()
            if replace and info.filename in replace:
                data = replace[info.filename]
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()
