"""Test helpers for keyset-paged lists: walk a list by its 「下一页」 and 「上一页」 links."""

import html
import re

NEXT = re.compile(r'<a class="page-link" rel="next" href="([^"]+)">')
PREVIOUS = re.compile(r'<a class="page-link" rel="prev" href="([^"]+)">')


def link(body: str, which: str = "next") -> str | None:
    """The href of the page's 「下一页」 (``next``) or 「上一页」 (``prev``) link, or None on the last/first page."""
    found = (NEXT if which == "next" else PREVIOUS).search(body)
    return html.unescape(found.group(1)) if found else None


def walk(client, url: str, params: dict | None = None, *, which: str = "next", limit: int = 200) -> list[str]:
    """Every page's body, from ``url`` following the ``which`` links to the end."""
    bodies = []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.status_code
        body = response.content.decode()
        bodies.append(body)
        href = link(body, which)
        if href is None or len(bodies) >= limit:
            return bodies
        response = client.get(url.split("?")[0] + href if href.startswith("?") else href)
