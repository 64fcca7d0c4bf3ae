"""Every non-trivial read of the problems ledger; each list takes the user and returns what they may see."""

from django.db.models import Count, Q, QuerySet

from accounts import permissions
from core import clock

from .models import OPEN_STATUSES, PUBLIC_STATUSES, Problem, ProblemEvent, Status
from .services import ACTION_PERMISSIONS, TRANSITIONS, receipt_digest, receipt_normalise


def problems_visible(*, user) -> QuerySet[Problem]:
    """Organisers see every problem; a coordinator those assigned to their units; anybody else none."""
    problems = Problem.objects.select_related("responsible_unit", "responsible_office")
    if permissions.is_organiser(user):
        return problems
    unit_ids = permissions.unit_ids(user)
    if not unit_ids:
        return problems.none()
    return problems.filter(responsible_unit_id__in=unit_ids)


def overdue_q() -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=clock.today())


def in_campaign(problems: QuerySet[Problem], campaign) -> QuerySet[Problem]:
    """Problems raised during ``campaign`` (and those tied to no campaign: raised before any existed)."""
    if campaign is None:
        return problems
    return problems.filter(Q(campaign_id=campaign.pk) | Q(campaign__isnull=True))


LEDGER_ORDER = ("-created_at", "-id")  # the ledger's order and keyset


def problem_ledger(*, user, status: str = "", category: str = "", unit=None, overdue: bool = False,
                   search: str = "", campaign=None) -> QuerySet[Problem]:
    """The ledger page: ``user``'s problems (of ``campaign``) filtered as asked, newest first (one query a page)."""
    problems = in_campaign(problems_visible(user=user), campaign)
    if status:
        problems = problems.filter(status=status)
    if category:
        problems = problems.filter(category=category)
    if unit is not None:
        problems = problems.filter(responsible_unit=unit)
    if overdue:
        problems = problems.filter(overdue_q())
    search = (search or "").strip()
    if search:
        query = Q(title__icontains=search) | Q(description__icontains=search)
        digits = search.upper().removeprefix("WT-")
        if digits.isdigit():
            query |= Q(pk=int(digits))
        problems = problems.filter(query)
    return problems.order_by(*LEDGER_ORDER)


def ledger_counts(*, user, campaign=None) -> dict:
    """How many of ``user``'s problems are in each state, open and overdue (one query)."""
    aggregates = {"total": Count("id"), "overdue": Count("id", filter=overdue_q()),
                  "open": Count("id", filter=Q(status__in=OPEN_STATUSES))}
    aggregates.update({status: Count("id", filter=Q(status=status)) for status in Status.values})
    return in_campaign(problems_visible(user=user), campaign).order_by().aggregate(**aggregates)


def problem_get(*, pk: int) -> Problem | None:
    """A problem by id whoever asks; the view checks ``problem.view`` (404 to outsiders)."""
    return Problem.objects.select_related("responsible_unit", "responsible_office").filter(pk=pk).first()


def problem_history(*, problem: Problem) -> QuerySet[ProblemEvent]:
    return problem.events.select_related("actor").order_by("created_at", "id")


def actions_for(*, user, problem: Problem) -> list[str]:
    """The actions ``user`` may take on ``problem`` now (the buttons of the detail page)."""
    actions = []
    for (state, action), _target in TRANSITIONS.items():
        permission = ACTION_PERMISSIONS[action]
        if state == problem.status and permission and action not in actions \
                and permissions.can(user, permission, problem):
            actions.append(action)
    return actions


def public_results() -> QuerySet[Problem]:
    """Resolved and closed problems for the public page; only staff-written fields are to be shown."""
    return (Problem.objects.filter(status__in=PUBLIC_STATUSES).exclude(public_summary="")
            .only("id", "category", "status", "public_summary", "resolution", "resolved_at", "closed_at")
            .order_by("-resolved_at", "-id"))


def public_totals() -> dict:
    """The ledger's totals as the public page states them: collected, being handled, closed (one query)."""
    totals = Problem.objects.exclude(status=Status.DECLINED).order_by().aggregate(
        collected=Count("id"), closed=Count("id", filter=Q(status=Status.CLOSED)),
        resolved=Count("id", filter=Q(status=Status.RESOLVED)),
    )
    totals["handling"] = totals["collected"] - totals["closed"]
    return totals


def problem_by_receipt(code: str) -> Problem | None:
    """The problem a receipt code belongs to, or None."""
    if len(receipt_normalise(code)) != 12:
        return None
    return Problem.objects.filter(receipt_digest=receipt_digest(code)).first()


def coordinator_todo_counts(*, user) -> dict:
    return problems_visible(user=user).order_by().aggregate(
        to_handle=Count("id", filter=Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED])),
        overdue=Count("id", filter=overdue_q()),
    )
