"""Gives a public page's share card its title: base.html leaves og:title empty (a template block cannot be
shown twice) and this copies the page's <title> into it."""

import re

from django.utils.html import escape

_TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
_EMPTY_OG = b'<meta property="og:title" content="" data-from-title>'


class ShareTitleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.streaming or "text/html" not in response.get("Content-Type", "")
                or _EMPTY_OG not in response.content):
            return response
        found = _TITLE.search(response.content)
        # The <title> is already escaped HTML: keep it as it is, minus the site suffix.
        title = found.group(1).strip().removesuffix(b"\xc2\xb7 sciday").strip() if found else b""
        if not title:
            title = escape("sciday").encode()
        response.content = response.content.replace(
            _EMPTY_OG, b'<meta property="og:title" content="' + title + b'">', 1)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
