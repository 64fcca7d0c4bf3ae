from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import AuditEntry


def audit_entries(*, query: str = "", action: str = "", outcome: str = "", actor: str = "",
                  date_from=None, date_to=None):
    """Audit entries filtered as the organisers' audit page asks, newest first."""
    qs = AuditEntry.objects.all()
    if query:
        qs = qs.filter(Q(object_repr__icontains=query) | Q(action__icontains=query) | Q(actor_name__icontains=query))
    if action:
        qs = qs.filter(action__startswith=action)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if actor:
        qs = qs.filter(actor_name__iexact=actor)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def entries_older_than(days: int):
    return AuditEntry.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))
