from django.core.exceptions import ValidationError

from .models import Upload


def upload_get(*, owner: str, upload_id) -> Upload | None:
    """The upload ``upload_id`` if ``owner`` owns it, else None (another owner's upload does not exist)."""
    try:
        return Upload.objects.filter(owner=owner, pk=upload_id).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID
        return None
