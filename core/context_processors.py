from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import clock
from .registry import app_hooks

# The management menu: (permission, URL name, label); an item shows only to who may use it.
NAV = [
    ("units.list", "organisations:list", _("Units")),
    ("accounts.manage", "accounts:manage_list", _("Accounts")),
    ("campaigns.manage", "campaigns:list", _("Campaigns")),
    ("audit.view", "audit:list", _("Audit log")),
]


def sciday(request):
    """What every page's frame needs: the demo clock banner and the unread notification count."""
    unread = 0
    nav_items = []
    campaign_switch = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from accounts.permissions import can
        from notifications.selectors import unread_count

        unread = unread_count(user=user)
        entries = list(NAV)
        for extra in app_hooks("navigation", "NAV"):
            entries += extra
        nav_items = [
            {"url": reverse(url_name), "label": label}
            for permission, url_name, label in entries
            if can(user, permission)
        ]
        from accounts.permissions import is_coordinator, is_organiser

        if is_organiser(user) or is_coordinator(user):
            # The chosen campaign as the session keeps it (no query); none chosen: the current one.
            from campaigns.selectors import SESSION_KEY

            campaign_switch = request.session.get(SESSION_KEY) or {}
    return {
        "clock_frozen": clock.is_frozen(),
        "clock_now": clock.now(),
        "unread_notifications": unread,
        "nav_items": nav_items,
        "campaign_switch": campaign_switch,
        "site_url": settings.SCIDAY_SITE_URL,
    }
