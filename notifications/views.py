"""A user's own notifications: the list behind the bell, marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.pagination import paginate

from .models import Notification
from .selectors import notifications_for, unread_count
from .services import notification_mark_read, notifications_mark_all_read

FILTERS = ("all", "unread")


def _back(request):
    """Where to go after a POST without htmx: the page the user came from, if it is ours."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_GET
def notification_list(request):
    show = request.GET.get("show") if request.GET.get("show") in FILTERS else "all"
    page_obj = paginate(request, notifications_for(user=request.user, unread_only=show == "unread"))
    return render(request, "notifications/list.html", {
        "page_obj": page_obj, "show": show, "unread": unread_count(user=request.user),
    })


@login_required
@require_POST
def notification_read(request, pk):
    # Looked up among the user's own only: another user's notification is "not found", not "forbidden".
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        return render(request, "notifications/_row.html", {"notification": notification})
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back(request)
