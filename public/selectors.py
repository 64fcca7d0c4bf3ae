"""Reads for the public front door: which public entries of a campaign have something to show."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core import clock

# Entries built by other apps that may not be installed yet (the publicity pages): (URL name, label, icon).
# Each shows only when its URL exists and the app says it has content (``publicity.selectors.has_content``).
PUBLICITY_ENTRIES = [
    ("publicity:videos", _("Short videos"), "bi-camera-video"),
    ("publicity:posters", _("Posters"), "bi-image"),
    ("publicity:articles", _("Proposals and articles"), "bi-file-text"),
    ("publicity:coverage", _("Media coverage"), "bi-newspaper"),
]


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _publicity_has(kind: str, campaign) -> bool:
    try:
        from publicity import selectors as publicity  # noqa: PLC0415 (built in parallel; optional)
    except ImportError:
        return False
    has = getattr(publicity, "has_content", None)
    return bool(has(kind=kind, campaign=campaign)) if has else True


def featured_videos(campaign) -> list:
    """The short videos organisers featured for the home page (none where the publicity app is absent)."""
    try:
        from publicity import selectors as publicity  # noqa: PLC0415 (optional, as for the entries)
    except ImportError:
        return []
    return publicity.featured_videos(campaign, limit=4)


def home_entries(campaign, *, archive: bool = False) -> list[dict]:
    """The doors of the public home page, in order; an entry with nothing behind it is left out. An archived
    campaign's activity doors open its own year (``?campaign=<slug>``)."""
    from activities.models import Activity
    from awards.models import Selection
    from exhibitions.models import EducationBase, Exhibition
    from surveys.models import SurveyLink

    entries: list[dict] = []

    def add(key, label, url, icon, note=""):
        if url:
            entries.append({"key": key, "label": label, "url": url, "icon": icon, "note": note})

    has_activities = Activity.objects.filter(public_starts_at__isnull=False, campaign=campaign).exists()
    year = f"?{urlencode({'campaign': campaign.slug})}" if archive else ""
    if has_activities:
        add("activities", _("Activities"), _url("activities:list") + year, "bi-calendar-event",
            _("List, by district and category, search"))
        add("calendar", _("Calendar"), _url("activities:calendar") + year, "bi-calendar3")

    selection = Selection.objects.filter(campaign=campaign).only("stage", "campaign").first()
    if selection is not None and selection.stage == Selection.Stage.NOTICE:
        add("notice", _("Public notice of the finalists"), _url("awards:public_notice", campaign.slug),
            "bi-megaphone", _("Most beautiful S&T workers"))
    elif selection is not None and selection.stage == Selection.Stage.RELEASED:
        add("winners", _("Most beautiful S&T workers"), _url("awards:announcement", campaign.slug), "bi-award")
        add("gallery", _("Role-model exhibition"), _url("awards:exhibition", campaign.slug), "bi-people")

    if Exhibition.objects.exists():
        add("exhibitions", _("Theme exhibitions"), _url("exhibitions:list"), "bi-easel")
    if EducationBase.objects.filter(is_active=True).exists():
        add("bases", _("Scientist-spirit education bases"), _url("exhibitions:base_list"), "bi-building",
            _("Book a visit"))

    add("programmes", _("Volunteer S&T service"), _url("volunteering:programmes"), "bi-heart",
        _("The three actions"))
    add("request", _("Request a service"), _url("volunteering:request_public"), "bi-hand-index")

    now = clock.now()
    link = (SurveyLink.objects.filter(unit__isnull=True, survey__campaign=campaign, survey__opens_at__lte=now,
                                      survey__closes_at__gt=now).only("token").first())
    if link is not None:
        add("survey", _("Survey of young S&T workers"), _url("surveys:entry", "s", link.token), "bi-ui-checks",
            _("Open now"))

    add("problems", _("Doing practical things for S&T workers"), _url("problems:results"), "bi-tools")

    for name, label, icon in PUBLICITY_ENTRIES:
        url = _url(name)
        if url and _publicity_has(name.split(":")[1], campaign):
            add(name.split(":")[1], label, url, icon)
    return entries
