"""The exhibitions' part in copying a campaign as a later year's (see campaigns.services.campaign_copy)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Exhibition
from .services import exhibitions_copy


def copy_to(*, actor, source, target, years: int) -> list[Exhibition]:
    return exhibitions_copy(actor=actor, source=source, target=target, years=years)


def review(campaign) -> dict:
    exhibitions = list(Exhibition.objects.filter(campaign=campaign).order_by("order", "id"))
    return {"key": "exhibitions", "title": _("Touring exhibitions"), "url": reverse("exhibitions:manage"),
            "items": [f"{e.code} · {e.label}" for e in exhibitions], "empty": _("No exhibition yet.")}
