"""A public page's own QR code (the footer's 「扫码在手机上打开」) is drawn once per page and language in each
process: drawing one costs more CPU than the rest of a check-in."""

from unittest import mock

from django.utils import translation

from public import context_processors


def test_the_page_qr_is_drawn_once_per_page_and_language():
    context_processors._qr_svg_in.cache_clear()
    real = __import__("segno").make
    with mock.patch("segno.make", side_effect=real) as make:
        with translation.override("zh-hans"):
            first = context_processors._qr_svg("https://example.org/activities/checkin/abc/")
            assert context_processors._qr_svg("https://example.org/activities/checkin/abc/") == first
            other = context_processors._qr_svg("https://example.org/activities/checkin/xyz/")
        with translation.override("en"):
            english = context_processors._qr_svg("https://example.org/activities/checkin/abc/")
    assert make.call_count == 3
    assert other != first and "<svg" in first
    assert "Scan to open this page on a phone" in english and english != first
