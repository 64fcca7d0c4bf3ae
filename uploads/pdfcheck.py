"""Refuse PDFs that act when opened, and files that are a PDF and an HTML page at once.

Decision (#11 item 12): refuse, not flatten. Rewriting a PDF needs a full PDF library on hostile input; the
units' plans, summaries and consent forms are printed from Word or WPS and carry no actions, so a PDF that
has them is refused with a message telling the person to print it to PDF again.

Refused:
- a JavaScript action or name tree (``/JS``, ``/JavaScript``) or a launch action (``/Launch``);
- ``/OpenAction`` holding an action (``<< … >>``, or a reference to one); an ``/OpenAction [page /Fit]``
  destination array, which LaTeX and some printers write to open on page 1, only turns a page and is allowed;
- HTML inside (``<html``, ``<script``, ``<body``, ``<iframe``, ``<svg``): a polyglot a browser could render.

PDF names may spell letters as ``#xx`` (``/J#61vaScript``): names are decoded before they are compared.
Objects inside compressed object streams (``/Type /ObjStm``, PDF 1.5) are inflated (bounded) and checked the
same way; an object stream with another filter cannot be checked and is refused.
"""

import re
import zlib

MAX_OBJECT_STREAM_BYTES = 20 * 1024 * 1024  # inflated, all object streams of one file together

_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+-]|#[0-9A-Fa-f]{2}){1,64})")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_DANGEROUS = {b"JS", b"JavaScript", b"Launch"}
_HTML = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype)\b", re.IGNORECASE)
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")
_FLATE_ONLY = re.compile(rb"/Filter\s*(?:/FlateDecode|\[\s*/FlateDecode\s*\])")


class UnsafePdf(Exception):
    """``reason``: "script", "action" or "html"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _names(data: bytes):
    for match in _NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        yield name, match.end()


def _check_objects(data: bytes) -> None:
    for name, end in _names(data):
        if name in _DANGEROUS:
            raise UnsafePdf("script")
        if name == b"OpenAction":
            value = data[end:end + 64].lstrip()
            if not value.startswith(b"["):  # a dictionary or a reference: an action
                raise UnsafePdf("action")


def _parts(data: bytes):
    """The parts of ``data`` a reader interprets as PDF syntax: the text between streams, uncompressed stream
    content, and the inflated content of object streams (bounded in total). Compressed binary streams (images,
    fonts, page content) are skipped: random bytes would look like names or tags there."""
    budget = MAX_OBJECT_STREAM_BYTES
    position = 0
    while True:
        match = _STREAM.search(data, position)
        if match is None:
            yield data[position:]
            return
        yield data[position:match.start()]
        end = data.find(b"endstream", match.end())
        end = len(data) if end < 0 else end
        head = data[max(position, match.start() - 1024):match.start()]
        head = head[head.rfind(b"obj") + 3:] if b"obj" in head else head
        content = data[match.end():end]
        position = end + len(b"endstream")
        if _OBJECT_STREAM.search(head):
            if not _FLATE_ONLY.search(head):
                raise UnsafePdf("script")  # an object stream that cannot be looked into
            try:
                inflated = zlib.decompressobj().decompress(content, budget + 1)
            except zlib.error:
                raise UnsafePdf("script") from None
            budget -= len(inflated)
            if budget < 0:
                raise UnsafePdf("script")
            yield inflated
        elif b"/Filter" not in head:
            yield content


def check_pdf(fileobj) -> None:
    """UnsafePdf if the PDF ``fileobj`` acts when opened or is also HTML; leaves the file at its start."""
    fileobj.seek(0)
    try:
        data = fileobj.read()
    finally:
        fileobj.seek(0)
    for part in _parts(data):
        if _HTML.search(part):
            raise UnsafePdf("html")
        _check_objects(part)
