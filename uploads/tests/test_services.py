"""asset_store, asset_delete and the thumbnail task: what is accepted, what is refused, what is left."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from PIL import ExifTags, Image

from accounts.tests.factories import UserFactory
from audit.models import AuditEntry
from uploads.filetypes import DOCX, JPEG, MP4, PDF, PNG, WEBP
from uploads.models import Asset, AssetUse
from uploads.services import asset_delete, asset_store, assets_store_many, clean_original_name
from uploads.tasks import asset_thumbnail_task

from . import samples

pytestmark = pytest.mark.django_db

ACCEPTED = [
    (AssetUse.IMAGE, "a.jpg", lambda: samples.image_bytes("JPEG"), JPEG),
    (AssetUse.IMAGE, "a.png", lambda: samples.image_bytes("PNG"), PNG),
    (AssetUse.IMAGE, "a.webp", lambda: samples.image_bytes("WEBP"), WEBP),
    (AssetUse.VIDEO, "a.mp4", samples.mp4_bytes, MP4),
    (AssetUse.VIDEO, "a.mp4", lambda: samples.mp4_bytes(brand=b"mp42"), MP4),
    (AssetUse.DOCUMENT, "a.pdf", samples.pdf_bytes, PDF),
    (AssetUse.DOCUMENT, "a.docx", samples.docx_bytes, DOCX),
    (AssetUse.PLAN, "a.pdf", samples.pdf_bytes, PDF),
    (AssetUse.PLAN, "a.docx", samples.docx_bytes, DOCX),
    (AssetUse.PLAN, "a.jpg", lambda: samples.image_bytes("JPEG"), JPEG),
    (AssetUse.PLAN, "a.png", lambda: samples.image_bytes("PNG"), PNG),
    (AssetUse.PLAN, "a.webp", lambda: samples.image_bytes("WEBP"), WEBP),
]


@pytest.mark.parametrize(("use", "name", "make", "content_type"), ACCEPTED)
def test_every_accepted_type_of_every_use_is_stored(use, name, make, content_type, stored_files):
    owner = UserFactory()

    asset = asset_store(uploaded_file=samples.upload(name, make()), use=use, owner=owner)

    assert asset.content_type == content_type
    assert asset.use == use
    assert asset.owner == owner
    assert [p.name for p in stored_files()] == [asset.file.name.rsplit("/", 1)[-1]]
    assert asset.size == stored_files()[0].stat().st_size
    assert len(asset.sha256) == 64
    entry = AuditEntry.objects.get(action="uploads.asset.stored")
    assert entry.object_id == str(asset.pk)


def test_the_stored_name_is_random_and_the_extension_comes_from_the_content(stored_files):
    # A JPEG named .png is stored as .jpg; the original name is metadata only.
    first = asset_store(uploaded_file=samples.upload("../../etc/活动照片.png", samples.image_bytes("JPEG")),
                        use=AssetUse.IMAGE, owner=None)
    second = asset_store(uploaded_file=samples.upload("活动照片.png", samples.image_bytes("JPEG")),
                         use=AssetUse.IMAGE, owner=None)

    pattern = r"uploads/image/\d{4}/\d{2}/[0-9a-f]{32}\.jpg"
    assert re.fullmatch(pattern, first.file.name)
    assert re.fullmatch(pattern, second.file.name)
    assert first.file.name != second.file.name
    assert "活动照片" not in first.file.name
    assert first.original_name == "活动照片.png"


def test_the_original_name_is_sanitised():
    assert clean_original_name("C:\\Users\\张三\\报告.pdf") == "报告.pdf"
    assert clean_original_name("photo\u202egpj.exe") == "photogpj.exe"
    assert clean_original_name("a\x00b\n.pdf") == "ab.pdf"
    assert len(clean_original_name("长" * 300 + ".pdf")) == 200
    assert clean_original_name("长" * 300 + ".pdf").endswith(".pdf")


REFUSED = [
    ("an ELF executable named as a photo", AssetUse.IMAGE, "photo.jpg", samples.ELF, "wrong_type"),
    ("a Windows executable named as a photo", AssetUse.IMAGE, "photo.jpg", samples.MZ, "wrong_type"),
    ("a Windows executable named as a plan", AssetUse.PLAN, "方案.docx", samples.MZ, "wrong_type"),
    ("an SVG posing as a PNG", AssetUse.IMAGE, "photo.png", samples.SVG, "wrong_type"),
    ("an HTML page posing as a PNG", AssetUse.IMAGE, "photo.png", samples.HTML, "wrong_type"),
    ("an HTML page posing as a PDF", AssetUse.DOCUMENT, "a.pdf", samples.HTML, "wrong_type"),
    ("a PDF offered as a photo", AssetUse.IMAGE, "photo.jpg", samples.pdf_bytes(), "wrong_type"),
    ("a photo offered as a video", AssetUse.VIDEO, "a.mp4", samples.image_bytes("JPEG"), "wrong_type"),
    ("a QuickTime movie offered as MP4", AssetUse.VIDEO, "a.mp4", samples.mp4_bytes(brand=b"qt  ")
     .replace(b"isomiso2avc1mp41", b"qt  qt  qt  qt  "), "wrong_type"),
    ("a plain zip named .docx", AssetUse.DOCUMENT, "a.docx", samples.zip_bytes({"a.txt": "x"}), "wrong_type"),
    ("a macro document named .docx", AssetUse.DOCUMENT, "a.docx", samples.docm_bytes(), "wrong_type"),
    ("a DOCX offered as a photo", AssetUse.IMAGE, "a.jpg", samples.docx_bytes(), "wrong_type"),
    ("an empty file", AssetUse.IMAGE, "a.jpg", b"", "empty"),
    ("a truncated JPEG", AssetUse.IMAGE, "a.jpg",
     samples.image_bytes("JPEG", (400, 300), noise=True)[:3000], "corrupt"),
    ("a truncated PNG", AssetUse.IMAGE, "a.png",
     samples.image_bytes("PNG", (400, 300), noise=True)[:3000], "corrupt"),
    ("a JPEG header with garbage", AssetUse.IMAGE, "a.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 100, "corrupt"),
]


@pytest.mark.parametrize(("case", "use", "name", "content", "code"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_file_leaves_nothing_behind(case, use, name, content, code, stored_files):
    with pytest.raises(ValidationError) as refused:
        asset_store(uploaded_file=samples.upload(name, content, "image/jpeg"), use=use, owner=UserFactory())

    assert refused.value.code == code
    assert stored_files() == []
    assert Asset.objects.count() == 0
    assert not AuditEntry.objects.filter(action="uploads.asset.stored").exists()


def test_the_refusal_names_the_accepted_types_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        asset_store(uploaded_file=samples.upload("photo.png", samples.SVG), use=AssetUse.IMAGE, owner=None)

    assert refused.value.messages == ["文件类型不符合要求：仅支持 JPEG、PNG、WebP 图片。"]


def test_an_over_size_file_is_refused_before_anything_is_written(settings, stored_files):
    settings.SCIDAY_UPLOAD_MAX_DOCUMENT_BYTES = 100

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes() + b" " * 100),
                    use=AssetUse.DOCUMENT, owner=None)

    assert refused.value.code == "too_large"
    assert "文件过大" in refused.value.messages[0]
    assert stored_files() == []
    assert Asset.objects.count() == 0


def test_a_file_that_grows_past_the_cap_while_streaming_is_deleted(settings, stored_files):
    # The declared size passes, the content is longer: the stream stops at the cap and what was
    # written is deleted.
    settings.SCIDAY_UPLOAD_MAX_VIDEO_BYTES = 10 * 1024
    settings.SCIDAY_UPLOAD_CHUNK_BYTES = 1024
    uploaded = samples.upload("a.mp4", samples.mp4_bytes(payload=50 * 1024))
    uploaded.size = 5 * 1024

    with pytest.raises(ValidationError) as refused:
        asset_store(uploaded_file=uploaded, use=AssetUse.VIDEO, owner=None)

    assert refused.value.code == "too_large"
    assert stored_files() == []
    assert Asset.objects.count() == 0


def test_an_image_with_too_many_pixels_is_refused_before_decoding(settings, stored_files):
    settings.SCIDAY_UPLOAD_MAX_IMAGE_PIXELS = 100 * 100

    with pytest.raises(ValidationError) as refused:
        asset_store(uploaded_file=samples.upload("a.png", samples.image_bytes("PNG", (200, 200))),
                    use=AssetUse.IMAGE, owner=None)

    assert refused.value.code == "too_many_pixels"
    assert stored_files() == []
    assert Asset.objects.count() == 0


def test_an_unknown_use_fails_loudly():
    with pytest.raises(ValueError, match="Unknown upload use"):
        asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use="anything", owner=None)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_and_all_exif_are_removed_and_the_orientation_applied(fmt):
    original = samples.image_bytes(fmt, (64, 48), gps=True, orientation=6)
    with Image.open(samples.upload("a", original)) as image:  # the sample really carries GPS
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    asset = asset_store(uploaded_file=samples.upload("a", original), use=AssetUse.IMAGE, owner=None)

    with asset.file.open("rb") as handle, Image.open(handle) as stored:
        exif = stored.getexif()
        assert ExifTags.IFD.GPSInfo not in exif
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert ExifTags.Base.Make not in exif
        assert "exif" not in stored.info and "xmp" not in stored.info
        assert stored.size == (48, 64)  # orientation 6 turned into real pixels
    with asset.file.open("rb") as handle:
        raw = handle.read()
    assert b"sciday-test-phone" not in raw


def test_the_thumbnail_is_made_after_commit(django_capture_on_commit_callbacks, settings):
    settings.SCIDAY_UPLOAD_THUMBNAIL_PIXELS = 32
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asset = asset_store(uploaded_file=samples.upload("a.png", samples.image_bytes("PNG", (200, 100), mode="RGBA")),
                            use=AssetUse.IMAGE, owner=None)
        assert not Asset.objects.get(pk=asset.pk).thumbnail  # nothing before the commit

    assert len(callbacks) == 1
    asset.refresh_from_db()
    assert re.fullmatch(r"uploads/thumbs/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", asset.thumbnail.name)
    with asset.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (32, 16)


def test_the_thumbnail_task_ignores_documents_and_deleted_assets():
    document = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                           owner=None)

    assert asset_thumbnail_task.call(document.pk) == ""
    assert asset_thumbnail_task.call(987654) == ""


def test_no_thumbnail_is_queued_for_a_document(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT, owner=None)
    assert callbacks == []


def test_the_owner_deletes_a_file_and_its_thumbnail(django_capture_on_commit_callbacks, stored_files):
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        asset = asset_store(uploaded_file=samples.upload("a.jpg", samples.image_bytes()), use=AssetUse.IMAGE,
                            owner=owner)
    assert len(stored_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        asset_delete(actor=owner, asset=asset)

    assert stored_files() == []
    assert Asset.objects.count() == 0
    assert AuditEntry.objects.filter(action="uploads.asset.deleted", object_id=str(asset.pk)).exists()


def test_an_organiser_and_the_units_coordinator_may_delete(organiser, coordinator_a, unit_a,
                                                           django_capture_on_commit_callbacks):
    for actor in (organiser, coordinator_a):
        asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                            owner=UserFactory(), unit=unit_a)
        with django_capture_on_commit_callbacks(execute=True):
            asset_delete(actor=actor, asset=asset)
        assert not Asset.objects.filter(pk=asset.pk).exists()


def test_someone_else_may_not_delete_and_nothing_changes(coordinator_b, unit_a, stored_files):
    asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                        owner=UserFactory(), unit=unit_a)

    with pytest.raises(PermissionDenied):
        asset_delete(actor=coordinator_b, asset=asset)

    assert Asset.objects.filter(pk=asset.pk).exists()
    assert len(stored_files()) == 1
    assert AuditEntry.objects.filter(action="permissions.denied", actor=coordinator_b).exists()
    assert not AuditEntry.objects.filter(action="uploads.asset.deleted").exists()


def test_storing_several_files_is_all_or_nothing(django_capture_on_commit_callbacks, stored_files):
    files = [samples.upload("一.jpg", samples.image_bytes()), samples.upload("二.jpg", samples.image_bytes()),
             samples.upload("病毒.jpg", samples.MZ)]

    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True), \
            pytest.raises(ValidationError) as refused:
        assets_store_many(files=files, use=AssetUse.IMAGE, owner=UserFactory())

    assert refused.value.messages[0].startswith("病毒.jpg：")
    assert stored_files() == []
    assert Asset.objects.count() == 0
