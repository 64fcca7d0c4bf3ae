"""The figures of the organisers' dashboard (数据看板), for one office or the whole city.

``dashboard_figures(campaign=…, office=…)`` returns one plain dict (JSON-ready: strings, numbers,
lists, dicts) that the page, ``GET /api/v1/campaigns/{slug}/dashboard``, the whole-city report and
the province roll-up all read. ``office=None`` means the whole city; an office sees only the units
whose unit type the campaign routes to it (``summaries.selectors.office_unit_types``).

Every section is a fixed number of aggregate queries, whatever the number of activities or units;
``cached_dashboard_figures`` keeps the result in the shared cache (``core.versioned_cache``) per
campaign version and office for at most ``CACHE_SECONDS``.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate

from activities.models import APPROVED_STATES, Activity, CheckIn, MediaCoverage, Mode, State
from campaigns.models import Campaign
from core import clock, versioned_cache
from organisations.models import District, Office, Unit, UnitType

SHANGHAI = ZoneInfo("Asia/Shanghai")
CACHE_SECONDS = 60
# Activities counted in the figures: approved at least once (the states the public sees).
COUNTED_STATES = APPROVED_STATES
HELD_STATES = (State.HELD, State.RECOMMENDED, State.RECOMMENDED_UP)
CITY = "city"


# --- scope -------------------------------------------------------------------------------------

def lead_office(*, campaign: Campaign) -> Office | None:
    """The office that sees the whole city: the campaign's lead office (a campaign setting), else the
    city association's office — the same rule as the joint report (``Campaign.report_lead_office``)."""
    return campaign.report_lead_office()


def scope_unit_types(*, campaign: Campaign, office: Office | None) -> list[str] | None:
    """The unit types ``office`` sees (None: every type, the whole city)."""
    if office is None:
        return None
    lead = lead_office(campaign=campaign)
    if lead is not None and lead.pk == office.pk:
        return None
    return sorted(campaign.routing_rules.filter(office=office).values_list("unit_type", flat=True))


def _units_in(units: QuerySet, types: list[str] | None, prefix: str = "") -> QuerySet:
    return units if types is None else units.filter(**{f"{prefix}unit_type__in": types})


# --- helpers -----------------------------------------------------------------------------------

def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    if end < start:
        return []
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


def _num(value) -> int | float:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def _type_label(code: str) -> str:
    return str(dict(UnitType.choices).get(code, code))


# --- sections ----------------------------------------------------------------------------------

def _activities(campaign: Campaign, types: list[str] | None) -> dict:
    everything = _units_in(Activity.objects.filter(campaign=campaign), types, "unit__").order_by()
    counted = everything.filter(state__in=COUNTED_STATES)
    totals = counted.aggregate(
        total=Count("id"),
        held=Count("id", filter=Q(state__in=HELD_STATES)),
        participants=Coalesce(Sum("actual_participants", filter=Q(state__in=HELD_STATES)), 0),
        online_views=Coalesce(Sum("online_views", filter=Q(state__in=HELD_STATES)), 0),
        joint_st_week=Count("id", filter=Q(joint_st_week=True)),
    )
    ids = counted.values("id")
    totals["checkins"] = CheckIn.objects.filter(activity_id__in=ids).count()
    state_labels = dict(State.choices)
    states = dict(everything.values_list("state").annotate(n=Count("id")))
    totals["by_state"] = [{"state": s, "label": str(state_labels[s]), "n": states.get(s, 0)} for s in State.values]
    totals["by_category"] = [
        {"id": row["category_id"], "number": row["category__number"], "name": row["category__name"], "n": row["n"]}
        for row in counted.values("category_id", "category__number", "category__name").annotate(n=Count("id"))
        .order_by("category__number")
    ]
    totals["by_form"] = [
        {"id": row["form_id"], "name": row["form__name"], "category": row["category__number"], "n": row["n"]}
        for row in counted.values("form_id", "form__name", "category__number").annotate(n=Count("id"))
        .order_by("category__number", "-n", "form_id")
    ]
    modes = dict(counted.values_list("mode").annotate(n=Count("id")))
    totals["by_mode"] = [{"mode": m, "label": str(label), "n": modes.get(m, 0)} for m, label in Mode.choices]
    unit_types = dict(counted.values_list("unit__unit_type").annotate(n=Count("id")))
    totals["by_unit_type"] = [{"unit_type": t, "label": _type_label(t), "n": unit_types[t]}
                              for t in UnitType.values if unit_types.get(t)]
    # The activity's own district (where it is held), as the activity lists filter it.
    districts = dict(counted.values_list("district").annotate(n=Count("id")))
    rows = [{"id": d.pk, "code": d.code, "name": d.name, "n": districts.get(d.pk, 0)}
            for d in District.objects.order_by("order", "pk")]
    if districts.get(None):
        rows.append({"id": None, "code": "", "name": "—", "n": districts[None]})
    totals["by_district"] = sorted(rows, key=lambda row: -row["n"])
    per_day = dict(counted.annotate(day=TruncDate("starts_at", tzinfo=SHANGHAI)).values_list("day")
                   .annotate(n=Count("id")))
    start = campaign.window_start
    end = max([campaign.window_end, *[d for d in per_day if d is not None]])
    totals["per_day"] = [{"date": d.isoformat(), "n": per_day.get(d, 0)} for d in _days(start, end)]
    # What the level above decided about the recommended activities (rollup: pulled 「获取省级决定」).
    from rollup.models import ProvinceDecision

    decided = dict(ProvinceDecision.objects.filter(activity__in=everything.values("id")).order_by()
                   .values_list("decision").annotate(n=Count("id")))
    totals["province"] = {"selected": decided.get("selected", 0), "declined": decided.get("declined", 0)}
    return totals


def _coverage(campaign: Campaign, types: list[str] | None) -> dict:
    """Units expected (active units of each type in scope), units with at least one counted activity, and none."""
    has_activity = Exists(Activity.objects.filter(campaign=campaign, unit=OuterRef("pk"), state__in=COUNTED_STATES))
    units = _units_in(Unit.objects.filter(is_active=True), types).annotate(reported=has_activity).order_by()
    by_type = {row["unit_type"]: row for row in units.values("unit_type").annotate(
        expected=Count("id"), reported_n=Count("id", filter=Q(reported=True)))}
    by_district = {row["district"]: row for row in units.values("district").annotate(
        expected=Count("id"), reported_n=Count("id", filter=Q(reported=True)))}

    def row_of(found):
        expected = found["expected"] if found else 0
        reported = found["reported_n"] if found else 0
        return {"expected": expected, "reported": reported, "none": expected - reported}

    type_rows = [{"unit_type": t, "label": _type_label(t), **row_of(by_type.get(t))}
                 for t in UnitType.values if (types is None or t in types) and by_type.get(t)]
    district_rows = [{"id": d.pk, "code": d.code, "name": d.name, **row_of(by_district.get(d.pk))}
                     for d in District.objects.order_by("order", "pk")]
    if by_district.get(None):
        district_rows.append({"id": None, "code": "", "name": "—", **row_of(by_district[None])})
    expected = sum(r["expected"] for r in type_rows)
    reported = sum(r["reported"] for r in type_rows)
    return {"expected": expected, "reported": reported, "none": expected - reported,
            "by_unit_type": type_rows, "by_district": district_rows}


def _summaries(campaign: Campaign, types: list[str] | None) -> dict:
    """Completeness and timeliness of the summaries, the way DHIS2 reports a data set."""
    from summaries.models import Extension, Summary, SummaryState

    submitted_states = (SummaryState.SUBMITTED, SummaryState.ACCEPTED, SummaryState.RETURNED)
    summaries = Summary.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    units = (_units_in(Unit.objects.filter(is_active=True), types).order_by()
             .annotate(submitted=Exists(summaries.filter(state__in=submitted_states, submitted_at__isnull=False)),
                       late=Exists(summaries.filter(state__in=submitted_states, submitted_at__isnull=False,
                                                    is_late=True)),
                       extended=Exists(Extension.objects.filter(campaign=campaign, unit=OuterRef("pk")))))
    figures = {"expected": Count("id"), "submitted_n": Count("id", filter=Q(submitted=True)),
               "late_n": Count("id", filter=Q(late=True)), "extensions": Count("id", filter=Q(extended=True))}

    def row_of(found):
        found = found or {"expected": 0, "submitted_n": 0, "late_n": 0, "extensions": 0}
        submitted = found["submitted_n"]
        return {"expected": found["expected"], "submitted": submitted, "on_time": submitted - found["late_n"],
                "late": found["late_n"], "missing": found["expected"] - submitted, "extensions": found["extensions"]}

    by_type = {row["unit_type"]: row for row in units.values("unit_type").annotate(**figures)}
    by_district = {row["district"]: row for row in units.values("district").annotate(**figures)}
    routing = dict(campaign.routing_rules.values_list("unit_type", "office_id"))
    offices = {}
    for office in Office.objects.filter(pk__in=set(routing.values())).order_by("pk"):
        rows = [row_of(by_type.get(t)) for t, o in routing.items() if o == office.pk and (types is None or t in types)]
        if rows:
            offices[office.pk] = {"code": office.code, "name": office.name,
                                  **{k: sum(r[k] for r in rows) for k in rows[0]}}
    type_rows = [{"unit_type": t, "label": _type_label(t), **row_of(by_type.get(t))}
                 for t in UnitType.values if by_type.get(t)]
    district_rows = [{"code": d.code, "name": d.name, **row_of(by_district.get(d.pk))}
                     for d in District.objects.order_by("order", "pk")]
    total = row_of(units.aggregate(**figures))
    # Day by day: summaries submitted each day (the first submission), cumulated, up to the deadline.
    days = dict(_units_in(Summary.objects.filter(campaign=campaign, state__in=submitted_states,
                                                 submitted_at__isnull=False, unit__is_active=True), types, "unit__")
                .order_by().annotate(day=TruncDate("submitted_at", tzinfo=SHANGHAI)).values_list("day")
                .annotate(n=Count("id")))
    start = min([campaign.key_day, *[d for d in days if d is not None]])
    end = max([campaign.summary_deadline, *[d for d in days if d is not None]])
    running, curve = 0, []
    for day in _days(start, end):
        running += days.get(day, 0)
        curve.append({"date": day.isoformat(), "n": days.get(day, 0), "cumulative": running})
    return {**total, "deadline": campaign.summary_deadline.isoformat(), "by_office": list(offices.values()),
            "by_unit_type": type_rows, "by_district": district_rows, "per_day": curve}


def _awards(campaign: Campaign, types: list[str] | None) -> dict:
    from awards.models import Nomination, Selection

    selection = Selection.objects.filter(campaign=campaign).first()
    if selection is None:
        return {"stage": "", "stage_label": "", "nominations": 0, "by_state": [], "by_unit": []}
    nominations = _units_in(Nomination.objects.filter(selection=selection), types, "unit__").order_by()
    states = dict(nominations.values_list("status").annotate(n=Count("id")))
    labels = dict(Nomination.Status.choices)
    by_unit = [{"unit_id": row["unit_id"], "name": row["unit__name"], "n": row["n"]}
               for row in nominations.exclude(status=Nomination.Status.DRAFT)
               .values("unit_id", "unit__name").annotate(n=Count("id")).order_by("-n", "unit__name")[:20]]
    return {"stage": selection.stage, "stage_label": str(selection.get_stage_display()),
            "nominations": sum(n for s, n in states.items() if s != Nomination.Status.DRAFT),
            "by_state": [{"state": s, "label": str(labels[s]), "n": states.get(s, 0)} for s in labels],
            "by_unit": by_unit}


def _exhibitions(campaign: Campaign, types: list[str] | None) -> dict:
    from exhibitions.models import ExhibitionStop, Visit, VisitState

    stops = ExhibitionStop.objects.filter(exhibition__campaign=campaign).order_by()
    if types is not None:
        stops = stops.filter(host_unit__unit_type__in=types)
    stop_figures = stops.aggregate(stops=Count("id"), visitors=Coalesce(Sum("visitors"), 0))
    visits = Visit.objects.filter(slot__date__gte=campaign.window_start, slot__date__lte=campaign.window_end).order_by()
    if types is not None:
        visits = visits.filter(base__managing_unit__unit_type__in=types)
    visit_figures = visits.aggregate(visits=Count("id", filter=Q(state=VisitState.VISITED)),
                                     booked=Count("id", filter=~Q(state__in=[VisitState.DECLINED,
                                                                            VisitState.CANCELLED])),
                                     visitors=Coalesce(Sum("visitors", filter=Q(state=VisitState.VISITED)), 0))
    return {"stops": stop_figures["stops"], "stop_visitors": stop_figures["visitors"],
            "base_visits": visit_figures["visits"], "base_bookings": visit_figures["booked"],
            "base_visitors": visit_figures["visitors"]}


def _volunteering(campaign: Campaign, types: list[str] | None) -> dict:
    from volunteering.models import RequestStatus, ServiceHours, ServiceRequest

    year = campaign.year
    requests = ServiceRequest.objects.filter(created_at__year=year).order_by()
    hours = ServiceHours.objects.filter(confirmed_at__isnull=False, record__date__year=year).order_by()
    if types is not None:
        requests = requests.filter(team__unit__unit_type__in=types)
        hours = hours.filter(record__team__unit__unit_type__in=types)
    states = dict(requests.values_list("status").annotate(n=Count("id")))
    per_programme = [{"programme": row["record__programme__name"] or "—", "hours": _num(row["h"])}
                     for row in hours.values("record__programme__name").annotate(h=Sum("hours"))
                     .order_by("record__programme__name")]
    return {"requests": sum(states.values()),
            "by_state": [{"state": s, "label": str(label), "n": states.get(s, 0)} for s, label in RequestStatus.choices],
            "hours": sum(row["hours"] for row in per_programme), "hours_by_programme": per_programme}


def _survey(campaign: Campaign, types: list[str] | None) -> dict:
    from surveys.models import Response, Survey, SurveyLink
    from surveys.privacy import MIN_GROUP, guard

    survey = Survey.objects.filter(campaign=campaign).order_by("pk").first()
    if survey is None:
        return {"title": "", "responses": None, "min_group": MIN_GROUP, "by_unit": [], "by_district": []}
    responses = Response.objects.filter(survey=survey).order_by()
    links = SurveyLink.objects.filter(survey=survey, unit__isnull=False).order_by()
    if types is not None:
        responses = responses.filter(unit__unit_type__in=types)
        links = links.filter(unit__unit_type__in=types)
    per_unit = dict(responses.exclude(unit=None).values_list("unit").annotate(n=Count("id")))
    expected_unit = {row[0]: (row[1], row[2]) for row in links.values_list("unit", "unit__name", "expected_headcount")}
    per_district = dict(responses.values_list("district").annotate(n=Count("id")))
    expected_district = dict(links.filter(expected_headcount__isnull=False)
                             .values_list("unit__district").annotate(n=Sum("expected_headcount")))
    total = sum(per_district.values())
    shown_units = guard({pk: per_unit.get(pk, 0) for pk in expected_unit})
    by_unit = []
    for pk, (name, expected) in sorted(expected_unit.items(), key=lambda item: item[1][0]):
        n = shown_units[pk]
        by_unit.append({"unit_id": pk, "name": name, "responses": n, "expected": expected,
                        "rate": round(100 * n / expected, 1) if (n is not None and expected) else None})
    districts = list(District.objects.order_by("order", "pk"))
    shown_districts = guard({d.pk: per_district.get(d.pk, 0) for d in districts})
    by_district = []
    for d in districts:
        n, expected = shown_districts[d.pk], expected_district.get(d.pk)
        by_district.append({"code": d.code, "name": d.name, "responses": n, "expected": expected,
                            "rate": round(100 * n / expected, 1) if (n is not None and expected) else None})
    return {"title": survey.title, "survey_id": survey.pk,
            "responses": total if (total == 0 or total >= MIN_GROUP) else None,
            "min_group": MIN_GROUP, "by_unit": by_unit, "by_district": by_district}


def _problems(campaign: Campaign, types: list[str] | None, office: Office | None) -> dict:
    from problems.models import OPEN_STATUSES, Problem, Status

    problems = Problem.objects.filter(created_at__year=campaign.year).order_by()
    if types is not None:
        problems = problems.filter(Q(responsible_unit__unit_type__in=types) | Q(responsible_office=office))
    in_progress = [s for s in OPEN_STATUSES if s != Status.RAISED]
    figures = problems.aggregate(
        raised=Count("id"),
        waiting=Count("id", filter=Q(status=Status.RAISED)),
        in_progress=Count("id", filter=Q(status__in=in_progress)),
        resolved=Count("id", filter=Q(status=Status.RESOLVED)),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        declined=Count("id", filter=Q(status=Status.DECLINED)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=clock.today())),
    )
    return figures


def _publicity(campaign: Campaign, types: list[str] | None) -> dict:
    coverage = _units_in(MediaCoverage.objects.filter(activity__campaign=campaign,
                                                      activity__state__in=COUNTED_STATES), types,
                         "activity__unit__").order_by()
    per_day = dict(coverage.values_list("date").annotate(n=Count("id")))
    dated = [d for d in per_day if d is not None]
    days = _days(min([campaign.window_start, *dated]), max([campaign.window_end, *dated]))
    return {"coverage": sum(per_day.values()),
            "coverage_per_day": [{"date": d.isoformat(), "n": per_day.get(d, 0)} for d in days]}


# --- the figures -------------------------------------------------------------------------------

def dashboard_figures(*, campaign: Campaign, office: Office | None = None) -> dict:
    """Every figure of the dashboard for ``office`` (None: the whole city), as a JSON-ready dict."""
    types = scope_unit_types(campaign=campaign, office=office)
    return {
        "campaign": campaign.slug,
        "scope": {"office": office.code if (office is not None and types is not None) else CITY,
                  "office_name": office.name if (office is not None and types is not None) else "",
                  "unit_types": types if types is not None else list(UnitType.values)},
        "as_of": clock.now().isoformat(),
        "window": {"start": campaign.window_start.isoformat(), "end": campaign.window_end.isoformat(),
                   "key_day": campaign.key_day.isoformat()},
        "activities": _activities(campaign, types),
        "coverage": _coverage(campaign, types),
        "summaries": _summaries(campaign, types),
        "awards": _awards(campaign, types),
        "exhibitions": _exhibitions(campaign, types),
        "volunteering": _volunteering(campaign, types),
        "survey": _survey(campaign, types),
        "problems": _problems(campaign, types, office),
        "publicity": _publicity(campaign, types),
    }


def cached_dashboard_figures(*, campaign: Campaign, office: Office | None = None) -> dict:
    """``dashboard_figures`` from the shared cache: rebuilt when the campaign or its published
    activities change (their version keys), and at least every ``CACHE_SECONDS`` (one cache round trip)."""
    types = scope_unit_types(campaign=campaign, office=office)
    scope = CITY if types is None else office.code
    key = f"dashboard:figures:{campaign.pk}:{scope}:{clock.today().isoformat()}"
    return versioned_cache.get_or_build(
        key, [versioned_cache.CAMPAIGNS, versioned_cache.ACTIVITIES],
        lambda: dashboard_figures(campaign=campaign, office=office), timeout=CACHE_SECONDS)


def office_for_user(*, user, campaign: Campaign, requested: str = "") -> Office | None:
    """The office whose dashboard ``user`` opens (None: the whole city).

    Administrators and staff of the lead office see the city, and may open any office's view
    (``requested``: its code); other staff see their own office (the first if they have several
    and ``requested`` names none of theirs)."""
    from accounts import permissions

    lead = lead_office(campaign=campaign)
    if permissions.is_admin(user):
        mine = Office.objects.all()
    else:
        mine = Office.objects.filter(pk__in=permissions.office_ids(user))
    sees_city = permissions.is_admin(user) or (lead is not None and mine.filter(pk=lead.pk).exists())
    if sees_city:
        if requested and requested != CITY:
            return Office.objects.filter(code=requested).first()
        return None
    chosen = mine.filter(code=requested).first() if requested else None
    return chosen or mine.order_by("pk").first()


def offices_to_choose(*, user, campaign: Campaign) -> list[Office]:
    """The offices ``user`` may switch the dashboard to (the lead office and administrators: all routed offices)."""
    from accounts import permissions

    routed = Office.objects.filter(pk__in=campaign.routing_rules.values("office")).order_by("pk")
    if permissions.is_admin(user):
        return list(routed)
    lead = lead_office(campaign=campaign)
    ids = permissions.office_ids(user)
    if lead is not None and lead.pk in ids:
        return list(routed)
    return list(routed.filter(pk__in=ids))
