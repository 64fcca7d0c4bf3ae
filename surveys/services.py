"""Every write of the survey: building a questionnaire, its ways in (links, 填答码) and the answers.

Builder services check the organiser permission, refuse structural changes once the first real
response exists (wording may still be fixed), write in one transaction and leave an audit entry.
``response_submit`` is the one path of an answer, for the page and the API alike; it writes no
audit entry on purpose, because an audit row carries the IP and would tie the answers to a person.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit_record, diff_fields, snapshot
from core import clock, throttle, versioned_cache
from organisations.models import District, Unit, level_unit_type_choices

from . import crypto
from .models import (
    CHOICE_KINDS,
    Answer,
    AnswerCode,
    Draft,
    Option,
    Question,
    QuestionKind,
    RespondentContact,
    Response,
    Section,
    Survey,
    SurveyLink,
)
from .tallies import tallies_fold, tallies_rebuild, tallies_reset  # noqa: F401 - the counting's entry points

MANAGE = "surveys.manage"
# 填答码 alphabet: no 0/O, 1/I/L, so that a code read aloud or from paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_CODES_PER_BATCH = 1000
SURVEY_FIELDS = ["title", "title_en", "introduction", "introduction_en", "consent_text", "opens_at", "closes_at",
                 "asks_contact"]
# What may still change once the structure is locked.
WORDING_QUESTION_FIELDS = ["text", "text_en", "help_text"]
STRUCTURE_QUESTION_FIELDS = ["kind", "required", "allow_other", "max_choices", "min_value", "max_value",
                             "show_if_option", "section"]


class SurveyRefused(Exception):
    """A submission refused as a whole (closed, already answered, code used, throttled, no consent)."""

    def __init__(self, reason: str, message: str):
        self.reason, self.message = reason, message
        super().__init__(message)


# --- building ---------------------------------------------------------------------------------

def _locked(survey: Survey) -> Survey:
    """The survey, locked for a change of the questionnaire: the cached questionnaire is forgotten."""
    from .selectors import questionnaire_version_key

    versioned_cache.bump(questionnaire_version_key(survey.pk))
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _refuse_if_locked(survey: Survey) -> None:
    if survey.is_locked:
        raise ValidationError(_("Responses have arrived, so the questionnaire's structure is locked; only the "
                                "wording can be corrected. Make a new version to change more."))


def _new_token() -> str:
    return secrets.token_urlsafe(12)


def survey_create(*, actor, campaign, slug: str, title: str, consent_text: str, opens_at: datetime,
                  closes_at: datetime, title_en: str = "", introduction: str = "", introduction_en: str = "",
                  asks_contact: bool = False, first_section: str = "") -> Survey:
    """A new, empty questionnaire with its first section and its open link."""
    require(actor, MANAGE)
    if opens_at >= closes_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    if Survey.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A survey with this short name already exists.")})
    with transaction.atomic():
        survey = Survey.objects.create(
            campaign=campaign, slug=slug, title=title, title_en=title_en, introduction=introduction,
            introduction_en=introduction_en, consent_text=consent_text, opens_at=opens_at, closes_at=closes_at,
            asks_contact=asks_contact,
        )
        Section.objects.create(survey=survey, order=1, title=first_section or _("Basic information"))
        SurveyLink.objects.create(survey=survey, token=_new_token())
        audit_record(action="surveys.survey.created", actor=actor, obj=survey)
    return survey


def survey_update(*, actor, survey: Survey, **fields) -> Survey:
    """Change the survey's wording, dates and settings; ``asks_contact`` is structure."""
    require(actor, MANAGE)
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise ValueError(f"Not survey fields: {unknown}")
    with transaction.atomic():
        survey = _locked(survey)
        if "asks_contact" in fields and fields["asks_contact"] != survey.asks_contact:
            _refuse_if_locked(survey)
        opens_at, closes_at = fields.get("opens_at", survey.opens_at), fields.get("closes_at", survey.closes_at)
        if opens_at >= closes_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})
        before = snapshot(survey, list(fields))
        for name, value in fields.items():
            setattr(survey, name, value)
        survey.save(update_fields=[*fields, "updated_at"])
        audit_record(action="surveys.survey.updated", actor=actor, obj=survey,
                     changes=diff_fields(survey, before, list(fields)))
    return survey


def section_add(*, actor, survey: Survey, title: str, title_en: str = "") -> Section:
    require(actor, MANAGE)
    with transaction.atomic():
        survey = _locked(survey)
        _refuse_if_locked(survey)
        order = (survey.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = Section.objects.create(survey=survey, order=order, title=title, title_en=title_en)
        audit_record(action="surveys.section.created", actor=actor, obj=section)
    return section


def _picker_options(kind: str) -> list[tuple[str, str]]:
    if kind == QuestionKind.DISTRICT:
        return [(d.name, d.name_en) for d in District.objects.order_by("order", "id")]
    if kind == QuestionKind.UNIT_TYPE:
        from django.utils import translation

        with translation.override("zh-hans"):
            chinese = [str(label) for _value, label in level_unit_type_choices()]
        with translation.override("en"):
            english = [str(label) for _value, label in level_unit_type_choices()]
        return list(zip(chinese, english, strict=True))
    return []


def _validate_question(survey: Survey, question: Question, options: list[tuple[str, str]]) -> None:
    errors: dict[str, list[str]] = {}
    if question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE} and len(options) < 2:
        errors.setdefault("options", []).append(_("A choice question needs at least two options."))
    if question.kind == QuestionKind.SCALE and (question.min_value is None or question.max_value is None
                                                or not 2 <= question.max_value - question.min_value + 1 <= 11):
        errors.setdefault("max_value", []).append(_("A rating scale needs a minimum and a maximum, 2 to 11 points."))
    if (question.min_value is not None and question.max_value is not None
            and question.min_value > question.max_value):
        errors.setdefault("max_value", []).append(_("The maximum must not be below the minimum."))
    if question.max_choices is not None and question.kind != QuestionKind.MULTIPLE:
        question.max_choices = None
    condition = question.show_if_option
    if condition is not None:
        source = condition.question
        if (source.survey_id != survey.pk or source.kind not in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
                or source.pk == question.pk or (question.pk and source.order >= question.order)):
            errors.setdefault("show_if_option", []).append(
                _("A question can only depend on an earlier single or multiple choice question."))
    if errors:
        raise ValidationError(errors)


def _write_options(question: Question, options: list[tuple[str, str]]) -> None:
    if question.kind in {QuestionKind.DISTRICT, QuestionKind.UNIT_TYPE}:
        options = _picker_options(question.kind)
    if question.kind == QuestionKind.SCALE:
        low, high = int(question.min_value), int(question.max_value)
        labels = dict(enumerate(options, start=low))
        options = [labels.get(point, (str(point), str(point))) for point in range(low, high + 1)]
        codes = list(range(low, high + 1))
    else:
        codes = list(range(1, len(options) + 1))
    if question.kind not in CHOICE_KINDS | {QuestionKind.SCALE}:
        options, codes = [], []
    wanted = {code: (label, label_en, False) for code, (label, label_en) in zip(codes, options, strict=True)}
    if question.allow_other and question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}:
        # 97 "other": a fixed code far from the others keeps codebooks stable when options are added.
        wanted[97] = ("其他（请注明）", "Other (please specify)", True)
    # Update in place by code, so that display logic pointing at an option survives an edit.
    existing = {o.code: o for o in question.options.all()}
    question.options.exclude(code__in=list(wanted)).delete()
    for code, (label, label_en, is_other) in wanted.items():
        option = existing.get(code)
        if option is None:
            Option.objects.create(question=question, code=code, label=label, label_en=label_en, is_other=is_other)
        elif (option.label, option.label_en, option.is_other) != (label, label_en, is_other):
            option.label, option.label_en, option.is_other = label, label_en, is_other
            option.save(update_fields=["label", "label_en", "is_other"])


def question_save(*, actor, survey: Survey, data: dict, options: list[tuple[str, str]],
                  question: Question | None = None) -> Question:
    """Create or change a question. Once locked, only its wording and its options' labels change."""
    require(actor, MANAGE)
    with transaction.atomic():
        survey = _locked(survey)
        if question is None:
            _refuse_if_locked(survey)
            order = (survey.questions.aggregate(m=Max("order"))["m"] or 0) + 1
            question = Question(survey=survey, order=order, code=data.get("code") or f"q{order}")
            if Question.objects.filter(survey=survey, code=question.code).exists():
                question.code = f"q{order}_{secrets.token_hex(2)}"
            created = True
        else:
            question = Question.objects.select_for_update().get(pk=question.pk, survey=survey)
            created = False
        before = snapshot(question, WORDING_QUESTION_FIELDS + STRUCTURE_QUESTION_FIELDS) if not created else {}
        if survey.is_locked:
            changed = [f for f in STRUCTURE_QUESTION_FIELDS if f in data and data[f] != before.get(f)
                       and not (f in {"section", "show_if_option"} and getattr(data[f], "pk", data[f]) == before[f])]
            current = [(o.label, o.label_en) for o in question.options.all() if not o.is_other]
            if changed or (question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
                           and len(options) != len(current)):
                _refuse_if_locked(survey)
        for name in WORDING_QUESTION_FIELDS + STRUCTURE_QUESTION_FIELDS:
            if name in data:
                setattr(question, name, data[name])
        _validate_question(survey, question, options)
        question.save()
        if survey.is_locked:
            by_code = {o.code: o for o in question.options.all() if not o.is_other}
            for (_code, option), (label, label_en) in zip(sorted(by_code.items()), options, strict=False):
                if (option.label, option.label_en) != (label, label_en):
                    option.label, option.label_en = label, label_en
                    option.save(update_fields=["label", "label_en"])
        else:
            _write_options(question, options)
            tallies_reset(survey=survey)  # only made-up responses can exist: count them afresh
        audit_record(action="surveys.question.created" if created else "surveys.question.updated", actor=actor,
                     obj=question, changes={} if created else diff_fields(question, before, WORDING_QUESTION_FIELDS))
    return question


def question_delete(*, actor, question: Question) -> None:
    require(actor, MANAGE)
    with transaction.atomic():
        survey = _locked(question.survey)
        _refuse_if_locked(survey)
        Question.objects.filter(show_if_option__question=question).update(show_if_option=None)
        audit_record(action="surveys.question.deleted", actor=actor, obj=question)
        question.delete()
        tallies_reset(survey=survey)


def question_move(*, actor, question: Question, direction: int) -> None:
    """Swap the question with its neighbour (-1 up, +1 down); a dependant never moves above its condition."""
    require(actor, MANAGE)
    with transaction.atomic():
        survey = _locked(question.survey)
        _refuse_if_locked(survey)
        ordered = list(survey.questions.select_related("show_if_option").order_by("order", "id"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other_index = index + direction
        if not 0 <= other_index < len(ordered):
            return
        ordered[index], ordered[other_index] = ordered[other_index], ordered[index]
        positions = {q.pk: i for i, q in enumerate(ordered)}
        for q in ordered:
            if q.show_if_option_id and positions[q.pk] <= positions.get(q.show_if_option.question_id, -1):
                raise ValidationError(_("A question cannot move above the question it depends on."))
        for i, q in enumerate(ordered, start=1):
            if q.order != i:
                q.order = i
                q.save(update_fields=["order"])
        audit_record(action="surveys.question.moved", actor=actor, obj=question, changes={"direction": direction})


def survey_copy(*, actor, survey: Survey, slug: str, campaign=None, years: int = 0) -> Survey:
    """A new, unlocked version with the same sections, questions, options and display logic; bound to
    ``campaign`` (default: the same one) with its dates and the year in its titles moved by ``years``."""
    require(actor, MANAGE)
    return survey_copy_unchecked(actor=actor, survey=survey, slug=slug, campaign=campaign, years=years)


def _shift(moment, years: int):
    if not years:
        return moment
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _year_moved(text: str, year: int, years: int) -> str:
    import re

    return re.sub(rf"(?<!\d){year}(?!\d)", str(year + years), text) if years else text


def survey_copy_unchecked(*, actor, survey: Survey, slug: str, campaign=None, years: int = 0) -> Survey:
    """survey_copy after its permission check (also used by campaigns.services.campaign_copy, which checks)."""
    if Survey.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A survey with this short name already exists.")})
    year = survey.campaign.year
    with transaction.atomic():
        copy = Survey.objects.create(
            campaign=campaign or survey.campaign, slug=slug, title=_year_moved(survey.title, year, years),
            title_en=_year_moved(survey.title_en, year, years),
            introduction=_year_moved(survey.introduction, year, years),
            introduction_en=_year_moved(survey.introduction_en, year, years),
            consent_text=survey.consent_text, opens_at=_shift(survey.opens_at, years),
            closes_at=_shift(survey.closes_at, years),
            asks_contact=survey.asks_contact, version=survey.version + 1, copied_from=survey,
        )
        SurveyLink.objects.create(survey=copy, token=_new_token())
        sections = {}
        for section in survey.sections.all():
            sections[section.pk] = Section.objects.create(survey=copy, order=section.order, title=section.title,
                                                          title_en=section.title_en)
        options = {}
        conditions = []
        for question in survey.questions.prefetch_related("options").order_by("order", "id"):
            new = Question.objects.create(
                survey=copy, section=sections[question.section_id], order=question.order, code=question.code,
                kind=question.kind, text=question.text, text_en=question.text_en, help_text=question.help_text,
                required=question.required, allow_other=question.allow_other, max_choices=question.max_choices,
                min_value=question.min_value, max_value=question.max_value,
            )
            for option in question.options.all():
                options[option.pk] = Option.objects.create(question=new, code=option.code, label=option.label,
                                                            label_en=option.label_en, is_other=option.is_other)
            if question.show_if_option_id:
                conditions.append((new, question.show_if_option_id))
        for new, option_id in conditions:
            new.show_if_option = options[option_id]
            new.save(update_fields=["show_if_option"])
        audit_record(action="surveys.survey.copied", actor=actor, obj=copy,
                     changes={"from": survey.pk, "campaign": copy.campaign.slug})
    return copy


# --- ways in ----------------------------------------------------------------------------------

def unit_links_ensure(*, actor, survey: Survey, units) -> int:
    """Give each of ``units`` its own link to the survey; return how many were created."""
    require(actor, MANAGE)
    with transaction.atomic():
        existing = set(survey.links.filter(unit__isnull=False).values_list("unit_id", flat=True))
        new = [SurveyLink(survey=survey, unit=unit, token=_new_token()) for unit in units if unit.pk not in existing]
        SurveyLink.objects.bulk_create(new)
        audit_record(action="surveys.links.created", actor=actor, obj=survey, changes={"count": len(new)})
    return len(new)


def link_set_headcount(*, actor, link: SurveyLink, expected_headcount: int | None) -> SurveyLink:
    """The number of young S&T workers a unit is expected to reach (for its response rate)."""
    require(actor, MANAGE)
    if expected_headcount is not None and expected_headcount < 0:
        raise ValidationError(_("Enter a number of people, 0 or more."))
    with transaction.atomic():
        link = SurveyLink.objects.select_for_update().get(pk=link.pk)
        before = snapshot(link, ["expected_headcount"])
        link.expected_headcount = expected_headcount
        link.save(update_fields=["expected_headcount"])
        audit_record(action="surveys.link.headcount_set", actor=actor, obj=link,
                     changes=diff_fields(link, before, ["expected_headcount"]))
    return link


def codes_generate(*, actor, survey: Survey, unit: Unit, count: int) -> int:
    """A new batch of one-time 填答码 for ``unit``; returns the batch number."""
    require(actor, MANAGE)
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError(_("Generate between 1 and %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH})
    with transaction.atomic():
        survey = _locked(survey)
        batch = (AnswerCode.objects.filter(survey=survey, unit=unit).aggregate(m=Max("batch"))["m"] or 0) + 1
        codes: set[str] = set()
        while len(codes) < count:
            codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
        taken = set(AnswerCode.objects.filter(code__in=codes).values_list("code", flat=True))
        AnswerCode.objects.bulk_create(
            [AnswerCode(survey=survey, unit=unit, code=code, batch=batch) for code in sorted(codes - taken)]
        )
        audit_record(action="surveys.codes.generated", actor=actor, obj=survey,
                     changes={"unit": unit.pk, "batch": batch, "count": len(codes - taken)})
    return batch


# --- answering --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """How a respondent came in: a link (open or a unit's) or a one-time answer code."""

    survey: Survey
    link: SurveyLink | None = None
    code: AnswerCode | None = None

    @property
    def token(self) -> str:
        return self.link.token if self.link else self.code.code

    @property
    def unit(self):
        return self.link.unit if self.link else self.code.unit

    @property
    def channel(self) -> str:
        if self.code is not None:
            return Response.Channel.CODE
        return Response.Channel.UNIT if self.link.unit_id else Response.Channel.OPEN


def _keyed_hash(*parts) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def device_hash(*, survey: Survey, device_id: str) -> str:
    return _keyed_hash("device", survey.pk, device_id)


def draft_key(*, entry: Entry, device_id: str) -> str:
    return _keyed_hash("draft", entry.survey.pk, entry.token, device_id)


def throttle_hit(*, client: str, limit: int | None = None, window: int | None = None) -> None:
    """Count one submission of ``client`` (its IP) in the shared cache; refuse beyond the limit.

    The limit is generous (SCIDAY_SURVEY_THROTTLE, default 300 an hour) because a whole enterprise
    may answer from behind one NAT address during a meeting; it stops floods, while the device id
    stops repeats. Consent and submission count in separate buckets (``client`` says which).
    """
    default_limit, default_window = getattr(settings, "SCIDAY_SURVEY_THROTTLE", (300, 3600))
    limit, window = limit or default_limit, window or default_window
    if throttle.throttle_hit(scope="surveys", client=client, window_seconds=window) > limit:
        raise SurveyRefused("throttled", _("Too many submissions from your network; please try again later."))


def entry_check_open(entry: Entry) -> None:
    survey = entry.survey
    moment = clock.now()
    if moment < survey.opens_at:
        raise SurveyRefused("not_open", _("This survey opens on %(date)s.") % {
            "date": survey.opens_at.astimezone(survey.opens_at.tzinfo).strftime("%Y-%m-%d %H:%M")})
    if moment >= survey.closes_at:
        raise SurveyRefused("closed", _("This survey closed on %(date)s. Thank you for your interest.") % {
            "date": survey.closes_at.strftime("%Y-%m-%d")})
    if entry.code is not None and entry.code.used_at is not None:
        raise SurveyRefused("code_used", _("This answer code has already been used."))


def draft_save(*, entry: Entry, device_id: str, data: dict | None = None, consent: bool = False) -> Draft:
    """Keep a half-finished response (and the consent) under this device's key for this way in."""
    key = draft_key(entry=entry, device_id=device_id)
    draft, _created = Draft.objects.get_or_create(key=key, defaults={"survey": entry.survey})
    fields = ["updated_at"]
    if data is not None:
        draft.data = {k: v for k, v in data.items() if isinstance(k, str) and len(k) <= 40}
        fields.append("data")
    if consent and draft.consented_at is None:
        draft.consented_at = clock.now()
        fields.append("consented_at")
    draft.save(update_fields=fields)
    return draft


def drafts_purge() -> int:
    """Delete the unsubmitted drafts of every closed survey (as the consent statement promises)."""
    deleted, _by_model = Draft.objects.filter(survey__closes_at__lte=clock.now()).delete()
    return deleted


def draft_get(*, entry: Entry, device_id: str) -> Draft | None:
    return Draft.objects.filter(key=draft_key(entry=entry, device_id=device_id)).first()


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    value = str(value).strip()
    return [value] if value else []


def answers_clean(*, questions: list[Question], raw: dict) -> list[Answer]:
    """The answers of ``raw`` ({code: value or [values], code_other: text}) as unsaved Answer rows.

    A question hidden by its display logic is skipped, whatever was sent for it; the rest are
    checked against their type, bounds and required flag. Raises ValidationError({code: [msg]}).
    """
    errors: dict[str, list[str]] = {}
    answers: list[Answer] = []
    chosen: dict[int, set[int]] = {}  # question id -> option codes chosen
    options_of = {q.pk: {o.code: o for o in q.options.all()} for q in questions}
    option_by_id = {o.pk: o for q in questions for o in q.options.all()}

    def fail(question, message):
        errors.setdefault(question.code, []).append(message)

    for question in questions:
        condition = option_by_id.get(question.show_if_option_id) if question.show_if_option_id else None
        if question.show_if_option_id and (condition is None
                                           or condition.code not in chosen.get(condition.question_id, set())):
            continue
        values = _as_list(raw.get(question.code))
        if not values:
            if question.required:
                fail(question, _("Please answer this question."))
            continue
        if question.kind in CHOICE_KINDS or question.kind == QuestionKind.SCALE:
            if question.kind != QuestionKind.MULTIPLE and len(values) > 1:
                fail(question, _("Choose one answer."))
                continue
            try:
                codes = [int(v) for v in values]
            except ValueError:
                fail(question, _("Choose among the options shown."))
                continue
            options = options_of[question.pk]
            if any(code not in options for code in codes) or len(set(codes)) != len(codes):
                fail(question, _("Choose among the options shown."))
                continue
            if question.max_choices and len(codes) > question.max_choices:
                fail(question, _("Choose at most %(n)s answers.") % {"n": question.max_choices})
                continue
            other_text = str(raw.get(f"{question.code}_other") or "").strip()[:200]
            chosen[question.pk] = set(codes)
            for code in codes:
                option = options[code]
                if option.is_other and not other_text:
                    fail(question, _("Please specify your “other” answer."))
                answers.append(Answer(question=question, option_code=code,
                                      number=code if question.kind == QuestionKind.SCALE else None,
                                      text=other_text if option.is_other else ""))
        elif question.kind == QuestionKind.NUMBER:
            try:
                number = float(values[0])
            except ValueError:
                fail(question, _("Enter a number."))
                continue
            if number != number or number in (float("inf"), float("-inf")):
                fail(question, _("Enter a number."))
                continue
            if question.min_value is not None and number < question.min_value:
                fail(question, _("Enter a number of at least %(n)g.") % {"n": question.min_value})
                continue
            if question.max_value is not None and number > question.max_value:
                fail(question, _("Enter a number of at most %(n)g.") % {"n": question.max_value})
                continue
            answers.append(Answer(question=question, number=number))
        else:
            limit = 200 if question.kind == QuestionKind.SHORT_TEXT else 5000
            text = "\n".join(values)
            if len(text) > limit:
                fail(question, _("Please keep this answer under %(n)s characters.") % {"n": limit})
                continue
            answers.append(Answer(question=question, text=text))
    if errors:
        raise ValidationError(errors)
    return answers


def _district_of(answers: list[Answer], unit) -> int | None:
    """The respondent's district: their own answer to a district question, else their unit's."""
    for answer in answers:
        if answer.question.kind == QuestionKind.DISTRICT:
            known = getattr(answer.question, "district_ids", None)  # set by selectors.questions_of
            if known is not None:
                if answer.option_code in known:
                    return known[answer.option_code]
                continue
            option = next(o for o in answer.question.options.all() if o.code == answer.option_code)
            district = District.objects.filter(name=option.label).only("pk").first()
            if district is not None:
                return district.pk
    return unit.district_id if unit is not None else None


def _insert(response: Response, answers: list[Answer]) -> None:
    """Insert ``response`` and its ``answers`` with two statements.

    The hot path of a busy survey: the ORM's per-object work (signals, per-field preparation of
    every answer) costs more than the writing, so the columns are listed here from the models and
    each response value is prepared by its own field, as save() would.
    """
    fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(response, add=True), connection) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        # Table and column names come from the models; every value is a parameter.
        cursor.execute(f"INSERT INTO {Response._meta.db_table} ({columns}) VALUES ({marks}) RETURNING id",  # noqa: S608
                       values)
        response.pk = cursor.fetchone()[0]
        response._state.adding, response._state.db = False, connection.alias
        rows = []
        for answer in answers:
            answer.response = response
            rows += [response.pk, answer.question_id, answer.option_code, answer.number, answer.text]
        if rows:
            cursor.execute(
                f"INSERT INTO {Answer._meta.db_table} (response_id, question_id, option_code, number, text) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(answers))}", rows)


def response_submit(*, entry: Entry, questions: list[Question], device_id: str, raw: dict, consent: bool,
                    contact: dict | None = None, forget_draft: bool = True, client: str | None = None) -> Response:
    """Store one response: the single path of the answer page and the API.

    Refuses (SurveyRefused) outside the dates, without consent, from a device that has answered
    (link entries) or with a used 填答码; a code is spent with a conditional UPDATE in the same
    transaction, so of two simultaneous uses exactly one passes. ``forget_draft`` deletes the
    device's half-finished response (a device seen for the first time has none). ``client`` (its
    address) is counted by the throttle in the same transaction: one write per submission, and
    what the throttle counts is what was stored.
    """
    survey = entry.survey
    entry_check_open(entry)
    if not consent:
        raise SurveyRefused("consent", _("Please read and accept the statement on personal information first."))
    answers = answers_clean(questions=questions, raw=raw)
    contact = contact or {}
    if survey.asks_contact and not (contact.get("phone") or "").strip():
        raise ValidationError({"contact_phone": [_("Please leave a phone number.")]})
    hashed = None if entry.code is not None else device_hash(survey=survey, device_id=device_id)
    now = clock.now()
    try:
        with transaction.atomic():
            if client is not None:
                throttle_hit(client=client)
            if entry.code is not None:
                # Only the day: an exact time would tie the code (and whom it was handed to) to the response.
                day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
                spent = AnswerCode.objects.filter(pk=entry.code.pk, used_at__isnull=True).update(used_at=day)
                if spent != 1:
                    raise SurveyRefused("code_used", _("This answer code has already been used."))
            response = Response(
                survey=survey, channel=entry.channel, unit=entry.unit, device_hash=hashed, submitted_at=now,
                district_id=_district_of(answers, entry.unit),
            )
            _insert(response, answers)
            if survey.asks_contact:
                RespondentContact.objects.create(
                    response=response, name_encrypted=crypto.encrypt((contact.get("name") or "").strip()[:50]),
                    phone_encrypted=crypto.encrypt((contact.get("phone") or "").strip()[:30]),
                )
            if survey.locked_at is None:
                Survey.objects.filter(pk=survey.pk, locked_at__isnull=True).update(locked_at=now)
            if forget_draft:
                Draft.objects.filter(key=draft_key(entry=entry, device_id=device_id)).delete()
    except IntegrityError:  # the device has answered (the unique constraint decides, also for two at once)
        raise SurveyRefused("duplicate", _("This device has already answered the survey. Thank you!")) from None
    return response
