"""The campaigns, as their notices announce them: public, no login needed."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from accounts.permissions import is_organiser
from campaigns.selectors import campaign_queryset

from .schemas import CampaignOut, CampaignSummaryOut, ErrorOut

router = Router(tags=["campaigns"])


@router.get("/", response=list[CampaignSummaryOut], auth=None, summary="Published campaigns")
def campaign_list(request):
    return list(campaign_queryset().filter(is_published=True))


@router.get("/{slug}", response={200: CampaignOut, 404: ErrorOut}, auth=None, summary="One campaign")
def campaign_detail(request, slug: str):
    """The campaign with its categories, routing of summaries, offices and contacts. Organisers (logged in)
    also see a campaign not yet published, to review it; everybody else only published ones."""
    campaigns = campaign_queryset().filter(slug=slug)
    if not is_organiser(getattr(request, "user", None)):
        campaigns = campaigns.filter(is_published=True)
    campaign = campaigns.first()
    if campaign is None:
        raise HttpError(404, _("There is no campaign %(slug)s.") % {"slug": slug})
    return campaign
