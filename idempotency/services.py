from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import IdempotencyKey


def idempotency_keys_prune(*, hours: int | None = None) -> int:
    """Delete the keys older than ``hours`` (IDEMPOTENCY_KEY_TTL_HOURS, a day); return how many went.

    Real time, like the keys' stamps: a retry comes within minutes, not on the campaign's clock."""
    hours = settings.IDEMPOTENCY_KEY_TTL_HOURS if hours is None else hours
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - timedelta(hours=hours)).delete()
    return deleted
