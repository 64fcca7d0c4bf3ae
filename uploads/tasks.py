"""Background work of uploads: thumbnails are made after the upload's transaction commits."""

from django_tasks import task


@task()
def asset_thumbnail_task(asset_id: int) -> str:
    """Make the thumbnail of one image asset; returns its storage name (empty if none was made)."""
    from .models import Asset
    from .services import asset_thumbnail_create

    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is None:  # deleted before the worker came to it
        return ""
    return asset_thumbnail_create(asset=asset)
