"""Made-up responses for the demo and the benchmark: plausible, reproducible, and marked ``is_demo``.

They are written with bulk inserts (no validation path), so they never count as real responses:
they do not lock the questionnaire's structure. The answers go in with one executemany per batch
rather than through model instances, which would make a million responses take an hour.
"""

import random
from datetime import timedelta

from django.db import connection, transaction

from core import clock
from organisations.models import District

from .models import Answer, Question, QuestionKind, Response, Survey

DEMO_TEXTS = [
    "【演示数据】希望简化科研经费报销流程，减少填表。",
    "【演示数据】希望解决孩子就近入学问题。",
    "【演示数据】青年人才公寓房源不足，希望增加供给。",
    "【演示数据】职称评审周期太长，希望增加评审次数。",
    "【演示数据】希望多组织学术交流和培训活动。",
    "【演示数据】考核太多太频繁，希望减负。",
    "【演示数据】希望提高青年科技人才的收入待遇。",
]
SINGLE_KINDS = {QuestionKind.SINGLE, QuestionKind.DISTRICT, QuestionKind.UNIT_TYPE, QuestionKind.SCALE}


def _answers_for(question: Question, options: list, weights: list, rng: random.Random, chosen: dict) -> list[tuple]:
    """(question id, option code, number, text) rows for one made-up answer to ``question``."""
    if question.kind in SINGLE_KINDS:
        code = rng.choices(options, weights=weights)[0].code
        chosen[question.pk] = {code}
        return [(question.pk, code, code if question.kind == QuestionKind.SCALE else None, "")]
    if question.kind == QuestionKind.MULTIPLE:
        picks = rng.sample(options, k=min(len(options), rng.randint(1, question.max_choices or 3)))
        chosen[question.pk] = {o.code for o in picks}
        return [(question.pk, o.code, None, "") for o in picks]
    if question.kind == QuestionKind.NUMBER:
        low = question.min_value if question.min_value is not None else 0
        high = question.max_value if question.max_value is not None else 100
        value = round(min(high, max(low, rng.gauss((low + high) / 2.5, (high - low) / 8))))
        return [(question.pk, None, value, "")]
    if question.kind == QuestionKind.LONG_TEXT and rng.random() < 0.4:
        return [(question.pk, None, None, rng.choice(DEMO_TEXTS))]
    return []


def responses_generate(*, survey: Survey, questions: list[Question], count: int, links=(), seed: int = 2022,
                       batch_size: int = 5000) -> int:
    """Add ``count`` made-up responses to ``survey`` (spread over its unit ``links`` and the open link)."""
    rng = random.Random(seed)
    option_by_id = {o.pk: o for q in questions for o in q.options.all()}
    options_of, weights_of, district_of = {}, {}, {}
    for q in questions:
        options = [o for o in q.options.all() if not o.is_other] or list(q.options.all())
        options_of[q.pk] = options
        weights_of[q.pk] = [len(options) - i + 2 for i in range(len(options))]
        if q.kind == QuestionKind.DISTRICT:
            district_of.update({(q.pk, o.code): o.label for o in options})
    districts = {d.name: d.pk for d in District.objects.all()}
    links = list(links)
    start = survey.opens_at
    # Never after sciday's clock: the demo's responses were all given before the demo's "now".
    end = min(survey.closes_at, start + timedelta(days=30))
    if clock.now() > start:
        end = min(end, clock.now())
    span = max(1, int((end - start).total_seconds()))
    offset = Response.objects.filter(survey=survey, is_demo=True).count()
    table = Answer._meta.db_table
    # The table name comes from the model, never from input.
    insert = (f"INSERT INTO {table} (response_id, question_id, option_code, number, text) "  # noqa: S608
              "VALUES (%s, %s, %s, %s, %s)")
    done = 0
    while done < count:
        n = min(batch_size, count - done)
        responses, answer_sets = [], []
        for i in range(n):
            link = rng.choice(links) if links and rng.random() < 0.7 else None
            chosen: dict = {}
            rows: list[tuple] = []
            for question in questions:
                condition = option_by_id.get(question.show_if_option_id)
                if condition is not None and condition.code not in chosen.get(condition.question_id, set()):
                    continue
                rows += _answers_for(question, options_of[question.pk], weights_of[question.pk], rng, chosen)
            district = None
            for row in rows:
                label = district_of.get((row[0], row[1]))
                if label is not None:
                    district = districts.get(label)
            responses.append(Response(
                survey=survey, channel=Response.Channel.UNIT if link else Response.Channel.OPEN,
                unit=link.unit if link else None, district_id=district,
                device_hash=f"demo-{seed}-{offset + done + i}", is_demo=True,
                submitted_at=start + timedelta(seconds=rng.randrange(span)),
            ))
            answer_sets.append(rows)
        with transaction.atomic():
            Response.objects.bulk_create(responses, batch_size=batch_size)
            with connection.cursor() as cursor:
                cursor.executemany(insert, [(response.pk, *row) for response, rows in zip(responses, answer_sets,
                                                                                          strict=True)
                                            for row in rows])
        done += n
    from .tallies import tallies_fold

    while tallies_fold(survey=survey, limit=50_000):
        pass
    return done
