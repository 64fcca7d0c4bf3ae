"""The volunteer programmes in a campaign's review before it is published: the programmes persist from year
to year (organisers keep the list); what belongs to a campaign is their activity (requests for service)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Programme


def review(campaign) -> dict:
    programmes = list(Programme.objects.filter(is_active=True).order_by("order", "id"))
    return {"key": "programmes", "title": _("Volunteer programmes"), "url": reverse("volunteering:programmes"),
            "items": [f"{p.label} · {p.audience}" for p in programmes], "empty": _("No programme in use.")}
