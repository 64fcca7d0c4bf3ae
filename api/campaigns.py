"""The campaigns, as their notices announce them: public, no login needed."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from campaigns.selectors import campaign_queryset

from .schemas import CampaignOut, CampaignSummaryOut, ErrorOut

router = Router(tags=["campaigns"])


@router.get("/", response=list[CampaignSummaryOut], auth=None, summary="Published campaigns")
def campaign_list(request):
    return list(campaign_queryset().filter(is_published=True))


@router.get("/{slug}", response={200: CampaignOut, 404: ErrorOut}, auth=None, summary="One campaign")
def campaign_detail(request, slug: str):
    """The campaign with its categories, routing of summaries, offices and contacts."""
    campaign = campaign_queryset().filter(is_published=True, slug=slug).first()
    if campaign is None:
        raise HttpError(404, _("There is no campaign %(slug)s.") % {"slug": slug})
    return campaign
