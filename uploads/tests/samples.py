"""Small files of every kind the tests upload, built in memory."""

import io
import os
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import ExifTags, Image

# 青岛市南区: where a phone would say the photo was taken.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (36.0, 4.0, 1.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (120.0, 23.0, 2.5),
}


def image_bytes(fmt="JPEG", size=(64, 48), *, gps=False, orientation=None, noise=False, mode="RGB") -> bytes:
    image = Image.effect_noise(size, 64).convert(mode) if noise else Image.new(mode, size, "teal")
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.Make] = "sciday-test-phone"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    buffer = io.BytesIO()
    options = {"exif": exif} if (gps or orientation) else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def mp4_bytes(brand=b"isom", payload=1024) -> bytes:
    ftyp = b"ftyp" + brand + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41"
    box = (len(ftyp) + 4).to_bytes(4, "big") + ftyp
    mdat = (payload + 8).to_bytes(4, "big") + b"mdat" + b"\x00" * payload
    return box + mdat


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


CONTENT_TYPES_DOCX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES_DOCX, "word/document.xml": "<w:document/>"})


def docm_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES_DOCX, "word/document.xml": "<w:document/>",
                      "word/vbaProject.bin": "macro"})


ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    """An in-memory upload, as Django makes for small files; the browser's content type is ignored."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def temporary_upload(name: str, *, size: int, head: bytes, content_type="video/mp4", chunk=1024 * 1024):
    """An upload on disk, as Django's TemporaryFileUploadHandler makes for large files: ``head`` then zeros."""
    uploaded = TemporaryUploadedFile(name, content_type, size, None)
    uploaded.write(head)
    zeros = b"\x00" * chunk
    remaining = size - len(head)
    while remaining > 0:
        uploaded.write(zeros[: min(chunk, remaining)])
        remaining -= chunk
    uploaded.flush()
    uploaded.seek(0)
    assert os.path.getsize(uploaded.temporary_file_path()) == size
    return uploaded
