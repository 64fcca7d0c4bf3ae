"""#11 item 12: PDFs that act when opened or are also HTML, .docx zip bombs, and bodies over the cap announced by
Content-Length are refused; nothing is stored."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from uploads import conf
from uploads.models import Asset, AssetUse
from uploads.services import asset_check_upload, asset_store

from . import samples

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
TAIL = b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf(catalog: bytes, *more: bytes) -> bytes:
    return HEADER + b"1 0 obj << /Type /Catalog /Pages 2 0 R " + catalog + b" >> endobj\n" + b"".join(more) + TAIL


def _object_stream(objects: bytes) -> bytes:
    packed = zlib.compress(objects)
    return (b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
            + packed + b"\nendstream\nendobj\n")


def _refusal(content: bytes, use=AssetUse.DOCUMENT, name="plan.pdf") -> ValidationError:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        asset_check_upload(uploaded_file=samples.upload(name, content), use=use)
    return error.value


HOSTILE_PDFS = {
    "OpenAction with JavaScript": _pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    "OpenAction by reference": _pdf(b"/OpenAction 3 0 R", b"3 0 obj << /S /GoTo /D [0 /Fit] >> endobj\n"),
    "a JavaScript name tree": _pdf(b"/Names << /JavaScript 4 0 R >>"),
    "a JS name spelt in hex": _pdf(b"/AA << /O << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"),
    "a launch action": _pdf(b"/AA << /O << /S /Launch /F (calc.exe) >> >>"),
    "JavaScript hidden in a compressed object stream":
        _pdf(b"", _object_stream(b"6 0 << /S /JavaScript /JS (app.alert(1)) >>")),
    "an object stream that cannot be looked into":
        _pdf(b"", b"5 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /LZWDecode /Length 3 >>\nstream\nabc\n"
                  b"endstream\nendobj\n"),
}


@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_a_pdf_that_acts_when_opened_is_refused(name):
    error = _refusal(HOSTILE_PDFS[name])
    assert error.code == "unsafe_pdf" and "脚本" in error.messages[0]


def test_a_pdf_that_is_also_html_is_refused():
    for content in (HEADER + b"<html><body><script>alert(document.cookie)</script></body></html>\n" + TAIL,
                    _pdf(b"", b"7 0 obj << /Length 40 >>\nstream\n<ScRiPt>alert(1)</script>\nendstream\nendobj\n")):
        error = _refusal(content)
        assert error.code == "unsafe_pdf" and "HTML" in error.messages[0]


def test_ordinary_pdfs_pass():
    assert asset_check_upload(uploaded_file=samples.upload("a.pdf", samples.pdf_bytes()), use=AssetUse.DOCUMENT)
    fit = _pdf(b"/OpenAction [3 0 R /Fit] /PageMode /UseOutlines")  # what LaTeX writes: only a page to open on
    assert asset_check_upload(uploaded_file=samples.upload("a.pdf", fit), use=AssetUse.DOCUMENT)
    # Compressed binary content (an image, a font) is not read as PDF syntax: "/JS" or "<svg" there is noise.
    noise = b"6 0 obj << /Filter /DCTDecode /Length 20 >>\nstream\n\xff\xd8/JS <svg x\xff\xd9\nendstream\nendobj\n"
    assert asset_check_upload(uploaded_file=samples.upload("a.pdf", _pdf(b"", noise)), use=AssetUse.DOCUMENT)


def test_a_refused_pdf_stores_nothing_through_the_service(stored_files, unit_a, coordinator_a):
    with pytest.raises(ValidationError):
        asset_store(uploaded_file=samples.upload("plan.pdf", HOSTILE_PDFS["OpenAction with JavaScript"]),
                    use=AssetUse.PLAN, owner=coordinator_a, unit=unit_a)
    assert not Asset.objects.exists() and stored_files() == []


def _docx_with(extra: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", samples.CONTENT_TYPES_DOCX)
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_zip_bomb_or_foreign_part_is_refused():
    bomb = _docx_with({"word/media/image1.png": b"\0" * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000
    error = _refusal(bomb, name="a.docx")
    assert error.code == "unsafe_container" and "压缩炸弹" in error.messages[0]
    error = _refusal(_docx_with({"payload/run.exe": b"MZ"}), name="a.docx")
    assert error.code == "unsafe_container" and "不应有的内容" in error.messages[0]
    assert asset_check_upload(uploaded_file=samples.upload("a.docx", _docx_with({})), use=AssetUse.DOCUMENT)


class _Unreadable(io.RawIOBase):
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body of an over-size request was read")

    readline = read


@pytest.mark.parametrize("path", ["/api/v1/activities/1/plans/epidemic", "/activities/manage/1/report/"])
def test_a_body_over_the_cap_is_refused_from_content_length_before_it_is_read(client, path):
    too_big = conf.max_request_bytes() + 1
    response = client.generic("POST", path, b"", CONTENT_TYPE="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(too_big), HTTP_ACCEPT_LANGUAGE="zh-hans",
                              **{"wsgi.input": _Unreadable()})
    assert response.status_code == 413 and response["Connection"] == "close"
    text = response.json()["detail"] if path.startswith("/api/") else response.content.decode()
    assert "上传的内容太大" in text


def test_the_default_cap_fits_the_largest_form(settings):
    assert conf.max_request_bytes() >= conf.USES[AssetUse.VIDEO].max_bytes + 9 * conf.USES[AssetUse.IMAGE].max_bytes
    settings.SCIDAY_UPLOAD_MAX_REQUEST_BYTES = 1024
    assert conf.max_request_bytes() == 1024
