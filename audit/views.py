from django.shortcuts import render

from core.decorators import permission_required
from core.pagination import keyset_paginate

from .forms import AuditFilterForm
from .selectors import audit_entries


@permission_required("audit.view")
def audit_list(request):
    """The audit log, filterable, read-only: nobody can edit or delete an entry from here."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = audit_entries(
        query=filters.get("q", ""),
        action=filters.get("action", ""),
        outcome=filters.get("outcome", ""),
        actor=filters.get("actor", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return render(request, "audit/list.html", {"form": form, "page_obj": keyset_paginate(request, qs, ("-created_at", "-id"), per_page=50)})
