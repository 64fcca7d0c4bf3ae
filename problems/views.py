"""The problems ledger pages: public results, submission and follow-up; the staff ledger. Thin views."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can, require
from core import clock
from core.decorators import permission_required, public_view
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import paginate
from core.throttle import throttle_allow

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

SESSION_RECEIPT = "problems_new_receipt"  # the code shown once after submission
SESSION_FOLLOW = "problems_follow_code"  # the code the submitter follows with in this session



def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- public ------------------------------------------------------------------------------------

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
    form = ProblemSubmitForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not throttle_allow(request, scope="problems.submit", limit=_limit("SCIDAY_PROBLEM_SUBMIT_LIMIT", 5),
                              window_seconds=3600):
            form.add_error(None, _("Too many problems were submitted from your network. Please try again in an "
                                   "hour, or call the organisers."))
            status = 429
        else:
            try:
                problem, code = services.problem_submit(**form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                request.session[SESSION_RECEIPT] = {"code": code, "reference": problem.reference}
                return redirect("problems:submitted")
    return render(request, "problems/submit.html", {"form": form}, status=status)


@public_view
@never_cache
def submitted(request):
    """Shows the receipt code once: reloading the page does not show it again."""
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if receipt is None:
        return redirect("problems:follow")
    return render(request, "problems/submitted.html", {"receipt": receipt})


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    form = FollowForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not throttle_allow(request, scope="problems.follow", limit=_limit("SCIDAY_PROBLEM_FOLLOW_LIMIT", 30),
                              window_seconds=3600):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
            status = 429
        elif selectors.problem_by_receipt(form.cleaned_data["code"]) is None:
            form.add_error("code", _("No problem has this receipt code. Check the code and try again."))
        else:
            request.session[SESSION_FOLLOW] = form.cleaned_data["code"]
            return redirect("problems:follow_status")
    return render(request, "problems/follow.html", {"form": form}, status=status)


def _followed(request):
    code = request.session.get(SESSION_FOLLOW, "")
    problem = selectors.problem_by_receipt(code) if code else None
    return problem, code


@public_view
@never_cache
def follow_status(request):
    problem, _code = _followed(request)
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
    problem, code = _followed(request)
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
    page = paginate(request, selectors.problem_ledger(user=request.user, **filters))
    return render(request, "problems/ledger.html", {
        "filter_form": filter_form, "page_obj": page, "problems": page.object_list,
        "counts": selectors.ledger_counts(user=request.user),
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
    problem = selectors.problem_get(pk=pk)
    if problem is None:
        raise Http404
    try:
        require(request.user, "problem.view", problem)  # audits the denial
    except PermissionDenied:
        raise Http404
    return problem


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
               "due_date": problem.due_date or services.default_due_date()}
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
