"""Every non-trivial read of volunteer service: what each person may see, totals, suggestions, reports.

Totals count confirmed hours only (one hour, one point). Lists annotate their totals with
subqueries, so that a page costs the same few queries however much data there is.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.permissions import is_organiser, unit_ids

from .models import (
    OPEN_REQUEST_STATUSES,
    Programme,
    RequestStatus,
    ServiceHours,
    ServiceRecord,
    ServiceRequest,
    ServiceTeam,
    Volunteer,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=9, decimal_places=1))
CONFIRMED = Q(confirmed_at__isnull=False)


def _hours_sum(**outer) -> Coalesce:
    """A subquery: the confirmed hours of the ServiceHours rows matching ``outer`` (OuterRef filters)."""
    rows = (ServiceHours.objects.filter(CONFIRMED, **outer).order_by().values(next(iter(outer)))
            .annotate(total=Sum("hours")).values("total"))
    return Coalesce(Subquery(rows, output_field=DecimalField(max_digits=9, decimal_places=1)), ZERO)


def _count(model, **outer) -> Coalesce:
    rows = model.objects.filter(**outer).order_by().values(next(iter(outer))).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


# --- teams ---------------------------------------------------------------------------------

def teams_visible(*, user, field_id=None, district_id=None, search: str = "", own_only: bool = False):
    """Every team (their names, fields and districts are no secret among staff), with totals."""
    queryset = ServiceTeam.objects.select_related("unit", "leader").prefetch_related("fields", "districts")
    if own_only:
        queryset = queryset.filter(unit_id__in=unit_ids(user))
    if field_id:
        queryset = queryset.filter(fields__id=field_id)
    if district_id:
        queryset = queryset.filter(districts__id=district_id)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(unit__name__icontains=search))
    return queryset.annotate(
        confirmed_hours=_hours_sum(record__team=OuterRef("pk")),
        record_count=_count(ServiceRecord, team=OuterRef("pk")),
        member_count=_count(ServiceTeam.members.through, serviceteam=OuterRef("pk")),
    ).distinct().order_by("name", "id")


def team_get(*, pk: int):
    return teams_visible(user=None).filter(pk=pk).first()


def teams_acting(*, user):
    """The active teams this user acts for (their units' teams)."""
    return ServiceTeam.objects.filter(unit_id__in=unit_ids(user), is_active=True).order_by("name")


def public_teams():
    return (ServiceTeam.objects.filter(is_active=True, unit__is_active=True).select_related("unit")
            .prefetch_related("fields", "districts").order_by("name", "id"))


# --- volunteers ----------------------------------------------------------------------------

def volunteers_visible(*, user, unit_id=None, field_id=None, search: str = ""):
    queryset = Volunteer.objects.select_related("unit", "field")
    if not is_organiser(user):
        queryset = queryset.filter(unit_id__in=unit_ids(user))
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    if field_id:
        queryset = queryset.filter(field_id=field_id)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(registry_number__icontains=search)
                                   | Q(workplace__icontains=search))
    return queryset.annotate(confirmed_hours=_hours_sum(volunteer=OuterRef("pk"))).order_by("unit_id", "name", "id")


def volunteer_hours(*, volunteer: Volunteer):
    """The volunteer's services, newest first, with their hours and whether they are confirmed."""
    return (ServiceHours.objects.filter(volunteer=volunteer)
            .select_related("record", "record__team", "record__programme").order_by("-record__date", "-id"))


def volunteer_total(*, volunteer: Volunteer) -> Decimal:
    total = ServiceHours.objects.filter(CONFIRMED, volunteer=volunteer).aggregate(t=Sum("hours"))["t"]
    return total or Decimal("0")


# --- requests ------------------------------------------------------------------------------

REQUEST_ORDER = ("-created_at", "-id")  # the requests list's order and keyset


def requests_visible(*, user, status: str = "", search: str = "", campaign=None):
    """Organisers: every request. Coordinators: open requests awaiting a team, and their teams' requests. Only
    those of ``campaign`` when given (and those tied to no campaign: filed before any existed)."""
    queryset = ServiceRequest.objects.select_related("field", "district", "team", "team__unit", "programme")
    if campaign is not None:
        queryset = queryset.filter(Q(campaign_id=campaign.pk) | Q(campaign__isnull=True))
    if not is_organiser(user):
        queryset = queryset.filter(Q(status=RequestStatus.SUBMITTED) | Q(team__unit_id__in=unit_ids(user)))
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(Q(organisation__icontains=search) | Q(need__icontains=search))
    return queryset.order_by(*REQUEST_ORDER)


def request_get(*, pk: int):
    return ServiceRequest.objects.select_related("field", "district", "team", "team__unit", "programme").filter(
        pk=pk).first()


def request_by_receipt(code: str):
    from .services import receipt_digest

    if not code:
        return None
    return request_get_by_digest(receipt_digest(code))


def request_get_by_digest(digest: str):
    return ServiceRequest.objects.select_related("field", "district", "team").filter(receipt_digest=digest).first()


def request_history(*, request: ServiceRequest):
    return request.events.order_by("created_at", "id")


def suggest_teams(*, request: ServiceRequest, limit: int = 10) -> list[tuple[ServiceTeam, str]]:
    """Active teams whose fields or districts fit the request, best first, each with the reason why.

    Two queries whatever the number of teams: the candidates, and their fields and districts.
    """
    candidates = list(
        ServiceTeam.objects.filter(is_active=True, unit__is_active=True)
        .filter(Q(fields=request.field_id) | Q(districts=request.district_id)).distinct()
        .select_related("unit").prefetch_related("fields", "districts"))
    scored = []
    for team in candidates:
        field_ok = any(f.pk == request.field_id for f in team.fields.all())
        district_ok = any(d.pk == request.district_id for d in team.districts.all())
        reasons = []
        if field_ok:
            reasons.append(_("Field matches: %(field)s") % {"field": request.field.label})
        if district_ok:
            reasons.append(_("Serves the district: %(district)s") % {"district": request.district.label})
        scored.append((2 * field_ok + district_ok, team, "；".join(reasons)))
    scored.sort(key=lambda item: (-item[0], item[1].name))
    return [(team, reason) for _score, team, reason in scored[:limit]]


def request_counts(*, user) -> dict:
    return requests_visible(user=user).order_by().aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_REQUEST_STATUSES)),
        waiting=Count("id", filter=Q(status=RequestStatus.SUBMITTED)),
        confirmed=Count("id", filter=Q(status=RequestStatus.CONFIRMED)))


# --- records -------------------------------------------------------------------------------

def records_visible(*, user, team_id=None, programme_id=None):
    queryset = ServiceRecord.objects.select_related("team", "team__unit", "programme", "request")
    if not is_organiser(user):
        queryset = queryset.filter(team__unit_id__in=unit_ids(user))
    if team_id:
        queryset = queryset.filter(team_id=team_id)
    if programme_id:
        queryset = queryset.filter(programme_id=programme_id)
    return queryset.annotate(
        confirmed_hours=_hours_sum(record=OuterRef("pk")),
        volunteer_count=_count(ServiceHours, record=OuterRef("pk")),
    ).order_by("-date", "-id")


def record_hours(*, record: ServiceRecord):
    return record.hours.select_related("volunteer").order_by("volunteer__name", "id")


# --- programmes and reports ----------------------------------------------------------------

def programmes_with_totals(*, active_only: bool = True):
    queryset = Programme.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    beneficiaries = (ServiceRecord.objects.filter(programme=OuterRef("pk")).order_by().values("programme")
                     .annotate(n=Sum("beneficiaries")).values("n"))
    return queryset.annotate(
        confirmed_hours=_hours_sum(record__programme=OuterRef("pk")),
        record_count=_count(ServiceRecord, programme=OuterRef("pk")),
        beneficiary_total=Coalesce(Subquery(beneficiaries, output_field=IntegerField()), Value(0)),
    ).order_by("order", "id")


def report_rows(*, user, by: str, start=None, end=None) -> list[dict]:
    """One row per team (``by="team"``) or programme: services, volunteers, beneficiaries and confirmed
    hours between ``start`` and ``end`` (inclusive; None: no bound). A coordinator sees their teams only."""
    records = ServiceRecord.objects.all()
    if not is_organiser(user):
        records = records.filter(team__unit_id__in=unit_ids(user))
    if start:
        records = records.filter(date__gte=start)
    if end:
        records = records.filter(date__lte=end)
    key = "team" if by == "team" else "programme"
    services = {row[key]: row for row in records.order_by().values(key).annotate(
        services=Count("id"), beneficiaries=Sum("beneficiaries"))}
    hours = {row[f"record__{key}"]: row for row in ServiceHours.objects.filter(
        CONFIRMED, record__in=records.values("pk")).order_by().values(f"record__{key}").annotate(
        hours=Sum("hours"), volunteers=Count("volunteer", distinct=True))}
    if key == "team":
        names = dict(ServiceTeam.objects.filter(pk__in=[k for k in services if k]).values_list("pk", "name"))
    else:
        names = {p.pk: p.label for p in Programme.objects.filter(pk__in=[k for k in services if k])}
    rows = []
    for pk, row in services.items():
        rows.append({
            "name": names.get(pk, _("No programme")), "services": row["services"],
            "beneficiaries": row["beneficiaries"] or 0,
            "volunteers": hours.get(pk, {}).get("volunteers", 0),
            "hours": hours.get(pk, {}).get("hours") or Decimal("0"),
        })
    rows.sort(key=lambda r: (-r["hours"], str(r["name"])))
    return rows
