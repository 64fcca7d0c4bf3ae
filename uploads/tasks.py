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


@task()
def asset_files_delete_task(names: list[str]) -> int:
    """Delete stored files whose asset rows are gone (removed or replaced); returns how many went.

    Names are random and never reused; a name some asset row still holds is kept all the same.
    """
    import logging

    from django.db.models import Q

    from .models import Asset

    storage = Asset._meta.get_field("file").storage
    deleted = 0
    for name in names:
        if not name or Asset.objects.filter(Q(file=name) | Q(thumbnail=name)).exists():
            continue
        try:
            storage.delete(name)
        except Exception:  # a leftover file is logged, never an error of the transaction that let it go
            logging.getLogger(__name__).exception("Could not delete the stored file %s", name)
            continue
        deleted += 1
    return deleted
