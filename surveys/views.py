"""The survey's pages: answering (public, phone first) and managing (builder, ways in, results)."""


import segno
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.permissions import can
from audit.services import audit_record
from core.decorators import permission_required, public_view
from core.device import device_id, is_new_device, set_device_cookie, with_device  # noqa: F401 (surveys.api)
from core.middleware import client_ip
from core.pagination import paginate
from organisations.models import Unit

from . import disclosure, exports, selectors, services
from .forms import (
    CodeEntryForm,
    CodesForm,
    CopyForm,
    HeadcountForm,
    QuestionForm,
    ResultsFilterForm,
    SectionForm,
    SurveyCreateForm,
    SurveyForm,
)
from .models import AnswerCode, Question, QuestionKind, SurveyLink

# The respondent's device: core.device (shared with the activity check-in).


def raw_from_post(post, questions) -> dict:
    """The answers as ``services.answers_clean`` reads them, from a submitted or auto-saved form."""
    raw = {}
    for question in questions:
        raw[question.code] = post.getlist(question.code) if question.kind == QuestionKind.MULTIPLE \
            else post.get(question.code, "")
        if question.allow_other:
            raw[f"{question.code}_other"] = post.get(f"{question.code}_other", "")
    return raw


# --- answering --------------------------------------------------------------------------------

def _refused(request, entry, exc: services.SurveyRefused, status: int):
    return render(request, "surveys/refused.html", {"survey": entry.survey, "reason": exc.reason,
                                                    "message": exc.message}, status=status)


REFUSAL_STATUS = {"closed": 403, "not_open": 403, "code_used": 409, "duplicate": 409, "throttled": 429,
                  "consent": 403}


def _answered_on_this_device(request, entry, device) -> bool:
    if entry.code is not None or is_new_device(request, device):
        return False  # a 填答码 has its own rule; a device seen for the first time has answered nothing
    hashed = services.device_hash(survey=entry.survey, device_id=device)
    return entry.survey.responses.filter(device_hash=hashed).exists()


@public_view
@with_device
def survey_entry(request, kind, token):
    """The opening page: what the survey is for and the consent statement, which must be accepted."""
    entry = selectors.entry_resolve(kind=kind, token=token)
    try:
        services.entry_check_open(entry)
    except services.SurveyRefused as exc:
        return _refused(request, entry, exc, REFUSAL_STATUS[exc.reason])
    device = device_id(request)
    if _answered_on_this_device(request, entry, device):
        return _refused(request, entry, services.SurveyRefused(
            "duplicate", _("This device has already answered the survey. Thank you!")), 409)
    error = None
    if request.method == "POST":
        if request.POST.get("consent") == "1":
            try:  # each consent creates a draft row: flood-proof it like a submission
                services.throttle_hit(client=f"consent:{client_ip(request) or 'unknown'}")
            except services.SurveyRefused as exc:
                return _refused(request, entry, exc, REFUSAL_STATUS[exc.reason])
            services.draft_save(entry=entry, device_id=device, consent=True)
            return redirect("surveys:answer", kind=kind, token=entry.token)
        error = _("Please accept the statement to continue.")
    return render(request, "surveys/entry.html", {"entry": entry, "survey": entry.survey, "kind": kind,
                                                  "error": error})


@public_view
@with_device
def survey_answer(request, kind, token):
    entry = selectors.entry_resolve(kind=kind, token=token)
    device = device_id(request)
    try:
        services.entry_check_open(entry)
    except services.SurveyRefused as exc:
        return _refused(request, entry, exc, REFUSAL_STATUS[exc.reason])
    draft = services.draft_get(entry=entry, device_id=device)
    if draft is None or draft.consented_at is None:
        return redirect("surveys:entry", kind=kind, token=entry.token)
    version, questions, markup = selectors.questionnaire_with_markup(entry.survey, get_language())
    errors: dict = {}
    values = draft.data or {}
    contact = {}
    if request.method == "POST":
        values = raw_from_post(request.POST, questions)
        contact = {"name": request.POST.get("contact_name", ""), "phone": request.POST.get("contact_phone", "")}
        try:
            services.response_submit(entry=entry, questions=questions, device_id=device, raw=values, consent=True,
                                     contact=contact, client=client_ip(request) or "unknown")
        except services.SurveyRefused as exc:
            return _refused(request, entry, exc, REFUSAL_STATUS[exc.reason])
        except ValidationError as exc:
            errors = exc.message_dict
            services.draft_save(entry=entry, device_id=device, data=values)
        else:
            return redirect("surveys:done", kind=kind, token=entry.token)
    context = _form_context(entry.survey, questions, values, errors)
    if not values and not errors:  # a first visit: the unanswered questions are the same for everyone
        if markup is None:
            markup = render_to_string("surveys/_questions.html", context)
            selectors.questionnaire_markup_keep(entry.survey, get_language(), version, markup)
        context["questions_markup"] = markup
    return render(request, "surveys/answer.html", context | {
        "entry": entry, "kind": kind, "contact": contact,
        "draft_url": reverse("surveys:draft", kwargs={"kind": kind, "token": entry.token}),
    }, status=400 if errors else 200)


CHOICE_INPUT = (
    '<div class="form-check{inline} py-1"><input class="form-check-input" type="{type}" name="{name}" id="{id}" '
    'value="{value}"{checked}{other}><label class="form-check-label" for="{id}">{label}</label></div>'
)


def _choice_inputs(question, selected: list[str]) -> str:
    """The radio buttons or check boxes of a choice or scale question, as HTML.

    Built here rather than in the template: a questionnaire has well over a hundred options, and
    the answer page is the page every respondent opens, so its markup is made in one pass.
    """
    if not (question.is_choice or question.kind == "scale"):
        return ""
    kind = "checkbox" if question.kind == "multiple" else "radio"
    inline = " form-check-inline" if question.kind == "scale" else ""
    parts = []
    for option in question.options.all():
        value = str(option.code)
        parts.append(format_html(
            CHOICE_INPUT, inline=inline, type=kind, name=question.code, id=f"{question.code}-{value}", value=value,
            checked=mark_safe(" checked") if value in selected else "",  # noqa: S308 - a constant
            other=format_html(' data-other="{}_other"', question.code) if option.is_other else "",
            label=option.localized_label,
        ))
    return mark_safe("".join(parts))  # noqa: S308 - each part is built by format_html


def _form_context(survey, questions, values, errors) -> dict:
    def selected(question):
        value = values.get(question.code)
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)] if value not in (None, "") else []

    def sections():  # called by the template only when it renders the questions (not from the cache)
        return [(section, [_item(q, selected(q)) for q in section_questions])
                for section, section_questions in selectors.sections_with_questions(questions)]

    def _item(q, chosen):
        return {"q": q, "selected": chosen, "other": values.get(f"{q.code}_other", ""),
                "errors": errors.get(q.code, []), "choices": _choice_inputs(q, chosen),
                "show_if": f"{q.show_if_option.question.code}:{q.show_if_option.code}" if q.show_if_option_id else ""}

    return {"survey": survey, "sections": sections, "errors": errors,
            "contact_errors": errors.get("contact_phone", [])}


@require_POST
@public_view
@with_device
def survey_draft(request, kind, token):
    """Auto-save of a half-finished response (fetch from the answer page); 204 or 404."""
    entry = selectors.entry_resolve(kind=kind, token=token)
    draft = services.draft_get(entry=entry, device_id=device_id(request))
    if draft is None or draft.consented_at is None:
        raise Http404
    questions = selectors.questionnaire(entry.survey)
    services.draft_save(entry=entry, device_id=device_id(request), data=raw_from_post(request.POST, questions))
    return HttpResponse(status=204)


@public_view
def survey_done(request, kind, token):
    entry = selectors.entry_resolve(kind=kind, token=token)
    return render(request, "surveys/done.html", {"survey": entry.survey})


@public_view
def code_enter(request):
    """Where a respondent types the 填答码 printed on their slip."""
    form = CodeEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if AnswerCode.objects.filter(code=code).exists():
            return redirect("surveys:entry", kind="c", token=code)
        form.add_error("code", _("This answer code does not exist; check it and try again."))
    return render(request, "surveys/code_enter.html", {"form": form})


def _qr_response(url: str) -> HttpResponse:
    qr = segno.make(url, error="m")
    return HttpResponse(qr.svg_inline(scale=5, dark="#111"), content_type="image/svg+xml")


@public_view
def link_qr(request, token):
    """The QR code of a survey link (public: the link itself is what is shared)."""
    link = get_object_or_404(SurveyLink, token=token)
    return _qr_response(request.build_absolute_uri(reverse("surveys:entry", kwargs={"kind": "s",
                                                                                     "token": link.token})))


# --- managing: the builder --------------------------------------------------------------------

MANAGE = "surveys.manage"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@permission_required("surveys.units")
def manage_list(request):
    from campaigns.selectors import chosen_campaign_light

    page_obj = paginate(request, selectors.survey_list_for(request.user, campaign=chosen_campaign_light(request)))
    return render(request, "surveys/manage_list.html", {"page_obj": page_obj,
                                                        "can_manage": can(request.user, MANAGE)})


@permission_required(MANAGE)
def survey_create(request):
    form = SurveyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            survey = services.survey_create(actor=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The survey was created; now add its questions."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "title": _("New survey")})


@permission_required(MANAGE)
def survey_detail(request, pk):
    survey = selectors.survey_for(request.user, pk)
    questions = selectors.questions_of(survey)
    open_link = survey.links.filter(unit__isnull=True).first()
    return render(request, "surveys/detail.html", {
        "survey": survey, "sections": selectors.sections_with_questions(questions),
        "empty_sections": survey.sections.exclude(questions__isnull=False),
        "open_link": open_link, "response_count": survey.responses.count(),
    })


@permission_required(MANAGE)
def survey_edit(request, pk):
    survey = selectors.survey_for(request.user, pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if survey.is_locked:
        form.fields["asks_contact"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=request.user, survey=survey,
                                   **{k: form.cleaned_data[k] for k in services.SURVEY_FIELDS})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "survey": survey, "title": _("Survey settings")})


@permission_required(MANAGE)
def section_add(request, pk):
    survey = selectors.survey_for(request.user, pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_add(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "survey": survey, "title": _("New section")})


@permission_required(MANAGE)
def question_edit(request, pk, qid=None):
    survey = selectors.survey_for(request.user, pk)
    question = get_object_or_404(Question, pk=qid, survey=survey) if qid else None
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "options_text"}
        try:
            services.question_save(actor=request.user, survey=survey, question=question, data=data,
                                   options=form.options())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/form.html", {
        "form": form, "survey": survey, "title": _("Edit question") if question else _("New question"),
        "locked_note": survey.is_locked,
    })


@permission_required(MANAGE)
def question_delete(request, pk, qid):
    survey = selectors.survey_for(request.user, pk)
    question = get_object_or_404(Question, pk=qid, survey=survey)
    if request.method == "POST":
        try:
            services.question_delete(actor=request.user, question=question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("surveys:detail", pk=survey.pk)
    return render(request, "core/confirm.html", {
        "title": _("Delete question"), "question": _("Delete the question “%(q)s”?") % {"q": question.text},
        "button_label": _("Delete"), "cancel_url": reverse("surveys:detail", kwargs={"pk": survey.pk}),
    })


@permission_required(MANAGE)
@require_POST
def question_move(request, pk, qid, direction):
    survey = selectors.survey_for(request.user, pk)
    question = get_object_or_404(Question, pk=qid, survey=survey)
    try:
        services.question_move(actor=request.user, question=question, direction=-1 if direction == "up" else 1)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("surveys:detail", kwargs={"pk": survey.pk}) + f"#q-{question.pk}")


@permission_required(MANAGE)
def survey_copy(request, pk):
    survey = selectors.survey_for(request.user, pk)
    form = CopyForm(request.POST or None, initial={"slug": f"{survey.slug}-v{survey.version + 1}"})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.survey_copy(actor=request.user, survey=survey, slug=form.cleaned_data["slug"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("A new version was made; it can be changed freely until it is answered."))
            return redirect("surveys:detail", pk=copy.pk)
    return render(request, "surveys/form.html", {"form": form, "survey": survey, "title": _("New version")})


@permission_required(MANAGE)
def survey_preview(request, pk):
    survey = selectors.survey_for(request.user, pk)
    return render(request, "surveys/preview.html", {"survey": survey})


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@permission_required(MANAGE)
def survey_preview_frame(request, pk):
    survey = selectors.survey_for(request.user, pk)
    questions = selectors.questions_of(survey)
    return render(request, "surveys/answer.html", _form_context(survey, questions, {}, {}) | {"preview": True})


# --- managing: ways in ------------------------------------------------------------------------

@permission_required("surveys.units")
def survey_units(request, pk):
    """Unit links, expected headcounts, response counts and rates; coordinators see their own units only."""
    survey = selectors.survey_for(request.user, pk, "surveys.units")
    organiser = can(request.user, MANAGE)
    if request.method == "POST" and organiser:
        created = services.unit_links_ensure(actor=request.user, survey=survey,
                                             units=Unit.objects.filter(is_active=True))
        messages.success(request, _("%(n)s unit links were created.") % {"n": created})
        return redirect("surveys:units", pk=survey.pk)
    rows = selectors.unit_rates(survey=survey, user=request.user)
    if not organiser and not rows:
        raise Http404
    return render(request, "surveys/units.html", {
        "survey": survey, "rows": rows, "organiser": organiser,
        "districts": selectors.district_rates(survey=survey) if organiser else None,
        "open_link": survey.links.filter(unit__isnull=True).first() if organiser else None,
    })


@permission_required(MANAGE)
@require_POST
def link_headcount(request, pk, link_id):
    survey = selectors.survey_for(request.user, pk)
    link = get_object_or_404(SurveyLink, pk=link_id, survey=survey, unit__isnull=False)
    form = HeadcountForm(request.POST)
    if form.is_valid():
        try:
            services.link_set_headcount(actor=request.user, link=link,
                                        expected_headcount=form.cleaned_data["expected_headcount"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("surveys:units", pk=survey.pk)


@permission_required("surveys.units")
def unit_codes(request, pk, unit_id):
    """A unit's 填答码: organisers generate batches; the unit's coordinator prints them. 404 for others."""
    survey = selectors.survey_for(request.user, pk, "surveys.units")
    unit = get_object_or_404(Unit, pk=unit_id)
    if not can(request.user, "survey.unit_view", unit):
        raise Http404
    organiser = can(request.user, MANAGE)
    form = CodesForm(request.POST or None)
    if request.method == "POST":
        if not organiser:
            raise Http404
        if form.is_valid():
            try:
                batch = services.codes_generate(actor=request.user, survey=survey, unit=unit,
                                                count=form.cleaned_data["count"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect(reverse("surveys:codes", kwargs={"pk": survey.pk, "unit_id": unit.pk})
                                + f"?batch={batch}")
    codes = AnswerCode.objects.filter(survey=survey, unit=unit).order_by("batch", "id")
    batch = request.GET.get("batch")
    if batch and batch.isdigit():
        codes = codes.filter(batch=int(batch))
    page_obj = paginate(request, codes, per_page=100)
    return render(request, "surveys/codes.html", {
        "survey": survey, "unit": unit, "page_obj": page_obj, "form": form if organiser else None,
        "code_url": request.build_absolute_uri(reverse("surveys:code_enter")),
    })


# --- managing: results ------------------------------------------------------------------------

def _filters(form) -> selectors.Filters:
    if not form.is_valid():
        return selectors.Filters()
    data = form.cleaned_data
    return selectors.Filters(unit=data["unit"].pk if data.get("unit") else None,
                             district=data["district"].pk if data.get("district") else None,
                             date_from=data.get("date_from"), date_to=data.get("date_to"))


def _crosstab(form, questions, survey, filters):
    if not form.is_valid() or not form.cleaned_data.get("target") or not form.cleaned_data.get("by"):
        return None
    by_id = {q.pk: q for q in questions}
    target, by = by_id.get(form.cleaned_data["target"]), by_id.get(form.cleaned_data["by"])
    if target is None or by is None or target.pk == by.pk:
        return None
    return selectors.crosstab(survey=survey, target=target, by=by, filters=filters)


@permission_required(MANAGE)
def survey_results(request, pk):
    survey = selectors.survey_for(request.user, pk)
    questions = selectors.questions_of(survey)
    form = ResultsFilterForm(request.GET or None, survey=survey, questions=questions)
    filters = _filters(form)
    results = selectors.survey_results(survey=survey, questions=questions, filters=filters)
    table = _crosstab(form, questions, survey, filters) if not results.too_small else None
    charts = [{"id": f"chart-{q['code']}", "labels": [o["label"] for o in q["options"]],
               "counts": [o["count"] for o in q["options"]]}
              for q in results.questions if q["options"]]
    return render(request, "surveys/results.html", {
        "survey": survey, "results": results, "form": form, "crosstab": table, "charts": charts,
        "query": request.GET.urlencode(),
    })


def _problems_enabled() -> bool:
    """Whether the problems ledger offers to turn an open answer into a problem (the problems app)."""
    try:
        from problems import services as problem_services
    except ImportError:
        return False
    return hasattr(problem_services, "problem_create_from_answer")


@permission_required(MANAGE)
def open_texts(request, pk, qid):
    survey = selectors.survey_for(request.user, pk)
    question = get_object_or_404(Question, pk=qid, survey=survey, kind__in=[QuestionKind.SHORT_TEXT,
                                                                              QuestionKind.LONG_TEXT])
    questions = selectors.questions_of(survey)
    form = ResultsFilterForm(request.GET or None, survey=survey, questions=questions)
    keyword = request.GET.get("q", "").strip()[:50]
    texts = selectors.open_texts(survey=survey, question=question, filters=_filters(form), keyword=keyword)
    page_obj = paginate(request, texts) if texts is not None else None
    return render(request, "surveys/texts.html", {
        "survey": survey, "question": question, "page_obj": page_obj, "keyword": keyword, "form": form,
        "too_small": texts is None, "problems_enabled": _problems_enabled() and can(request.user, "problems.manage"),
    })


@permission_required(MANAGE)
@require_POST
def answer_to_problem(request, pk, answer_id):
    """Hand an open answer to the problems ledger; the problem keeps only the text and where it came from."""
    survey = selectors.survey_for(request.user, pk)
    if not _problems_enabled():
        raise Http404
    from problems import services as problem_services

    answer = get_object_or_404(survey_answer_queryset(survey).select_related("question"), pk=answer_id)
    problem = problem_services.problem_create_from_answer(
        actor=request.user, text=answer.text, source_ref=str(answer.pk),
        source_label=f"{survey.title} · {answer.question.code} {answer.question.text}",
    )
    messages.success(request, _("The answer was added to the problems ledger."))
    return redirect(problem.get_absolute_url())


def survey_answer_queryset(survey):
    from .models import Answer

    return Answer.objects.filter(question__survey=survey).exclude(text="")


@permission_required(MANAGE)
def survey_export(request, pk, fmt):
    """Raw responses (.xlsx, .csv with codebook) and the results report (.docx); organisers only, audited."""
    survey = selectors.survey_for(request.user, pk)
    if fmt not in exports.EXPORTERS:
        raise Http404
    questions = selectors.questions_of(survey)
    form = ResultsFilterForm(request.GET or None, survey=survey, questions=questions)
    filters = _filters(form)
    decision = disclosure.decide(survey, filters)
    if filters.active and not decision.allowed:  # the same rule as the results they come from
        messages.error(request, decision.reason)
        return redirect(f"{reverse('surveys:results', args=[survey.pk])}?{request.GET.urlencode()}")
    filters = decision.filters
    if fmt == "docx":
        response = exports.export_docx(survey=survey, questions=questions, filters=filters,
                                       crosstab=_crosstab(form, questions, survey, filters))
    else:
        response = exports.EXPORTERS[fmt](survey=survey, questions=questions, filters=filters)
    audit_record(action=f"surveys.survey.exported_{fmt}", actor=request.user, obj=survey)
    return response
