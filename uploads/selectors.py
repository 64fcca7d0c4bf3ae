"""Every read of uploads, and who may see a file."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import is_organiser, unit_ids

from .models import Asset


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def asset_can_view(user, asset: Asset) -> bool:
    """Public files for everyone; a private one for its owner, organisers and its unit's coordinators."""
    if asset.is_public:
        return True
    return asset_can_delete(user, asset)


def asset_can_delete(user, asset: Asset) -> bool:
    if not _active(user):
        return False
    if asset.owner_id is not None and asset.owner_id == user.pk:
        return True
    if is_organiser(user):
        return True
    return asset.unit_id is not None and asset.unit_id in unit_ids(user)


def asset_get_visible(*, user, public_id) -> Asset:
    """The asset with this public id if ``user`` may see it; 404 otherwise, so its existence does not leak."""
    asset = Asset.objects.filter(public_id=public_id).first()
    if asset is None or not asset_can_view(user, asset):
        raise Http404
    return asset


def asset_list_visible(*, user) -> QuerySet[Asset]:
    """The assets ``user`` may see."""
    assets = Asset.objects.select_related("owner", "unit")
    if is_organiser(user):
        return assets
    visible = Q(is_public=True)
    if _active(user):
        visible |= Q(owner=user) | Q(unit_id__in=unit_ids(user))
    return assets.filter(visible)
