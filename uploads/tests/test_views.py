"""GET /files/<uuid>/: who gets a file, and the headers it comes with."""

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import UserFactory, coordinator_of
from uploads.models import AssetUse
from uploads.services import asset_store

from . import samples

pytestmark = pytest.mark.django_db


def _get(client, asset, thumb=False):
    url = asset.get_thumbnail_url() if thumb else asset.get_absolute_url()
    response = client.get(url)
    # Consuming the streamed body closes the file (the test client closes the response after it).
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response, body


@pytest.fixture
def private_photo(unit_a, django_capture_on_commit_callbacks):
    """A photo of one of unit A's activities, uploaded by a coordinator of unit A, not public: it is
    served by the activity's rule (organisers and unit A's coordinators, see uploads.owners)."""
    from activities.models import ActivityPhoto
    from activities.tests.factories import ActivityFactory

    owner = coordinator_of(unit_a, username="owner-t")
    with django_capture_on_commit_callbacks(execute=True):
        asset = asset_store(uploaded_file=samples.upload("市南区活动照片.jpg", samples.image_bytes()),
                            use=AssetUse.IMAGE, owner=owner, unit=unit_a)
    ActivityPhoto.objects.create(activity=ActivityFactory(unit=unit_a), asset=asset)
    asset.refresh_from_db()
    return asset


def test_the_url_is_the_public_id(private_photo):
    assert private_photo.get_absolute_url() == f"/files/{private_photo.public_id}/"
    assert reverse("uploads:asset_thumbnail", args=[private_photo.public_id]).endswith("/thumb/")


def test_the_owner_gets_the_file_streamed_with_safe_headers(client, private_photo):
    client.force_login(private_photo.owner)

    response, body = _get(client, private_photo)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    # RFC 5987: the Chinese name percent-encoded in filename*, shown inline because it is an image.
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E5%B8%82%E5%8D%97%E5%8C%BA%E6%B4%BB%E5%8A%A8%E7%85%A7%E7%89%87.jpg"
    )
    assert response["Cache-Control"].startswith("private")
    with private_photo.file.open("rb") as handle:
        assert body == handle.read()


@pytest.mark.parametrize("who", ["organiser", "coordinator_a", "admin_user"])
def test_organisers_and_the_units_coordinators_get_a_private_file(request, client, private_photo, who):
    client.force_login(request.getfixturevalue(who))

    response, body = _get(client, private_photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with private_photo.file.open("rb") as handle:
        assert body == handle.read()  # the stored file itself, byte for byte
    thumbnail, thumb_body = _get(client, private_photo, thumb=True)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"].startswith("image/")
    assert Image.open(BytesIO(thumb_body)).size[0] <= Image.open(BytesIO(body)).size[0]  # a real image, no larger


@pytest.mark.parametrize("who", ["anonymous", "coordinator_b", "stranger", "bureau-inactive"])
def test_anyone_else_gets_404_for_a_private_file(request, client, private_photo, offices, who):
    if who == "coordinator_b":
        client.force_login(request.getfixturevalue("coordinator_b"))
    elif who == "stranger":
        client.force_login(UserFactory(username="stranger-t"))
    elif who == "bureau-inactive":
        from accounts.tests.factories import staff_of

        user = staff_of(offices["qstb-talent"], username="gone-t")
        user.is_active = False
        user.save(update_fields=["is_active"])
        client.force_login(user)

    assert _get(client, private_photo)[0].status_code == 404
    assert _get(client, private_photo, thumb=True)[0].status_code == 404


def test_a_public_file_is_served_to_anyone(client):
    asset = asset_store(uploaded_file=samples.upload("海报.png", samples.image_bytes("PNG")), use=AssetUse.IMAGE,
                        owner=None, is_public=True)

    response, body = _get(client, asset)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")
    assert body.startswith(b"\x89PNG")


def test_a_word_document_is_downloaded_not_shown(client):
    asset = asset_store(uploaded_file=samples.upload("工作总结.docx", samples.docx_bytes()),
                        use=AssetUse.DOCUMENT, owner=None, is_public=True)

    response, _ = _get(client, asset)

    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["Content-Disposition"].endswith(".docx")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_download_name_takes_the_extension_of_the_real_type(client):
    asset = asset_store(uploaded_file=samples.upload('report".exe', samples.pdf_bytes()),
                        use=AssetUse.DOCUMENT, owner=None, is_public=True)

    response, _ = _get(client, asset)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report\\".pdf"'


def test_an_unknown_id_and_a_missing_thumbnail_are_404(client):
    asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                        owner=None, is_public=True)

    assert client.get("/files/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert _get(client, asset, thumb=True)[0].status_code == 404


def test_only_get_and_head_are_allowed(client):
    asset = asset_store(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT,
                        owner=None, is_public=True)

    assert client.post(asset.get_absolute_url()).status_code == 405


def test_object_storage_redirects_to_its_absolute_url(client, settings, private_photo):
    # With S3 the storage gives a short-lived signed https URL; here a file system storage with an
    # absolute MEDIA_URL stands in for it.
    settings.MEDIA_URL = "https://files.example.com/media/"
    client.force_login(private_photo.owner)

    response = client.get(private_photo.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"https://files.example.com/media/{private_photo.file.name}"
    assert response["Cache-Control"] == "private, no-store"


def test_a_private_file_is_never_redirected_for_a_stranger(client, settings, private_photo):
    settings.MEDIA_URL = "https://files.example.com/media/"

    assert client.get(private_photo.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(("header", "status", "content_range", "part"), [
    ("bytes=0-99", 206, "bytes 0-99/{size}", slice(0, 100)),
    ("bytes=100-", 206, "bytes 100-{last}/{size}", slice(100, None)),
    ("bytes=-50", 206, "bytes {tail}-{last}/{size}", slice(-50, None)),
    ("bytes=999999-", 416, "bytes */{size}", slice(0, 0)),
    ("bytes=0-1,5-6", 200, None, slice(None)),
])
def test_a_video_is_served_in_ranges(client, header, status, content_range, part):
    video = samples.mp4_bytes(payload=5000)
    asset = asset_store(uploaded_file=samples.upload("讲座.mp4", video), use=AssetUse.VIDEO, owner=None,
                        is_public=True)
    size = len(video)

    response = client.get(asset.get_absolute_url(), headers={"Range": header})
    body = b"".join(response.streaming_content) if response.streaming else b""

    assert response.status_code == status
    if status == 416:
        assert response["Content-Range"] == content_range.format(size=size)
        return
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    assert body == video[part]
    assert int(response["Content-Length"]) == len(body)
    if content_range:
        assert response["Content-Range"] == content_range.format(size=size, last=size - 1, tail=size - 50)
