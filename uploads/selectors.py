"""Every read of uploads, and who may see a file."""

from django.http import Http404

from accounts.permissions import can, is_admin, is_organiser, unit_ids

from .models import Asset
from .owners import asset_owner_rules


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def asset_can_view(user, asset: Asset) -> bool:
    """Who may see a file: the one rule for /files/<uuid>/, its thumbnail and every page that links it.

    A public file (a published activity's photos, an announced laureate's portrait) is everyone's.
    A private file is seen by exactly who may see what it belongs to, asking that object's own rule
    in accounts.permissions (uploads.owners: a summary's attachment → "summary.view", so a draft
    or another office's summary keeps its files too). A file attached to nothing (yet) is its
    uploader's and the site administrators' alone.
    """
    if asset.is_public:
        return True
    if not _active(user):
        return False
    owners = list(asset_owner_rules(asset))
    if owners:
        return any(can(user, permission, obj) for permission, obj in owners)
    return (asset.owner_id is not None and asset.owner_id == user.pk) or is_admin(user)


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
