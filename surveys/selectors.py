"""Every non-trivial read of the survey: the questionnaire, what each user may see, and the results.

The statistics are GROUP BY queries over Answer (indexed by question and option), a fixed number
of them whatever the number of responses. Every count leaves here through ``privacy.guard``.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.permissions import can, is_organiser, unit_ids
from core import versioned_cache
from organisations.models import District

from . import disclosure
from .models import (
    CHOICE_KINDS,
    Answer,
    AnswerCode,
    Option,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyLink,
    Tally,
)
from .privacy import MIN_GROUP, guard
from .services import Entry
from .tallies import tallies_fold

OTHER_GROUP = "other"
MARKUP_CACHE_SECONDS = 3600


def questions_of(survey: Survey) -> list[Question]:
    """The questions in order, with their options and sections (two queries).

    A district question also carries ``district_ids`` ({option code: District id}), with which a
    response's district is found without a query.
    """
    questions = list(
        survey.questions.select_related("section", "show_if_option", "show_if_option__question")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("code")))
        .order_by("order", "id")
    )
    pickers = [q for q in questions if q.kind == QuestionKind.DISTRICT]
    if pickers:
        by_name = dict(District.objects.values_list("name", "pk"))
        for question in pickers:
            question.district_ids = {o.code: by_name[o.label] for o in question.options.all() if o.label in by_name}
    return questions


def questionnaire_version_key(survey_id: int) -> str:
    return f"surveys:questionnaire:{survey_id}:version"


# The questionnaires this process has built, by (survey, shared version). Only a memo: every use
# first reads the shared version, so after a change (a bump, seen by every app server at once) the
# old entry is never served again; it only saves rebuilding ~150 objects on each request.
_BUILT: dict[tuple[int, int], list[Question]] = {}
_BUILT_MAX = 16


def questionnaire(survey: Survey) -> list[Question]:
    """``questions_of(survey)`` for the answer pages and submissions, at the cost of one cache read.

    Every change of a questionnaire goes through a builder service, which bumps its version in the
    shared cache (``services._locked``).
    """
    return versioned_questionnaire(survey)[1]


def versioned_questionnaire(survey: Survey) -> tuple[int, list[Question]]:
    """(the questionnaire's current version, its questions)."""
    version = versioned_cache.version(questionnaire_version_key(survey.pk))
    return version, _built(survey, version)


def _built(survey: Survey, version: int) -> list[Question]:
    questions = _BUILT.get((survey.pk, version))
    if questions is None:
        questions = questions_of(survey)
        if len(_BUILT) >= _BUILT_MAX:
            # The oldest entry; another thread (gunicorn threads) may be trimming at the same moment.
            with contextlib.suppress(RuntimeError, StopIteration):
                _BUILT.pop(next(iter(_BUILT)), None)
        _BUILT[(survey.pk, version)] = questions
    return questions


def _markup_key(survey_id: int, language: str) -> str:
    return f"surveys:questions-markup:2:{survey_id}:{language}"  # 2: questions as fieldset/legend groups


def questionnaire_with_markup(survey: Survey, language: str) -> tuple[int, list[Question], str | None]:
    """(version, questions, the unanswered questions' markup in ``language`` if cached for this
    version, else None), with one cache round trip: what the questions page needs on a first visit."""
    version_key, markup_key = questionnaire_version_key(survey.pk), _markup_key(survey.pk, language)
    found = cache.get_many([version_key, markup_key])
    version = found.get(version_key) or versioned_cache.version(version_key)
    entry = found.get(markup_key)
    markup = mark_safe(entry[1]) if isinstance(entry, tuple) and entry[0] == version else None  # noqa: S308 - ours
    return version, _built(survey, version), markup


def questionnaire_markup_keep(survey: Survey, language: str, version: int, markup: str) -> None:
    """Cache the unanswered questions' markup rendered under ``version`` (replaced by the next version)."""
    cache.set(_markup_key(survey.pk, language), (version, str(markup)), MARKUP_CACHE_SECONDS)


def sections_with_questions(questions: list[Question]) -> list[tuple]:
    """[(section, [questions])] in the order of the questions."""
    grouped: list[tuple] = []
    for question in questions:
        if not grouped or grouped[-1][0].pk != question.section_id:
            grouped.append((question.section, []))
        grouped[-1][1].append(question)
    return grouped


def entry_resolve(*, kind: str, token: str) -> Entry:
    """The way in named by a link token (kind "s") or a 填答码 (kind "c"), or 404."""
    if kind == "s":
        # Unordered: the models' default orderings span joins, which cost more to compile than the lookup.
        link = SurveyLink.objects.select_related("survey", "unit").filter(token=token).order_by().first()
        if link is None:
            raise Http404
        return Entry(survey=link.survey, link=link)
    code = AnswerCode.objects.select_related("survey", "unit").filter(code=token.strip().upper()).order_by().first()
    if code is None:
        raise Http404
    return Entry(survey=code.survey, code=code)


def survey_list_for(user, *, campaign=None):
    """Organisers see every survey (of ``campaign`` when given) with its response count; coordinators the surveys
    with a link for their unit."""
    responses = Response.objects.filter(survey=OuterRef("pk")).values("survey").annotate(n=Count("id")).values("n")
    qs = Survey.objects.select_related("campaign").annotate(response_count=Coalesce(Subquery(responses), 0))
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign.pk)
    if is_organiser(user):
        return qs.order_by("-opens_at", "-id")
    return qs.filter(links__unit_id__in=unit_ids(user)).distinct().order_by("-opens_at", "-id")


def survey_for(user, pk: int, permission: str = "surveys.manage") -> Survey:
    """The survey if ``user`` may use it for ``permission``, else 404 (existence does not leak)."""
    survey = Survey.objects.select_related("campaign").filter(pk=pk).first()
    if survey is None or not can(user, permission, survey):
        raise Http404
    return survey


def unit_rates(*, survey: Survey, user) -> list[SurveyLink]:
    """Each unit link the user may see, with responses, expected headcount, rate and codes used/issued."""
    links = SurveyLink.objects.filter(survey=survey, unit__isnull=False).select_related("unit", "unit__district")
    if not is_organiser(user):
        links = links.filter(unit_id__in=unit_ids(user))
    responses = (Response.objects.filter(survey=survey, unit=OuterRef("unit")).values("unit")
                 .annotate(n=Count("id")).values("n"))
    codes = AnswerCode.objects.filter(survey=survey, unit=OuterRef("unit")).values("unit")
    links = links.annotate(
        responses=Coalesce(Subquery(responses), 0),
        codes_issued=Coalesce(Subquery(codes.annotate(n=Count("id")).values("n")), 0),
        codes_used=Coalesce(Subquery(codes.filter(used_at__isnull=False).annotate(n=Count("id")).values("n")), 0),
    ).order_by("unit__unit_type", "unit__name")
    rows = list(links)
    for link in rows:
        link.rate = (round(100 * link.responses / link.expected_headcount, 1)
                     if link.expected_headcount else None)
    return rows


def district_rates(*, survey: Survey) -> list[dict]:
    """Responses per district (the respondent's own district, else their unit's) against expected headcounts."""
    counts = dict(Response.objects.filter(survey=survey).values_list("district").annotate(n=Count("id")))
    expected = dict(SurveyLink.objects.filter(survey=survey, unit__isnull=False, expected_headcount__isnull=False)
                    .values_list("unit__district").annotate(n=Sum("expected_headcount")))
    rows = []
    for district in District.objects.order_by("order", "id"):
        n, exp = counts.get(district.pk, 0), expected.get(district.pk)
        rows.append({"district": district, "responses": n, "expected": exp,
                     "rate": round(100 * n / exp, 1) if exp else None})
    if counts.get(None):
        rows.append({"district": None, "responses": counts[None], "expected": None, "rate": None})
    return rows


@dataclass
class Filters:
    """The respondent subset the results describe."""

    unit: int | None = None
    district: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def _days(self) -> tuple[int | None, int | None]:
        """The date range as YYYYMMDD integers (Response.day), compared without any date arithmetic."""
        first = self.date_from.year * 10000 + self.date_from.month * 100 + self.date_from.day if self.date_from else None
        last = self.date_to.year * 10000 + self.date_to.month * 100 + self.date_to.day if self.date_to else None
        return first, last

    def answer_q(self, prefix: str = "response__") -> Q:
        q = Q()
        if self.unit:
            q &= Q(**{f"{prefix}unit_id": self.unit})
        if self.district:
            q &= Q(**{f"{prefix}district_id": self.district})
        first, last = self._days()
        if first:
            q &= Q(**{f"{prefix}day__gte": first})
        if last:
            q &= Q(**{f"{prefix}day__lte": last})
        return q

    def tally_q(self, *, cross: bool = False) -> Q | None:
        """The tally rows that hold exactly this subset (of the crosstab tallies if ``cross``), or
        None when the tallies cannot say (a unit and a district together, or, for a crosstab, any
        two filters: then the answers are counted)."""
        dated = bool(self.date_from or self.date_to)
        if self.unit and self.district or cross and (self.unit or self.district) and dated:
            return None
        key = "key2" if cross else "key"
        day_key = "key2" if cross or self.unit or self.district else "key"  # UNIT_DAY, DISTRICT_DAY: key2
        first, last = self._days()
        days = Q()
        if first:
            days &= Q(**{f"{day_key}__gte": first})
        if last:
            days &= Q(**{f"{day_key}__lte": last})
        if self.unit:
            if dated:
                return Q(dim=Tally.UNIT_DAY, key=self.unit) & days
            return Q(dim=Tally.CROSS_UNIT if cross else Tally.UNIT, **{key: self.unit})
        if self.district:
            if dated:
                return Q(dim=Tally.DISTRICT_DAY, key=self.district) & days
            return Q(dim=Tally.CROSS_DISTRICT if cross else Tally.DISTRICT, **{key: self.district})
        if not dated:
            return Q(dim=Tally.CROSS) if cross else Q(dim=Tally.ALL, key=0)
        return Q(dim=Tally.CROSS_DAY if cross else Tally.DAY) & days

    def responses(self, survey: Survey):
        return Response.objects.filter(survey=survey).filter(self.answer_q(prefix=""))

    @property
    def active(self) -> bool:
        return any([self.unit, self.district, self.date_from, self.date_to])

    def as_dict(self) -> dict:
        return {"unit": self.unit, "district": self.district,
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None}


@dataclass
class Results:
    survey: Survey
    filters: Filters
    respondents: int | None
    too_small: bool
    questions: list[dict] = field(default_factory=list)
    withheld: str = ""  # why nothing is shown (disclosure.decide), for the page and the API

    def as_dict(self) -> dict:
        return {
            "survey": {"id": self.survey.pk, "slug": self.survey.slug, "title": self.survey.title},
            "filters": self.filters.as_dict(),
            "min_group": MIN_GROUP,
            "respondents": self.respondents,
            "too_small": self.too_small,
            "withheld": self.withheld,
            "questions": self.questions,
        }


def _percent(n: int | None, base: int | None) -> float | None:
    if n is None or not base:
        return None
    return round(100 * n / base, 1)


def _histogram(value_counts: dict[float, int], question: Question) -> list[dict]:
    """Up to eight equal-width bins over the answered range (the bounds of the question when set)."""
    if not value_counts:
        return []
    low = question.min_value if question.min_value is not None else min(value_counts)
    high = question.max_value if question.max_value is not None else max(value_counts)
    if high <= low:
        high = low + 1
    bins = 8
    width = (high - low) / bins
    counts = [0] * bins
    for value, n in value_counts.items():
        index = min(int((value - low) / width), bins - 1) if value >= low else 0
        counts[index] += n
    shown = guard(dict(enumerate(counts)))
    return [{"label": f"{low + i * width:g}–{low + (i + 1) * width:g}", "count": shown[i]} for i in range(bins)]


def survey_results(*, survey: Survey, questions: list[Question], filters: Filters) -> Results:
    """Counts and percentages per option, means and distributions, open-text counts.

    They come from the tallies (one small query whatever the number of responses) for all
    respondents or a subset by one unit, one district or a date range; a subset by two of these at
    once is counted from the answers, by GROUP BY queries that each read one index of Answer.
    """
    decision = disclosure.decide(survey, filters)
    filters = decision.filters  # a date range widened to whole periods
    if not decision.allowed:
        return Results(survey=survey, filters=filters, respondents=None, too_small=True,
                       withheld="" if decision.code == disclosure.SMALL else decision.reason)
    respondents = filters.responses(survey).count()
    shown_total = guard({"all": respondents})["all"]
    if shown_total is None:
        return Results(survey=survey, filters=filters, respondents=None, too_small=True)
    tally_q = filters.tally_q()
    if tally_q is not None:
        tallies_fold(survey=survey)
        option_counts, values, answered = _tallied(questions, tally_q)
    else:
        option_counts, values, answered = _counted(questions, filters)
    return _results(survey, questions, filters, respondents, option_counts, values, answered)


def _tallied(questions: list[Question], tally_q: Q):
    """The counts read from the tallies: one query over a few thousand rows, whatever the responses."""
    option_counts: dict[int, dict[int, int]] = {}
    values: dict[int, dict[float, int]] = {}
    answered: dict[int, int] = {}
    rows = (Tally.objects.filter(tally_q, question_id__in=[q.pk for q in questions])
            .values_list("question_id", "kind", "value").annotate(total=Sum("n")).order_by())
    for qid, kind, value, n in rows:
        if kind == Tally.ANSWERED:
            answered[qid] = n
        elif kind == Tally.OPTION:
            option_counts.setdefault(qid, {})[int(value)] = n
        else:
            values.setdefault(qid, {})[value] = n
    return option_counts, values, answered


def _counted(questions: list[Question], filters: Filters):
    """The counts of a filtered subset, from the answers (three GROUP BY queries over indexes)."""
    # By question id, not by a join to the survey: each GROUP BY then reads only an index.
    base = Answer.objects.filter(filters.answer_q())
    coded_ids = [q.pk for q in questions if q.is_choice or q.kind == QuestionKind.SCALE]
    option_counts: dict[int, dict[int, int]] = {}
    for qid, code, n in base.filter(question_id__in=coded_ids, option_code__isnull=False) \
            .values_list("question_id", "option_code").annotate(n=Count("id")).order_by():
        option_counts.setdefault(qid, {})[code] = n
    number_ids = [q.pk for q in questions if q.kind == QuestionKind.NUMBER]
    values: dict[int, dict[float, int]] = {}
    for qid, value, n in base.filter(question_id__in=number_ids).values_list("question_id", "number") \
            .annotate(n=Count("id")).order_by():
        values.setdefault(qid, {})[value] = n
    distinct_ids = [q.pk for q in questions if q.kind == QuestionKind.MULTIPLE or q.is_text]
    answered = dict(base.filter(question_id__in=distinct_ids).values_list("question_id")
                    .annotate(n=Count("response_id", distinct=True)).order_by())
    for question in questions:
        if question.pk in distinct_ids:
            continue
        source = values if question.kind == QuestionKind.NUMBER else option_counts
        answered[question.pk] = sum(source.get(question.pk, {}).values())
    return option_counts, values, answered


def _results(survey, questions, filters, respondents, option_counts, values, answered) -> Results:
    rows = []
    for question in questions:
        n_answered = answered.get(question.pk, 0)
        shown_answered = guard({"n": n_answered})["n"]
        row = {"id": question.pk, "code": question.code, "text": question.label, "kind": question.kind,
               "answered": shown_answered, "options": [], "mean": None, "median": None, "distribution": [],
               "multiple": question.kind == QuestionKind.MULTIPLE}
        if question.is_choice or question.kind == QuestionKind.SCALE:
            counts = {o.code: option_counts.get(question.pk, {}).get(o.code, 0) for o in question.options.all()}
            single = question.kind != QuestionKind.MULTIPLE
            shown = guard(counts, total=n_answered if single else None)
            if shown_answered is None:
                shown = dict.fromkeys(counts)
            row["options"] = [{"code": o.code, "label": o.localized_label, "count": shown[o.code],
                               "percent": _percent(shown[o.code], shown_answered)} for o in question.options.all()]
        if shown_answered is not None and question.is_numeric:
            distribution = (values if question.kind == QuestionKind.NUMBER else option_counts).get(question.pk, {})
            if distribution:
                total = sum(distribution.values())
                row["mean"] = round(sum(v * n for v, n in distribution.items()) / total, 2)
                if question.kind == QuestionKind.NUMBER:
                    row["median"] = _weighted_median(distribution)
                    row["distribution"] = _histogram(distribution, question)
        rows.append(row)
    return Results(survey=survey, filters=filters, respondents=respondents, too_small=False, questions=rows)


def _weighted_median(value_counts: dict[float, int]) -> float:
    total = sum(value_counts.values())
    running = 0
    for value, n in sorted(value_counts.items()):
        running += n
        if running * 2 >= total:
            return value
    return 0.0


def crosstab(*, survey: Survey, target: Question, by: Question, filters: Filters) -> dict | None:
    """``target`` broken down by the groups of single-choice ``by``: counts and row percentages, or
    None when withheld (over a filter, or a group differing from another result by 1–4: disclosure).

    Groups too small for the rule are merged into one "other" row (with the next smallest until
    it is big enough), and each cell passes the guard by row and by column.
    """
    if by.kind not in {QuestionKind.SINGLE, QuestionKind.DISTRICT, QuestionKind.UNIT_TYPE} or by.pk == target.pk:
        raise ValueError("crosstab needs a different single-choice question to group by")
    if not (target.is_choice or target.kind == QuestionKind.SCALE):
        raise ValueError("crosstab needs a choice or scale question")
    cross_q = filters.tally_q(cross=True)
    if cross_q is not None:
        cells, sizes = _crosstab_tallied(survey, target, by, cross_q)
    else:
        cells, sizes = _crosstab_counted(target, by, filters)
    groups = list(by.options.all())
    columns = list(target.options.all())
    size_of = {g.code: sizes.get(g.code, 0) for g in groups}
    shown_sizes = guard(size_of, total=sum(size_of.values()))
    merged = [g.code for g in groups if shown_sizes[g.code] is None and size_of[g.code] > 0]
    # Grow the merged group until it is big enough, taking the next smallest shown groups.
    while merged and sum(size_of[c] for c in merged) < MIN_GROUP:
        rest = sorted((size_of[g.code], g.code) for g in groups if g.code not in merged and size_of[g.code] > 0)
        if not rest:
            break
        merged.append(rest[0][1])
    rows: list[dict] = []
    for group in groups:
        if group.code in merged or size_of[group.code] == 0:
            continue
        rows.append({"key": group.code, "label": group.localized_label, "size": size_of[group.code],
                     "counts": {c.code: cells.get((group.code, c.code), 0) for c in columns}})
    if merged:
        merged_size = sum(size_of[c] for c in merged)
        rows.append({"key": OTHER_GROUP, "label": _("Other (small groups merged)"), "size": merged_size,
                     "counts": {c.code: sum(cells.get((g, c.code), 0) for g in merged) for c in columns},
                     "hidden": merged_size < MIN_GROUP})
    row_groups = [merged if row["key"] == OTHER_GROUP else [row["key"]] for row in rows]
    decision = disclosure.crosstab_decide(survey, by, filters, row_groups)
    if not decision.allowed:
        return None
    single = target.kind != QuestionKind.MULTIPLE
    shown_cells: dict[tuple, int | None] = {}
    for row in rows:
        guarded = guard(row["counts"], total=row["size"] if single else None)
        if row.get("hidden"):
            guarded = dict.fromkeys(row["counts"])
        for code, value in guarded.items():
            shown_cells[(row["key"], code)] = value
    # Column-wise secondary suppression: the overall distribution is public on the same page.
    for _round in range(5):
        changed = False
        for column in columns:
            col = {row["key"]: row["counts"][column.code] for row in rows}
            hidden = [k for k in col if shown_cells[(k, column.code)] is None]
            if len(hidden) == 1:
                candidates = sorted((n, str(k), k) for k, n in col.items() if shown_cells[(k, column.code)] is not None)
                if candidates:
                    shown_cells[(candidates[0][2], column.code)] = None
                    changed = True
        for row in rows:
            if not single:
                break
            hidden = [c.code for c in columns if shown_cells[(row["key"], c.code)] is None]
            if len(hidden) == 1:
                candidates = sorted((row["counts"][c.code], c.code) for c in columns
                                    if shown_cells[(row["key"], c.code)] is not None)
                if candidates:
                    shown_cells[(row["key"], candidates[0][1])] = None
                    changed = True
        if not changed:
            break
    out_rows = []
    for row in rows:
        hidden = row.get("hidden", False)
        out_rows.append({
            "key": row["key"], "label": row["label"], "size": None if hidden else row["size"],
            "cells": [{"code": c.code, "count": shown_cells[(row["key"], c.code)],
                       "percent": _percent(shown_cells[(row["key"], c.code)], None if hidden else row["size"])}
                      for c in columns],
        })
    return {
        "target": {"id": target.pk, "code": target.code, "text": target.label},
        "by": {"id": by.pk, "code": by.code, "text": by.label},
        "columns": [{"code": c.code, "label": c.localized_label} for c in columns],
        "rows": out_rows,
        "multiple": not single,
        "min_group": MIN_GROUP,
    }


def _crosstab_tallied(survey: Survey, target: Question, by: Question, cross_q: Q):
    """The cells (group code, target code) -> n and the group sizes, from the crosstab tallies."""
    tallies_fold(survey=survey)
    group_of = {o.pk: o.code for o in by.options.all()}
    cells: dict[tuple[int, int], int] = {}
    people: dict[int, int] = {}
    rows = (Tally.objects.filter(cross_q, question=target, key__in=list(group_of))
            .values_list("key", "kind", "value").annotate(total=Sum("n")).order_by())
    for key, kind, value, n in rows:
        if kind == Tally.OPTION:
            cells[(group_of[key], int(value))] = n
        elif kind == Tally.ANSWERED:
            people[group_of[key]] = n
    return cells, _group_sizes(target, cells, people)


def _crosstab_counted(target: Question, by: Question, filters: Filters):
    """The same from the answers of a filtered subset: each target answer looks its respondent's
    group up in the (question, response, option) index."""
    group_of = Subquery(Answer.objects.filter(question=by, response_id=OuterRef("response_id"))
                        .values("option_code")[:1])
    cells: dict[tuple[int, int], int] = {}
    for group, code, n in (Answer.objects.filter(question=target).filter(filters.answer_q())
                           .annotate(group=group_of).values_list("group", "option_code")
                           .annotate(n=Count("id")).order_by()):
        if group is not None:
            cells[(group, code)] = n
    people: dict[int, int] = {}
    if target.kind == QuestionKind.MULTIPLE:  # one row per chosen option: count the people
        answered_target = Answer.objects.filter(question=target, response_id=OuterRef("response_id"))
        people = dict(Answer.objects.filter(question=by).filter(filters.answer_q()).filter(Exists(answered_target))
                      .values_list("option_code").annotate(n=Count("id")).order_by())
    return cells, _group_sizes(target, cells, people)


def _group_sizes(target: Question, cells: dict, people: dict) -> dict[int, int]:
    """Respondents per group: counted people for a multiple choice, else the sum of the group's cells."""
    if target.kind == QuestionKind.MULTIPLE:
        return people
    sizes: dict[int, int] = {}
    for (group, _code), n in cells.items():
        sizes[group] = sizes.get(group, 0) + n
    return sizes


def open_texts(*, survey: Survey, question: Question, filters: Filters, keyword: str = ""):
    """The texts answered to an open question (newest first), or None if the group is too small or
    its results are withheld (disclosure.decide)."""
    decision = disclosure.decide(survey, filters)
    if not decision.allowed:
        return None
    filters = decision.filters
    if guard({"n": filters.responses(survey).count()})["n"] is None:
        return None
    qs = (Answer.objects.filter(question=question).filter(filters.answer_q()).exclude(text="")
          .select_related("response", "response__contact").order_by("-response__submitted_at", "-id"))
    if keyword:
        qs = qs.filter(text__icontains=keyword)
    return qs


def choice_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.kind in CHOICE_KINDS or q.kind == QuestionKind.SCALE]


def grouping_questions(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.is_grouping]
