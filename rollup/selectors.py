"""Reads of the roll-up: the decisions for a sender, the receiving level's overview of its senders (completeness
and timeliness against the campaign's deadline, figures side by side), the review queue and the role models."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from organisations.models import REGION_UNIT_TYPES, Unit

from .models import Decision, ProvinceDecision, ReceivedPackage, ReceivedRecord, RecordKind, UpwardLink

MAX_DECISIONS = 1000
TOTALS = ("activities", "held", "participants", "online_views", "checkins", "coverage", "recommended_up")


def transfer_upload(*, link: UpwardLink, upload_id: str):
    """The transfer app's upload ``upload_id`` if this link made it (owner key), else None."""
    from transfer.selectors import upload_get

    try:
        return upload_get(owner=f"rollup-link:{link.pk}", upload_id=upload_id)
    except (ValueError, TypeError):
        return None


def decisions_for_link(*, link: UpwardLink, since: datetime.datetime | None) -> tuple[list[dict], str]:
    """The decisions on the link's sender's activities made at or after ``since`` (the sender skips those it
    already holds: at-or-after, so that two decisions in the same instant are never lost), and the cursor."""
    records = (ReceivedRecord.objects.filter(campaign=link.campaign, package__unit=link.unit,
                                             kind=RecordKind.ACTIVITY, decided_at__isnull=False)
               .order_by("decided_at", "pk"))
    if since is not None:
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        records = records.filter(decided_at__gte=since)
    items = [{"id": r.stable_id, "decision": r.decision, "reason": r.decision_reason,
              "decided_at": r.decided_at.isoformat()}
             for r in records.only("stable_id", "decision", "decision_reason", "decided_at")[:MAX_DECISIONS]]
    return items, (items[-1]["decided_at"] if items else "")


def sender_units() -> QuerySet[Unit]:
    """The units that send packages here: the cities' 市科协 and 市科技局 with a region code."""
    return (Unit.objects.filter(unit_type__in=REGION_UNIT_TYPES, is_active=True).exclude(region_code="")
            .order_by("region_code", "unit_type", "name"))


def overview(*, campaign) -> list[dict]:
    """Per sender city (its 市科协; the bureau when the city has only that): whether and when its package arrived,
    on time against the campaign's summary deadline (end of that day), and its totals. Three queries."""
    deadline = timezone.make_aware(datetime.datetime.combine(campaign.summary_deadline, datetime.time.max))
    packages = {p.unit_id: p for p in ReceivedPackage.objects.filter(campaign=campaign)
                .annotate(activities_n=Count("records", filter=Q(records__kind=RecordKind.ACTIVITY)),
                          selected_n=Count("records", filter=Q(records__decision=Decision.SELECTED)))}
    links = {}
    for link in UpwardLink.objects.filter(campaign=campaign, revoked_at__isnull=True):
        links.setdefault(link.unit_id, link)
    rows, seen_regions = [], set()
    for unit in sender_units():
        package = packages.get(unit.pk)
        if unit.region_code in seen_regions and package is None:
            continue
        seen_regions.add(unit.region_code)
        totals = (package.figures.get("totals", {}) if package else {})
        rows.append({
            "unit": unit, "region_code": unit.region_code, "package": package, "link": links.get(unit.pk),
            "received_at": package.received_at if package else None,
            "on_time": package is not None and package.first_received_at <= deadline,
            "late": package is not None and package.first_received_at > deadline,
            "totals": [totals.get(key, 0) for key in TOTALS],
            "activities_n": package.activities_n if package else 0,
            "selected_n": package.selected_n if package else 0,
        })
    return rows


def completeness(rows: list[dict]) -> dict:
    expected = len(rows)
    received = sum(1 for r in rows if r["package"] is not None)
    on_time = sum(1 for r in rows if r["on_time"])
    sums = [sum(r["totals"][i] for r in rows) for i in range(len(TOTALS))]
    return {"expected": expected, "received": received, "on_time": on_time,
            "percent": round(100 * received / expected) if expected else 0, "sums": sums}


def review_queue(*, campaign, decision: str = "") -> QuerySet[ReceivedRecord]:
    records = (ReceivedRecord.objects.filter(campaign=campaign, kind=RecordKind.ACTIVITY)
               .select_related("package__unit").order_by("decision", "package__unit__region_code", "stable_id"))
    if decision in Decision.values:
        records = records.filter(decision=decision)
    return records


def role_models(*, campaign) -> QuerySet[ReceivedRecord]:
    return (ReceivedRecord.objects.filter(campaign=campaign, kind=RecordKind.ROLE_MODEL)
            .select_related("package__unit").order_by("package__unit__region_code", "title"))


def province_decision_counts(*, campaign) -> dict:
    """At the sending level: how many of its activities the province selected and declined (the dashboard)."""
    found = dict(ProvinceDecision.objects.filter(activity__campaign=campaign).values_list("decision")
                 .annotate(n=Count("pk")).values_list("decision", "n"))
    return {"selected": found.get(Decision.SELECTED, 0), "declined": found.get(Decision.DECLINED, 0)}
