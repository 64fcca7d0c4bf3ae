"""Counting the answers into the tallies, so that the results never read every answer.

A submission inserts its response and answers and nothing else: no counter row is shared by two
submissions, so a thousand phones answering at once never wait for one another. The counting is
done afterwards, in batches: ``tallies_fold`` takes every response of a survey not yet counted
(``Response.tally_batch`` NULL), marks it with a new batch number and adds the batch's counts to the
Tally rows with one INSERT … ON CONFLICT DO UPDATE per kind of tally, all in one transaction under
a lock on the survey row, so two folds never count a response twice and a crash counts nothing.
The results fold before they read (a few milliseconds when little is pending), and a scheduled task
folds every minute, so what is pending stays small.

Which rows a batch adds to is described on ``Tally``: for each question, every option chosen and
number answered plus the number of respondents, counted over all respondents, per unit, per
district, per day, per unit and day, per district and day, and, for the crosstabs, per option chosen in each grouping question, again over
all respondents and per unit, district and day.
"""

from django.db import connection, transaction

from .models import GROUPING_KINDS, Answer, Option, Question, QuestionKind, Response, Survey, Tally


def _tables() -> dict[str, str]:
    # Table names come from the models, never from input; ids are passed as parameters.
    return {"tally": Tally._meta.db_table, "answer": Answer._meta.db_table,
            "response": Response._meta.db_table, "option": Option._meta.db_table}


# The counts of one batch at the finest grain (question, unit, district, day, kind, value), then
# rolled up into each dimension. ANSWERED counts distinct respondents per group, which add up
# across groups because each response lies in exactly one (unit, district, day).
_FOLD_MARGINS = """
WITH base AS (
    SELECT a.question_id AS question_id, COALESCE(r.unit_id, 0) AS unit_key,
           COALESCE(r.district_id, 0) AS district_key, r.day AS day_key,
           CASE WHEN a.option_code IS NOT NULL THEN {OPTION} ELSE {NUMBER} END AS kind,
           COALESCE(a.option_code, a.number) AS value, COUNT(*) AS n
      FROM {answer} a JOIN {response} r ON r.id = a.response_id
     WHERE r.survey_id = %(survey)s AND r.tally_batch = %(batch)s
       AND (a.option_code IS NOT NULL OR a.number IS NOT NULL)
     GROUP BY a.question_id, r.unit_id, r.district_id, r.day,
              CASE WHEN a.option_code IS NOT NULL THEN {OPTION} ELSE {NUMBER} END, COALESCE(a.option_code, a.number)
    UNION ALL
    SELECT a.question_id, COALESCE(r.unit_id, 0), COALESCE(r.district_id, 0), r.day, {ANSWERED}, 0,
           COUNT(DISTINCT a.response_id)
      FROM {answer} a JOIN {response} r ON r.id = a.response_id
     WHERE r.survey_id = %(survey)s AND r.tally_batch = %(batch)s
     GROUP BY a.question_id, r.unit_id, r.district_id, r.day
)
INSERT INTO {tally} (question_id, dim, "key", key2, kind, value, n)
SELECT question_id, dim, "key", key2, kind, value, n FROM (
    SELECT question_id, {ALL} AS dim, 0 AS "key", 0 AS key2, kind, value, SUM(n) AS n FROM base
     GROUP BY question_id, kind, value
    UNION ALL
    SELECT question_id, {UNIT}, unit_key, 0, kind, value, SUM(n) FROM base GROUP BY question_id, unit_key, kind, value
    UNION ALL
    SELECT question_id, {DISTRICT}, district_key, 0, kind, value, SUM(n) FROM base
     GROUP BY question_id, district_key, kind, value
    UNION ALL
    SELECT question_id, {DAY}, day_key, 0, kind, value, SUM(n) FROM base GROUP BY question_id, day_key, kind, value
    UNION ALL
    SELECT question_id, {UNIT_DAY}, unit_key, day_key, kind, value, SUM(n) FROM base
     GROUP BY question_id, unit_key, day_key, kind, value
    UNION ALL
    SELECT question_id, {DISTRICT_DAY}, district_key, day_key, kind, value, SUM(n) FROM base
     GROUP BY question_id, district_key, day_key, kind, value
) AS margins WHERE TRUE
ON CONFLICT (question_id, dim, "key", key2, kind, value) DO UPDATE SET n = {tally}.n + excluded.n
"""

# For the crosstabs: each answer to a choice or scale question, counted per option chosen in every
# other grouping question of the same response (and, for multiple-choice targets, the respondents),
# at the finest grain and then for all respondents and per unit, district and day.
_FOLD_CROSS = """
WITH base AS (
    SELECT t.question_id AS question_id, o.id AS option_key, COALESCE(r.unit_id, 0) AS unit_key,
           COALESCE(r.district_id, 0) AS district_key, r.day AS day_key, {OPTION} AS kind,
           t.option_code AS value, COUNT(*) AS n
      FROM {response} r
      JOIN {answer} g ON g.response_id = r.id
      JOIN {option} o ON o.question_id = g.question_id AND o.code = g.option_code
      JOIN {answer} t ON t.response_id = r.id
     WHERE r.survey_id = %(survey)s AND r.tally_batch = %(batch)s
       AND g.question_id IN ({grouping}) AND t.option_code IS NOT NULL AND t.question_id <> g.question_id
     GROUP BY t.question_id, o.id, r.unit_id, r.district_id, r.day, t.option_code
    UNION ALL
    SELECT t.question_id, o.id, COALESCE(r.unit_id, 0), COALESCE(r.district_id, 0), r.day, {ANSWERED}, 0,
           COUNT(DISTINCT t.response_id)
      FROM {response} r
      JOIN {answer} g ON g.response_id = r.id
      JOIN {option} o ON o.question_id = g.question_id AND o.code = g.option_code
      JOIN {answer} t ON t.response_id = r.id
     WHERE r.survey_id = %(survey)s AND r.tally_batch = %(batch)s
       AND g.question_id IN ({grouping}) AND t.question_id IN ({multiple}) AND t.question_id <> g.question_id
     GROUP BY t.question_id, o.id, r.unit_id, r.district_id, r.day
)
INSERT INTO {tally} (question_id, dim, "key", key2, kind, value, n)
SELECT question_id, dim, "key", key2, kind, value, n FROM (
    SELECT question_id, {CROSS} AS dim, option_key AS "key", 0 AS key2, kind, value, SUM(n) AS n FROM base
     GROUP BY question_id, option_key, kind, value
    UNION ALL
    SELECT question_id, {CROSS_UNIT}, option_key, unit_key, kind, value, SUM(n) FROM base
     GROUP BY question_id, option_key, unit_key, kind, value
    UNION ALL
    SELECT question_id, {CROSS_DISTRICT}, option_key, district_key, kind, value, SUM(n) FROM base
     GROUP BY question_id, option_key, district_key, kind, value
    UNION ALL
    SELECT question_id, {CROSS_DAY}, option_key, day_key, kind, value, SUM(n) FROM base
     GROUP BY question_id, option_key, day_key, kind, value
) AS cross_counts WHERE TRUE
ON CONFLICT (question_id, dim, "key", key2, kind, value) DO UPDATE SET n = {tally}.n + excluded.n
"""


def _sql(template: str, **lists) -> str:
    names = {"ANSWERED": Tally.ANSWERED, "OPTION": Tally.OPTION, "NUMBER": Tally.NUMBER, "ALL": Tally.ALL,
             "UNIT": Tally.UNIT, "DISTRICT": Tally.DISTRICT, "DAY": Tally.DAY, "CROSS": Tally.CROSS,
             "CROSS_UNIT": Tally.CROSS_UNIT, "CROSS_DISTRICT": Tally.CROSS_DISTRICT, "CROSS_DAY": Tally.CROSS_DAY,
             "UNIT_DAY": Tally.UNIT_DAY, "DISTRICT_DAY": Tally.DISTRICT_DAY}
    # Every substituted value is an integer constant, a model's table name or a list of integer ids.
    return template.format(**_tables(), **names, **lists)


def _ids(values) -> str:
    return ",".join(str(int(v)) for v in values) or "NULL"


def tallies_fold(*, survey: Survey | int, limit: int | None = None) -> int:
    """Count the responses of ``survey`` not counted yet (at most ``limit``, oldest first); returns how many.

    Safe to call at any moment from any number of processes: a lock on the survey row lets one fold
    at a time, and a response committed while a fold runs is simply left for the next one.
    """
    survey_id = survey if isinstance(survey, int) else survey.pk
    pending = Response.objects.filter(survey_id=survey_id, tally_batch__isnull=True)
    if not pending.exists():  # the common case, without taking the lock
        return 0
    with transaction.atomic():
        batch = (Survey.objects.select_for_update().filter(pk=survey_id)
                 .values_list("tally_batches", flat=True).first())
        if batch is None:
            return 0
        batch += 1
        if limit:
            last = pending.order_by("id").values_list("id", flat=True)[limit - 1:limit].first()
            if last is not None:
                pending = pending.filter(id__lte=last)
        counted = pending.update(tally_batch=batch)
        if not counted:
            return 0
        Survey.objects.filter(pk=survey_id).update(tally_batches=batch)
        questions = list(Question.objects.filter(survey_id=survey_id).values_list("pk", "kind"))
        grouping = [pk for pk, kind in questions if kind in GROUPING_KINDS]
        multiple = [pk for pk, kind in questions if kind == QuestionKind.MULTIPLE]
        params = {"survey": survey_id, "batch": batch}
        with connection.cursor() as cursor:
            cursor.execute(_sql(_FOLD_MARGINS), params)
            if grouping:
                cursor.execute(_sql(_FOLD_CROSS, grouping=_ids(grouping), multiple=_ids(multiple)), params)
    return counted


def tallies_fold_all(*, limit: int = 20_000) -> int:
    """Fold every survey with responses pending (the scheduled task); returns the responses counted.

    Survey by survey: each fold asks its (survey, tally_batch) index whether anything is pending,
    where one query for the surveys with pending responses would read the whole index every minute.
    """
    return sum(tallies_fold(survey=pk, limit=limit) for pk in list(Survey.objects.values_list("pk", flat=True)))


def tallies_reset(*, survey: Survey) -> None:
    """Forget the tallies of ``survey``: every response is pending again, counted by the next fold.

    For a change of the questionnaire's structure, which is only allowed while no real response
    exists (made-up demo responses may), and for a repair.
    """
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk").first()
        Tally.objects.filter(question__survey=survey).delete()
        Response.objects.filter(survey=survey, tally_batch__isnull=False).update(tally_batch=None)


def tallies_rebuild(*, survey: Survey, batch_size: int = 50_000) -> int:
    """Recount the tallies of ``survey`` from its answers now (to repair, or after bulk inserts)."""
    tallies_reset(survey=survey)
    counted = 0
    while done := tallies_fold(survey=survey, limit=batch_size):
        counted += done
    return counted
