"""The selection's pages: settings, nominations, eligibility, review, decision, notice, release. Thin views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import can, require, unit_ids
from core import clock
from core.decorators import permission_required, public_view
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import paginate
from core.throttle import throttle_allow
from organisations.models import Unit

from . import exports, personal, selectors, services, workdays
from .forms import (
    AssignForm,
    CriterionFormSet,
    DecisionForm,
    ExpertInviteForm,
    NominationForm,
    NoticeForm,
    ObjectionDecideForm,
    ObjectionForm,
    QuotaForm,
    ReasonForm,
    ReleaseForm,
    ScoreForm,
    SelectionCreateForm,
    SelectionForm,
)
from .models import Assignment, Nomination, Objection, Selection

S = Nomination.Status
OBJECTION_RECEIPT = "awards.objection_receipt"



def _selection(pk) -> Selection:
    return get_object_or_404(Selection.objects.select_related("campaign"), pk=pk)


# --- home and settings --------------------------------------------------------------------------------

@permission_required("awards.view")
def home(request):
    from campaigns.selectors import chosen_campaign_light

    selections = selectors.selections_visible(user=request.user, campaign=chosen_campaign_light(request))
    return render(request, "awards/home.html", {"selections": selections,
                                                "can_manage": can(request.user, "awards.manage")})


@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def selection_create(request):
    form = SelectionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("campaign", "nomination_start",
                                                                        "nomination_end")}
        selection = services.selection_create(actor=request.user, campaign=form.cleaned_data["campaign"],
                                              nomination_start=form.cleaned_data["nomination_start"],
                                              nomination_end=form.cleaned_data["nomination_end"], **data)
        return redirect(selection)
    return render(request, "awards/form.html", {"form": form, "title": _("New selection")})


@permission_required("awards.view")
def selection_detail(request, pk):
    selection = _selection(pk)
    user = request.user
    nominations = selectors.nominations_visible(user=user, selection=selection)
    context = {"selection": selection, "can_manage": can(user, "awards.manage"),
               "can_nominate": can(user, "awards.nominate"),
               "units": Unit.objects.filter(pk__in=unit_ids(user)),
               "counts": dict.fromkeys(S, 0), "warning": ""}
    for row in nominations.order_by().values("status").annotate(n=Count("id")):
        context["counts"][row["status"]] = row["n"]
    context["status_counts"] = [(label, context["counts"][value]) for value, label in S.choices]
    if context["can_manage"]:
        context["warning"] = selectors.young_share_warning(selection, nominations)
    context["quotas"] = [selectors.quota_for(selection, u) for u in context["units"]]
    context["quota_full"] = bool(context["quotas"]) and all(q.full for q in context["quotas"])
    if context["quota_full"]:
        context["quota_full_message"] = selectors.quota_full_message(context["quotas"][0]) if len(
            context["quotas"]) == 1 else _("All your units have used their places: no new nomination can be "
                                           "started. To nominate someone else, first withdraw a submitted one.")
    return render(request, "awards/selection.html", context)


@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def selection_settings(request, pk):
    selection = _selection(pk)
    form = SelectionForm(request.POST or None, instance=Selection.objects.get(pk=pk), prefix="s")
    initial = [{"name": c.name, "description": c.description, "weight": c.weight, "max_score": c.max_score}
               for c in selection.criteria.all()]
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="c")
    quota_form = QuotaForm(prefix="q")
    if request.method == "POST" and "quota" in request.POST:
        quota_form = QuotaForm(request.POST, prefix="q")
        if quota_form.is_valid():
            services.quota_set(actor=request.user, selection=selection, unit=quota_form.cleaned_data["unit"],
                               quota=quota_form.cleaned_data["quota"])
            messages.success(request, _("The quota was saved."))
            return redirect("awards:settings", pk=pk)
    elif request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [{k: f.cleaned_data[k] for k in ("name", "description", "weight", "max_score")}
                for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            services.selection_update(actor=request.user, selection=selection, data=form.cleaned_data)
            if [(r["name"], r["weight"], r["max_score"]) for r in rows] != [
                    (c["name"], c["weight"], c["max_score"]) for c in initial]:
                services.criteria_save(actor=request.user, selection=selection, rows=rows)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The selection settings were saved."))
            return redirect(selection)
    quotas = selection.quotas.select_related("unit")
    return render(request, "awards/settings.html", {"selection": selection, "form": form, "formset": formset,
                                                    "quota_form": quota_form, "quotas": quotas})


# --- nominations ---------------------------------------------------------------------------------------

@permission_required("awards.view")
def nomination_list(request, pk):
    selection = _selection(pk)
    qs = selectors.nominations_visible(user=request.user, selection=selection)
    status = request.GET.get("status", "")
    if status in S.values:
        qs = qs.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(name__icontains=query)
    page = paginate(request, qs)
    return render(request, "awards/nominations.html", {
        "selection": selection, "page_obj": page, "nominations": page.object_list, "statuses": S.choices,
        "status": status, "q": query, "can_manage": can(request.user, "awards.manage")})


@permission_required("awards.nominate")
@require_http_methods(["GET", "POST"])
def nomination_create(request, pk):
    selection = _selection(pk)
    quotas = [selectors.quota_for(selection, u) for u in Unit.objects.filter(pk__in=unit_ids(request.user))]
    if quotas and all(q.full for q in quotas):
        messages.warning(request, selectors.quota_full_message(quotas[0]))
        return redirect(selection)
    units = Unit.objects.filter(pk__in=[q.unit.pk for q in quotas if not q.full])
    form = NominationForm(request.POST or None, request.FILES or None, units=units, uploader=request.user)
    if request.method == "POST" and form.is_valid():
        data, files = form.split()
        try:
            nomination = services.nomination_create(
                actor=request.user, selection=selection, unit=form.cleaned_data["unit"], data=data,
                id_number=form.cleaned_data["id_number"], mobile=form.cleaned_data["mobile"], files=files)
        except ValidationError as error:
            show_errors(form, error)
            form.keep_uploads()
        else:
            form.forget_kept()
            messages.success(request, _("The nomination was saved as a draft."))
            return redirect(nomination)
    return render(request, "awards/nomination_form.html", {"form": form, "selection": selection,
                                                           "title": _("New nomination")})


@permission_required("awards.view")
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = selectors.nomination_get_visible(user=request.user, pk=pk)
    require(request.user, "nomination.edit", nomination)
    form = NominationForm(request.POST or None, request.FILES or None, instance=nomination, uploader=request.user)
    if request.method == "POST" and form.is_valid():
        data, files = form.split()
        try:
            nomination = services.nomination_update(
                actor=request.user, nomination=nomination, data=data, id_number=form.cleaned_data["id_number"],
                mobile=form.cleaned_data["mobile"], files=files)
        except (ValidationError, TransitionNotAllowed) as error:
            show_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
            form.keep_uploads()
        else:
            form.forget_kept()
            messages.success(request, _("The nomination was saved."))
            return redirect(nomination)
    return render(request, "awards/nomination_form.html", {"form": form, "selection": nomination.selection,
                                                           "nomination": nomination,
                                                           "title": _("Edit nomination")})


@permission_required("awards.view")
@never_cache
@require_http_methods(["GET", "POST"])
def nomination_detail(request, pk):
    nomination = selectors.nomination_get_visible(user=request.user, pk=pk)
    revealed = None
    if request.method == "POST" and "reveal" in request.POST:
        revealed = services.personal_reveal(actor=request.user, nomination=nomination)
    user = request.user
    quota_blocked = selectors.submit_blocked_by_quota(nomination)
    actions = []
    for (state, action), _target in services.TRANSITIONS.items():
        if state == nomination.status and action in services.ACTION_PERMISSION and can(
                user, services.ACTION_PERMISSION[action], nomination) and not (action == "submit" and quota_blocked):
            actions.append((action, services.action_labels()[action]))
    return render(request, "awards/nomination.html", {
        "nomination": nomination, "selection": nomination.selection,
        "mobile": personal.nominee_mobile(nomination), "id_number": personal.nominee_id_number(nomination),
        "revealed": revealed, "can_reveal": can(user, "awards.reveal_personal", nomination),
        "missing": selectors.missing_items(nomination) if nomination.is_editable else [],
        "problems": selectors.eligibility_problems(nomination), "quota_blocked": quota_blocked,
        "life_photos": nomination.life_photos.all(), "actions": actions,
        "can_edit": can(user, "nomination.edit", nomination),
        "objections": nomination.objections.all() if can(user, "awards.manage") else [],
    })


@permission_required("awards.view")
@require_http_methods(["GET", "POST"])
def nomination_transition(request, pk, action):
    nomination = selectors.nomination_get_visible(user=request.user, pk=pk)
    if action not in services.ACTION_PERMISSION:
        raise Http404
    form = ReasonForm(request.POST or None)
    needs_reason = action in services.REASON_REQUIRED
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_transition(actor=request.user, nomination=nomination, action=action,
                                           reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            if not needs_reason:
                return redirect(nomination)
            show_errors(form, error)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return redirect(nomination)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": services.action_labels()[action]})
            return redirect(nomination)
    return render(request, "core/confirm.html", {
        "title": services.action_labels()[action], "question": _("%(action)s: %(name)s?") % {
            "action": services.action_labels()[action], "name": nomination.name},
        "form": form if needs_reason or action == "pass" else None, "button_label": services.action_labels()[action],
        "button_class": "primary", "cancel_url": nomination.get_absolute_url()})


@permission_required("awards.view")
def nomination_docx(request, pk):
    nomination = selectors.nomination_get_visible(user=request.user, pk=pk)
    return exports.nomination_docx_response(user=request.user, nomination=nomination)


@permission_required("awards.view")
def summary_xlsx(request, pk):
    selection = _selection(pk)
    return exports.summary_xlsx_response(user=request.user, selection=selection)


# --- experts and review ----------------------------------------------------------------------------------

@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def assignments(request, pk):
    selection = _selection(pk)
    assign_form = AssignForm(selection=selection, prefix="a")
    invite_form = ExpertInviteForm(prefix="e")
    if request.method == "POST" and "invite" in request.POST:
        invite_form = ExpertInviteForm(request.POST, prefix="e")
        if invite_form.is_valid():
            services.expert_invite(actor=request.user, **invite_form.cleaned_data)
            messages.success(request, _("The expert was invited."))
            return redirect("awards:assignments", pk=pk)
    elif request.method == "POST" and "remind" in request.POST:
        count = services.assignments_remind(actor=request.user, selection=selection)
        messages.success(request, _("%(n)d experts were reminded.") % {"n": count})
        return redirect("awards:assignments", pk=pk)
    elif request.method == "POST":
        assign_form = AssignForm(request.POST, selection=selection, prefix="a")
        if assign_form.is_valid():
            try:
                created = services.assignments_create(actor=request.user, expert=assign_form.cleaned_data["expert"],
                                                      nominations=list(assign_form.cleaned_data["nominations"]))
            except ValidationError as error:
                show_errors(assign_form, error)
            else:
                messages.success(request, _("%(n)d reviews were assigned.") % {"n": len(created)})
                return redirect("awards:assignments", pk=pk)
    progress = selectors.assignment_progress(selection).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("expert")))
    page = paginate(request, progress)
    return render(request, "awards/assignments.html", {
        "selection": selection, "assign_form": assign_form, "invite_form": invite_form, "page_obj": page,
        "rows": page.object_list})


@permission_required("awards.review")
def reviews(request):
    page = paginate(request, selectors.assignments_for_expert(user=request.user))
    return render(request, "awards/reviews.html", {"page_obj": page, "assignments": page.object_list})


@permission_required("awards.review")
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = selectors.assignment_get_for_expert(user=request.user, pk=pk)
    nomination = assignment.nomination
    criteria = list(nomination.selection.criteria.all())
    form = ScoreForm(request.POST or None, criteria=criteria, prefix="s")
    decline_form = ReasonForm(prefix="d")
    if request.method == "POST" and "decline" in request.POST:
        decline_form = ReasonForm(request.POST, prefix="d")
        if decline_form.is_valid():
            try:
                services.assignment_decline(actor=request.user, assignment=assignment,
                                            reason=decline_form.cleaned_data["reason"])
            except (ValidationError, TransitionNotAllowed) as error:
                decline_form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
            else:
                messages.success(request, _("You declined this review."))
                return redirect("awards:reviews")
    elif request.method == "POST" and form.is_valid():
        try:
            services.assignment_score(actor=request.user, assignment=assignment, scores=form.scores(),
                                      comment=form.cleaned_data["comment"])
        except ValidationError as error:
            show_errors(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("awards:reviews")
    return render(request, "awards/review.html", {
        "assignment": assignment, "nomination": nomination, "form": form, "decline_form": decline_form,
        "life_photos": nomination.life_photos.all(), "my_scores": assignment.scores.select_related("criterion")})


# --- ranking, decision, notice, release -------------------------------------------------------------

@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def ranking(request, pk):
    selection = _selection(pk)
    rows = selectors.ranking(selection)
    missing = selectors.missing_reviews(selection)
    initial = [r.nomination.pk for r in rows if r.nomination.status == S.FINALIST]
    form = DecisionForm(request.POST or None, rows=rows, missing=missing, initial={"finalists": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.selection_decide(actor=request.user, selection=selection,
                                      finalist_ids=form.cleaned_data["finalists"], reason=form.cleaned_data["reason"],
                                      confirm_incomplete=form.cleaned_data.get("confirm_incomplete", False),
                                      incomplete_reason=form.cleaned_data.get("incomplete_reason", ""))
        except ValidationError as error:
            show_errors(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The committee's decision was recorded."))
            return redirect("awards:ranking", pk=pk)
    return render(request, "awards/ranking.html", {"selection": selection, "rows": rows, "form": form,
                                                   "missing": missing})


def _checked(form, check, selection) -> bool:
    """Whether the service's check passes; if not, its reason is shown on the form."""
    try:
        check(selection)
    except ValidationError as error:
        show_errors(form, error)
        return False
    except TransitionNotAllowed as error:
        form.add_error(None, error.message)
        return False
    return True


def _preview(request, *, form, selection, kind: str, title: str, **context):
    """The page showing exactly what the public will see, with the button 「发布」."""
    return render(request, "awards/publish_preview.html", {"form": form, "selection": selection, "kind": kind,
                                                           "title": title, "preview": True, **context})


@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def notice_publish(request, pk):
    """Fill in the notice, see the public page as it will be, then 「发布」 (nothing is public before)."""
    selection = _selection(pk)
    title = _("Publish the public notice")
    form = NoticeForm(request.POST or None, initial={"start": clock.today(), "text": exports.default_notice_text(
        selection)})
    if request.method == "POST" and form.is_valid():
        if "publish" in request.POST:
            try:
                services.notice_publish(actor=request.user, selection=selection, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            except TransitionNotAllowed as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The public notice is online."))
                return redirect("awards:public_notice", slug=selection.campaign.slug)
        elif "edit" not in request.POST and _checked(form, services.notice_check, selection):
            start = form.cleaned_data["start"]
            return _preview(request, form=form, selection=selection, kind="notice", title=title,
                            notice_text=form.cleaned_data["text"].strip(), notice_start=start,
                            notice_end=workdays.add_working_days(start, selection.notice_working_days),
                            finalists=selectors.finalists_for_notice(selection))
    return render(request, "awards/form.html", {"form": form, "title": title, "selection": selection,
                                                "submit_label": _("Preview")})


@permission_required("awards.manage")
def objections(request, pk):
    selection = _selection(pk)
    page = paginate(request, selectors.objections_for(user=request.user, selection=selection))
    return render(request, "awards/objections.html", {"selection": selection, "page_obj": page,
                                                      "objections": page.object_list})


@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def objection_decide(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("nomination__selection"), pk=pk)
    form = ObjectionDecideForm(request.POST or None, instance=objection)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_decide(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The outcome of the objection was recorded."))
            return redirect("awards:objections", pk=objection.nomination.selection_id)
    return render(request, "awards/objection.html", {
        "objection": objection, "form": form, "phone": personal.mask_mobile(personal.decrypt(
            objection.phone_encrypted)), "attachments": objection.attachments.all()})


@permission_required("awards.manage")
@require_http_methods(["GET", "POST"])
def release(request, pk):
    """Fill in the announcement, see the public page as it will be, then 「发布」."""
    selection = _selection(pk)
    title = _("Release the winners")
    form = ReleaseForm(request.POST or None, initial={"announcement": exports.default_announcement(selection)})
    if request.method == "POST" and form.is_valid():
        if "publish" in request.POST:
            try:
                services.selection_release(actor=request.user, selection=selection, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            except TransitionNotAllowed as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The winners are released."))
                return redirect("awards:announcement", slug=selection.campaign.slug)
        elif "edit" not in request.POST and _checked(form, services.release_check, selection):
            return _preview(request, form=form, selection=selection, kind="announcement", title=title,
                            announcement_text=form.cleaned_data["announcement"].strip(),
                            winners=selectors.winners_to_release(selection))
    return render(request, "awards/form.html", {"form": form, "title": title, "selection": selection,
                                                "submit_label": _("Preview")})


@permission_required("awards.manage")
def export(request, pk, kind):
    selection = _selection(pk)
    makers = {"ranking.xlsx": exports.ranking_xlsx_response, "committee.docx": exports.committee_docx_response,
              "notice.docx": exports.notice_docx_response}
    if kind not in makers:
        raise Http404
    return makers[kind](user=request.user, selection=selection)


# --- public ------------------------------------------------------------------------------------------

def _public_selection(slug) -> Selection:
    return get_object_or_404(Selection.objects.select_related("campaign"), campaign__slug=slug)


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def public_notice(request, slug):
    """The 公示 page: finalists' name, workplace, title and deeds summary, and the objection form."""
    selection = _public_selection(slug)
    if selection.stage == Selection.Stage.RELEASED:
        return redirect("awards:announcement", slug=slug)
    if selection.stage != Selection.Stage.NOTICE:
        raise Http404
    finalists = selectors.finalists_for_notice(selection)
    today = clock.today()
    is_open = selection.notice_start <= today <= selection.notice_end
    form = ObjectionForm(request.POST or None, request.FILES or None, finalists=finalists)
    status = 200
    if request.method == "POST" and is_open and form.is_valid():
        if not throttle_allow(request, scope="awards.objection", limit=5, window_seconds=3600):
            form.add_error(None, _("Too many objections were filed from your network. Please try again in an "
                                   "hour, or write to the organisers."))
            status = 429
        else:
            try:
                objection = services.objection_file(selection=selection, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                # The receipt code is shown once, on the next page.
                request.session[OBJECTION_RECEIPT] = objection.receipt_code
                return redirect("awards:public_notice", slug=slug)
    receipt = request.session.pop(OBJECTION_RECEIPT, None) if request.method == "GET" else None
    return render(request, "awards/public_notice.html", {
        "selection": selection, "finalists": finalists, "form": form, "is_open": is_open, "receipt": receipt},
        status=status)


@public_view
def announcement(request, slug):
    """The announcement of the winners (发布)."""
    selection = _public_selection(slug)
    if selection.stage != Selection.Stage.RELEASED:
        raise Http404
    return render(request, "awards/announcement.html", {"selection": selection,
                                                        "winners": selectors.winners(selection)})


@public_view
def exhibition(request, slug):
    """「榜样的力量——最美科技工作者风采展」: every winner's photo and story."""
    selection = _public_selection(slug)
    if selection.stage != Selection.Stage.RELEASED:
        raise Http404
    return render(request, "awards/exhibition.html", {"selection": selection,
                                                      "winners": selectors.winners(selection)})


def _winner(public_id) -> Nomination:
    return get_object_or_404(Nomination.objects.select_related("unit", "selection__campaign", "id_photo", "video"),
                             public_id=public_id, status=S.WINNER, selection__stage=Selection.Stage.RELEASED)


@public_view
def profile(request, public_id):
    nomination = _winner(public_id)
    return render(request, "awards/profile.html", {
        "nomination": nomination, "selection": nomination.selection,
        "life_photos": nomination.life_photos.all() if nomination.consent_publish else [],
        "share_url": request.build_absolute_uri(nomination.get_public_url())})


@public_view
def poster(request, public_id):
    nomination = _winner(public_id)
    return HttpResponse(exports.poster_png(nomination), content_type="image/png")
