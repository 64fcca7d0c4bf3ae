"""Office files (.xlsx, .docx) are zip containers: check one before anything parses it, so that a small upload
cannot make a worker decompress hundreds of megabytes or walk twenty million empty rows.

``check_container`` reads only the zip's central directory (the sizes each member declares; zipfile never
hands out more than a member declares, and a member that lies fails its CRC): it refuses too many members, a
member or a whole larger than the caps once uncompressed, a compression ratio above ``MAX_RATIO`` for any
member big enough to matter, an oversized shared-strings table, parts outside the expected ones, and macros.

``check_sheet_rows`` then reads each worksheet's XML as a stream (bounded by the checks above) and refuses a
declared ``<dimension>`` or any ``<row r=…>`` / ``<c r=…>`` beyond the import's row cap, without building a
single row: openpyxl would otherwise fill every missing row up to ``<row r="20000000"/>`` one by one.

Every refusal is a ``ContainerRejected`` whose message is for the user (Chinese through gettext).
"""

import re
import zipfile

from django.utils.translation import gettext as _

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # all parts, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for parts of at least RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024

# The parts an Office Open XML package may hold (top-level folders and files).
XLSX_PARTS = ("[Content_Types].xml", "_rels/", "docProps/", "xl/", "customXml/")
DOCX_PARTS = ("[Content_Types].xml", "_rels/", "docProps/", "word/", "customXml/")


class ContainerRejected(Exception):
    """The file as a whole is refused; ``message`` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _too_big() -> ContainerRejected:
    return ContainerRejected(_("The file unpacks to far more data than an ordinary document (it may be a "
                               "“zip bomb”); it was not opened. Save it again in Excel or Word and upload it."))


def check_container(fileobj, *, parts: tuple[str, ...], max_member_bytes: int = MAX_MEMBER_BYTES,
                    max_total_bytes: int = MAX_TOTAL_BYTES, max_ratio: int = MAX_RATIO) -> None:
    """ContainerRejected unless ``fileobj`` is a zip whose members all lie under ``parts`` and stay within the
    caps. Leaves the file at its start. Reads the central directory only."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ContainerRejected(_("The file is damaged or is not an Office document.")) from None
    finally:
        fileobj.seek(0)
    if len(infos) > MAX_MEMBERS:
        raise _too_big()
    total = 0
    for info in infos:
        name = info.filename
        if not name.startswith(parts) or ".." in name or name.startswith("/"):
            raise ContainerRejected(_("The file holds parts that an Office document does not have (%(name)s); "
                                      "it was not opened.") % {"name": name[:80]})
        if name.lower().endswith("vbaproject.bin"):
            raise ContainerRejected(_("Files with macros are not accepted; save it without macros."))
        size = info.file_size
        total += size
        if size > max_member_bytes or total > max_total_bytes:
            raise _too_big()
        if size >= RATIO_FLOOR and size > max_ratio * max(info.compress_size, 1):
            raise _too_big()
        if name.lower() == "xl/sharedstrings.xml" and size > MAX_SHARED_STRINGS_BYTES:
            raise _too_big()


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Za-z]*\$?(\d+)(?::\$?[A-Za-z]*\$?(\d+))?"')
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?(?:row\s[^>]*?\br="(\d+)"|c\s[^>]*?\br="[A-Za-z]+(\d+)")')
_CHUNK = 1024 * 1024
_OVERLAP = 4096  # a tag cut between two chunks is seen whole in the next scan


def check_sheet_rows(fileobj, *, max_row_number: int, max_rows: int | None = None) -> None:
    """ContainerRejected if a worksheet of the .xlsx ``fileobj`` declares (``<dimension>``) or holds a row or
    cell beyond row ``max_row_number``. Streams each sheet's XML (run ``check_container`` first); builds nothing.
    ``max_rows`` (the import's cap, for the message) defaults to ``max_row_number``."""
    message = _("The sheet goes on below row %(last)d, but an import takes at most %(rows)d rows. Delete the "
                "empty rows below the data (or split the file) and upload it again.") % {
        "last": max_row_number, "rows": max_rows or max_row_number}
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")
                      and i.filename.endswith(".xml")]
            for info in sheets:
                with archive.open(info) as stream:
                    tail = b""
                    first = True
                    while True:
                        chunk = stream.read(_CHUNK)
                        if not chunk:
                            break
                        window = tail + chunk
                        if first:
                            found = _DIMENSION.search(window)
                            if found and max(int(n) for n in found.groups() if n) > max_row_number:
                                raise ContainerRejected(message)
                            first = False
                        for match in _ROW_NUMBER.finditer(window):
                            number = match.group(1) or match.group(2)
                            if len(number) > 9 or int(number) > max_row_number:
                                raise ContainerRejected(message)
                        tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ContainerRejected(_("The file is damaged or is not an Office document.")) from None
    finally:
        fileobj.seek(0)
