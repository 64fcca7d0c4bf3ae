"""The public pages' frame: 长辈版 (large text), breadcrumbs, sharing tags and the page's own QR code."""

from functools import lru_cache

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LARGE_TEXT_COOKIE = "sciday_large_text"

# The section a public page belongs to, by URL namespace (and name): its breadcrumb between 首页 and the page.
SECTIONS = {
    ("activities", "list"): None, ("activities", "calendar"): None,
    "activities": ("activities:list", _("Activities")),
    "awards": (None, _("Most beautiful S&T workers")),
    ("exhibitions", "list"): None, ("exhibitions", "base_list"): None,
    ("exhibitions", "base_detail"): ("exhibitions:base_list", _("Scientist-spirit education bases")),
    ("exhibitions", "visit_status"): ("exhibitions:base_list", _("Scientist-spirit education bases")),
    "exhibitions": ("exhibitions:list", _("Theme exhibitions")),
    ("volunteering", "programmes"): None,
    "volunteering": ("volunteering:programmes", _("Volunteer S&T service")),
    ("problems", "results"): None,
    "problems": ("problems:results", _("Doing practical things for S&T workers")),
    "surveys": (None, _("Survey of young S&T workers")),
    ("publicity", "videos"): None, ("publicity", "posters"): None, ("publicity", "articles"): None,
    ("publicity", "coverage"): None,
    ("publicity", "article"): ("publicity:articles", _("Proposals and articles")),
    "publicity": ("publicity:videos", _("Short videos")),
}


def _section(match):
    if match is None:
        return None
    namespace = match.namespace
    found = SECTIONS.get((namespace, match.url_name), SECTIONS.get(namespace))
    if found is None or found[0] is None:
        return {"label": found[1], "url": ""} if found else None
    try:
        return {"label": found[1], "url": reverse(found[0])}
    except NoReverseMatch:
        return None


def _qr_svg(url: str) -> str:
    return _qr_svg_in(url, get_language())


# Drawing a QR code costs about 7 ms of CPU, more than the rest of a check-in: each process keeps the codes of
# the pages it served last (a page's URL has no query string; about 3 KB each).
@lru_cache(maxsize=512)
def _qr_svg_in(url: str, language: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, title=str(_("Scan to open this page on a phone")))


def public_frame(request):
    """Context for base.html on a public page (a view marked ``@public_view``): nothing otherwise."""
    match = getattr(request, "resolver_match", None)
    func = getattr(match, "func", None)
    is_public = bool(getattr(func, "sciday_public", False)) and getattr(match, "namespace", "") not in ("admin",)
    large = request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
    if not is_public:
        return {"large_text": large, "public_page": False}
    page_url = request.build_absolute_uri(request.path)
    return {
        "public_page": True,
        "large_text": large,
        "is_home": getattr(match, "namespace", "") == "public" and match.url_name == "home",
        "section": _section(match),
        "share_url": page_url,
        "default_og_image": request.build_absolute_uri(static("public/og.png")),
        "page_qr": lambda: mark_safe(_qr_svg(page_url)),  # drawn only where the template shows it
        "large_text_url": reverse("public:large_text"),
    }
