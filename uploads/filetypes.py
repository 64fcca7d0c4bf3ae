"""What a file really is, read from its first bytes (and, for DOCX, its zip directory), never its name."""

import zipfile

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
MP4 = "video/mp4"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The extension a stored file gets comes from its detected type, never from the uploaded name.
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", MP4: "mp4", PDF: "pdf", DOCX: "docx"}
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
# Shown in the browser; everything else (DOCX) is downloaded.
INLINE_TYPES = IMAGE_TYPES | {MP4, PDF}

# How many leading bytes detection looks at: enough for an ftyp box with its compatible brands.
HEAD_BYTES = 4096

# ISO-BMFF brands of MP4 files as cameras, phones and editors write them. QuickTime ("qt  ", the
# iPhone's .mov) is a different format and is not accepted as MP4.
MP4_BRANDS = frozenset({
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VP",
    b"MSNV", b"dash", b"mmp4", b"f4v ",
})

_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024


def _is_mp4(head: bytes) -> bool:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(head[0:4], "big")
    brands = {head[8:12]}
    end = min(max(box_size, 16), len(head))
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    return bool(brands & MP4_BRANDS)


def sniff(head: bytes) -> str | None:
    """The content type that the leading bytes declare, or None for anything sciday does not accept.

    A zip archive is reported as DOCX here; ``is_docx`` must then confirm it from the archive itself.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return DOCX
    if _is_mp4(head):
        return MP4
    return None


def is_docx(fileobj) -> bool:
    """True if ``fileobj`` is a Word document: a zip with the OOXML parts of one, and no macros.

    zipfile reads the central directory by seeking, so a large archive is not read into memory.
    """
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False  # a macro-enabled document (.docm) renamed to .docx
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return False
            return _DOCX_MAIN in archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError, NotImplementedError):
        return False
    finally:
        fileobj.seek(0)
