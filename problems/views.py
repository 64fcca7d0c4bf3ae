"""The problems ledger pages: public results, submission and follow-up; the staff ledger. Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can, require
from calendars.workdays import CalendarNotCovered
from campaigns.selectors import chosen_campaign_light
from core import clock
from core.decorators import permission_required, public_view
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import keyset_paginate, paginate
from core.receipts import Limit, ReceiptFlow
from core.shortcuts import visible_or_404

from . import selectors, services
from .forms import (
    ACTION_FORMS,
    FollowForm,
    LedgerFilterForm,
    ProblemCreateForm,
    ProblemSubmitForm,
    SubmitterResponseForm,
)
from .models import Status

# The public pages where a submitter sees the receipt code once and follows the problem with it.
RECEIPTS = ReceiptFlow(
    receipt_key="problems_new_receipt", follow_key="problems_follow_code",
    lookup=selectors.problem_by_receipt, done_url="problems:submitted", follow_url="problems:follow",
    status_url="problems:follow_status",
)
SUBMIT_LIMIT = Limit(scope="problems.submit", setting="SCIDAY_PROBLEM_SUBMIT_LIMIT", default=5)
FOLLOW_LIMIT = Limit(scope="problems.follow", setting="SCIDAY_PROBLEM_FOLLOW_LIMIT", default=30)


# --- public ------------------------------------------------------------------------------------

def _default_due_date():
    """The due date the form offers, or none when the calendar does not cover it (the service then says why)."""
    try:
        return services.default_due_date()
    except CalendarNotCovered:
        return None


@public_view
def results(request):
    """为科技工作者办实事: resolved problems, anonymised, and the ledger's totals."""
    page = paginate(request, selectors.public_results())
    return render(request, "problems/results.html", {
        "totals": selectors.public_totals(), "page_obj": page, "problems": page.object_list,
    })


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    return RECEIPTS.submit(
        request, form=ProblemSubmitForm(request.POST or None), create=services.problem_submit, limit=SUBMIT_LIMIT,
        too_many=_("Too many problems were submitted from your network. Please try again in an hour, or call "
                   "the organisers."),
        template="problems/submit.html")


@public_view
@never_cache
def submitted(request):
    """Shows the receipt code once: reloading the page does not show it again."""
    return RECEIPTS.done(request, template="problems/submitted.html")


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    return RECEIPTS.follow(
        request, form=FollowForm(request.POST or None), limit=FOLLOW_LIMIT,
        not_found=_("No problem has this receipt code. Check the code and try again."),
        template="problems/follow.html")


@public_view
@never_cache
def follow_status(request):
    problem, _code = RECEIPTS.followed(request)
    if problem is None:
        return redirect("problems:follow")
    return render(request, "problems/follow_status.html", {
        "problem": problem, "events": selectors.problem_history(problem=problem),
        "can_respond": problem.status == Status.RESOLVED, "form": SubmitterResponseForm(),
        "auto_close_days": services.auto_close_days(),
    })


@public_view
@require_POST
def follow_respond(request):
    problem, code = RECEIPTS.followed(request)
    if problem is None:
        return redirect("problems:follow")
    action = request.POST.get("action", "")
    form = SubmitterResponseForm(request.POST)
    if form.is_valid() and action in services.SUBMITTER_ACTIONS:
        try:
            services.problem_submitter_respond(problem=problem, receipt_code=code, action=action,
                                               note=form.cleaned_data["note"])
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: the problem is closed.") if action == "confirm"
                             else _("Thank you: the problem is being handled again."))
    return redirect("problems:follow_status")


# --- staff -------------------------------------------------------------------------------------

@permission_required("problems.ledger")
def ledger(request):
    can_manage = can(request.user, "problems.manage")
    filter_form = LedgerFilterForm(request.GET or None, show_units=can_manage)
    filters = filter_form.filters() if request.GET else {}
    campaign = chosen_campaign_light(request)
    page = keyset_paginate(request, selectors.problem_ledger(user=request.user, campaign=campaign, **filters),
                           selectors.LEDGER_ORDER)
    return render(request, "problems/ledger.html", {
        "filter_form": filter_form, "page_obj": page, "problems": page.object_list, "campaign": campaign,
        "counts": selectors.ledger_counts(user=request.user, campaign=campaign),
        "filtered": any(filters.values()), "can_manage": can_manage,
        "today": clock.today(),
    })


@permission_required("problems.manage")
@require_http_methods(["GET", "POST"])
def create(request):
    form = ProblemCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Problem %(ref)s was entered.") % {"ref": problem.reference})
            return redirect("problems:detail", pk=problem.pk)
    return render(request, "problems/form.html", {
        "form": form, "title": _("Enter a problem"), "cancel_url": reverse("problems:ledger")})


def _problem_or_404(request, pk: int):
    """The problem if the user may see it; 404 otherwise, so that other units learn nothing."""
    return visible_or_404(request.user, "problem.view", selectors.problem_get(pk=pk))


@login_required
def detail(request, pk: int):
    problem = _problem_or_404(request, pk)
    is_organiser = can(request.user, "problems.manage")
    return render(request, "problems/detail.html", {
        "problem": problem,
        "events": selectors.problem_history(problem=problem),
        "evidence": list(problem.evidence.all()),
        "actions": [(a, services.ACTION_LABELS[a]) for a in selectors.actions_for(user=request.user, problem=problem)],
        "show_contact": is_organiser or can(request.user, "problem.handle", problem),
    })


@login_required
@require_http_methods(["GET", "POST"])
def action(request, pk: int, action: str):
    problem = _problem_or_404(request, pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    permission = services.ACTION_PERMISSIONS[action]
    require(request.user, permission, problem)
    initial = {"on_date": clock.today(), "category": problem.category, "public_summary": problem.public_summary,
               "unit": problem.responsible_unit_id, "office": problem.responsible_office_id,
               "due_date": problem.due_date or _default_due_date()}
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_transition(actor=request.user, problem=problem, action=action, **form.cleaned_data)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return redirect("problems:detail", pk=problem.pk)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": services.ACTION_LABELS[action]})
            return redirect("problems:detail", pk=problem.pk)
    return render(request, "problems/form.html", {
        "form": form, "problem": problem, "title": f"{services.ACTION_LABELS[action]} · {problem.reference}",
        "cancel_url": reverse("problems:detail", args=[problem.pk]), "multipart": action == "resolve",
    })
