"""Volunteer service to-dos on the workbench."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions

from .models import RequestStatus, ServiceHours, ServiceRequest


def todos(user) -> list[dict]:
    """Organisers: requests waiting for a team. Coordinators: their teams' requests to schedule or record,
    open requests a team of theirs could take, and hours waiting for the leader's confirmation."""
    requests_url = reverse("volunteering:request_list")
    items = []
    if permissions.is_organiser(user):
        waiting = ServiceRequest.objects.filter(status=RequestStatus.SUBMITTED).count()
        if waiting:
            items.append({"text": _("%(n)d requests for service are waiting for a team") % {"n": waiting},
                          "url": f"{requests_url}?status=submitted"})
        return items
    units = permissions.unit_ids(user)
    if not units:
        return items
    counts = ServiceRequest.objects.filter(team__unit_id__in=units).order_by().aggregate(
        to_schedule=Count("id", filter=Q(status=RequestStatus.MATCHED)),
        to_record=Count("id", filter=Q(status=RequestStatus.SCHEDULED)))
    if counts["to_schedule"]:
        items.append({"text": _("%(n)d accepted requests for service to schedule") % {"n": counts["to_schedule"]},
                      "url": f"{requests_url}?status=matched"})
    if counts["to_record"]:
        items.append({"text": _("%(n)d scheduled services to record") % {"n": counts["to_record"]},
                      "url": f"{requests_url}?status=scheduled"})
    pending = ServiceHours.objects.filter(record__team__unit_id__in=units, confirmed_at__isnull=True).count()
    if pending:
        items.append({"text": _("%(n)d volunteers' hours wait for your confirmation") % {"n": pending},
                      "url": reverse("volunteering:record_list")})
    return items
