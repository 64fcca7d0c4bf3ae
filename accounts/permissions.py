"""The one permission layer of sciday: every view and API endpoint asks here, nowhere else.

Roles follow from data: a coordinator has unit memberships, office staff (the organisers) have
office memberships, an expert has ``is_expert``, a site administrator is a superuser. A permission
is a name in ``RULES``; object permissions get the object as a second argument. ``require``
raises PermissionDenied (and audits the denial); views turn it into 403, or 404 where the object's
existence must not leak.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def unit_ids(user) -> frozenset[int]:
    """The ids of the active units this user coordinates (cached on the user for the request)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_sciday_unit_ids", None)
    if cached is None:
        from organisations.models import UnitMembership

        cached = frozenset(
            UnitMembership.objects.filter(user=user, unit__is_active=True).values_list("unit_id", flat=True)
        )
        user._sciday_unit_ids = cached
    return cached


def office_ids(user) -> frozenset[int]:
    """The ids of the offices this user works in (cached on the user for the request)."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_sciday_office_ids", None)
    if cached is None:
        from organisations.models import OfficeMembership

        cached = frozenset(OfficeMembership.objects.filter(user=user).values_list("office_id", flat=True))
        user._sciday_office_ids = cached
    return cached


def is_admin(user) -> bool:
    return _active(user) and user.is_superuser


def is_office_staff(user) -> bool:
    return bool(office_ids(user))


def is_organiser(user) -> bool:
    """Organisers (office staff and administrators) see and manage everything of a campaign."""
    return is_admin(user) or is_office_staff(user)


def is_coordinator(user) -> bool:
    return bool(unit_ids(user))


def is_expert(user) -> bool:
    return _active(user) and user.is_expert


def _own_unit(user, unit) -> bool:
    return unit is not None and unit.pk in unit_ids(user)


RULES: dict[str, Callable] = {
    # site
    "admin.site": lambda user, obj=None: is_admin(user),
    "audit.view": lambda user, obj=None: is_organiser(user),
    # units and accounts
    "units.list": lambda user, obj=None: is_organiser(user) or is_coordinator(user),
    "units.manage": lambda user, obj=None: is_organiser(user),
    "unit.view": lambda user, unit=None: is_organiser(user) or _own_unit(user, unit),
    "unit.edit_contact": lambda user, unit=None: is_organiser(user) or _own_unit(user, unit),
    "accounts.manage": lambda user, obj=None: is_organiser(user),
    # one account: only a site administrator may touch an administrator's account
    "account.manage": lambda user, target=None: is_organiser(user) and (
        target is None or not target.is_superuser or is_admin(user)),
    # campaigns
    "campaigns.manage": lambda user, obj=None: is_organiser(user),
    "dashboard.view": lambda user, obj=None: is_organiser(user),
    "calendars.manage": lambda user, obj=None: is_organiser(user),
    # activities: coordinators act for their own unit's activities, organisers review them all
    "activities.manage": lambda user, obj=None: is_organiser(user) or is_coordinator(user),
    "activities.create": lambda user, obj=None: is_coordinator(user),
    "activities.review": lambda user, obj=None: is_organiser(user),
    "activity.view": lambda user, activity=None: activity is not None and (
        is_organiser(user) or _own_unit(user, activity.unit)),
    "activity.edit": lambda user, activity=None: activity is not None and _own_unit(user, activity.unit)
    and activity.is_editable,
    "activity.host": lambda user, activity=None: activity is not None and _own_unit(user, activity.unit),
    "activity.review": lambda user, activity=None: is_organiser(user),
    "activity.cancel": lambda user, activity=None: activity is not None and (
        is_organiser(user) or _own_unit(user, activity.unit)),
    "activity.checkins": lambda user, activity=None: activity is not None and (
        is_organiser(user) or _own_unit(user, activity.unit)),
    # surveys: organisers build them and see the results; a coordinator sees their own unit's
    # links, 填答码 and response counts, never the answers
    "surveys.manage": lambda user, obj=None: is_organiser(user),
    "surveys.units": lambda user, obj=None: is_organiser(user) or is_coordinator(user),
    "survey.unit_view": lambda user, unit=None: is_organiser(user) or _own_unit(user, unit),
    # summaries: a coordinator writes their own unit's; an office sees and reviews what is routed to it
    "summaries.own": lambda user, obj=None: is_coordinator(user),
    "summary.edit": lambda user, unit=None: _own_unit(user, unit),
    "summaries.inbox": lambda user, obj=None: is_organiser(user),
    "summaries.office": lambda user, office=None: is_admin(user) or (
        office is not None and office.pk in office_ids(user)),
    # a draft (never sent, or withdrawn) is the unit's alone until it is submitted again
    "summary.view": lambda user, summary=None: summary is not None and (
        is_admin(user) or _own_unit(user, summary.unit)
        or (summary.office_id in office_ids(user) and summary.state != "draft")),
    "summary.review": lambda user, summary=None: summary is not None and (
        is_admin(user) or summary.office_id in office_ids(user)),
    "summaries.report": lambda user, obj=None: is_organiser(user),
    # the city's joint report and the upward package: the campaign's lead office (and administrators)
    "summaries.city_report": lambda user, campaign=None: is_admin(user) or (
        campaign is not None and getattr(campaign.report_lead_office(), "pk", None) in office_ids(user)),
    # the roll-up (rollup): upward links, received packages, the review of the cities' activities, the push up
    # and the pull of decisions: the campaign's lead office (and administrators), as for the joint report
    "rollup.manage": lambda user, campaign=None: is_admin(user) or (
        campaign is not None and getattr(campaign.report_lead_office(), "pk", None) in office_ids(user)),
    # API tokens: everybody manages their own
    "tokens.manage": lambda user, obj=None: _active(user),
    # urgent problems ledger: organisers run it, a unit sees and handles what is assigned to it
    "problems.ledger": lambda user, obj=None: is_organiser(user) or is_coordinator(user),
    "problems.manage": lambda user, obj=None: is_organiser(user),
    "problem.view": lambda user, problem=None: is_organiser(user) or (
        problem is not None and problem.responsible_unit_id is not None
        and problem.responsible_unit_id in unit_ids(user)),
    "problem.handle": lambda user, problem=None: is_organiser(user) or (
        problem is not None and problem.responsible_unit_id is not None
        and problem.responsible_unit_id in unit_ids(user)),
    # exhibitions and education bases: organisers run them; a host unit reports its own exhibition stop;
    # a base's bookings are decided by the organisers or by a coordinator of the base's managing unit;
    # a coordinator may book visits for their own unit and follow them
    "exhibitions.manage": lambda user, obj=None: is_organiser(user),
    "exhibition_stop.report": lambda user, stop=None: stop is not None and (
        is_organiser(user) or stop.host_unit_id in unit_ids(user)),
    "bases.manage": lambda user, obj=None: is_organiser(user) or is_coordinator(user),
    # publicity: videos, posters, articles, media coverage
    "publicity.manage": lambda user, obj=None: is_organiser(user),
    "publicity.unit": lambda user, unit=None: is_organiser(user) or (
        is_coordinator(user) and (unit is None or _own_unit(user, unit))),
    # a short video before publication: organisers and the coordinators of the unit it was submitted for
    "publicity.video.view": lambda user, video=None: is_organiser(user) or (
        video is not None and _own_unit(user, video.unit)),
    # a file kept for a refused form (uploads.PendingUpload): the person who chose it, and administrators
    "uploads.pending.view": lambda user, pending=None: pending is not None and (
        pending.owner_id == user.pk or is_admin(user)),
    "bases.book": lambda user, obj=None: is_coordinator(user),
    "base.manage": lambda user, base=None: base is not None and (
        is_organiser(user) or base.managing_unit_id in unit_ids(user)),
    "visit.view": lambda user, visit=None: visit is not None and (
        is_organiser(user) or visit.base.managing_unit_id in unit_ids(user) or visit.unit_id in unit_ids(user)),
    "visit.decide": lambda user, visit=None: visit is not None and (
        is_organiser(user) or visit.base.managing_unit_id in unit_ids(user)),
    "visit.cancel": lambda user, visit=None: visit is not None and (
        is_organiser(user) or visit.base.managing_unit_id in unit_ids(user) or visit.unit_id in unit_ids(user)),
    # volunteer service: a team's unit's coordinators act for the team (accept, schedule, record,
    # confirm hours); organisers see everything, keep the lists and enter, assign or close requests
    "volunteering.view": lambda user, obj=None: is_organiser(user) or is_coordinator(user),
    "volunteering.manage": lambda user, obj=None: is_organiser(user),
    "volunteering.unit": lambda user, unit=None: is_organiser(user) or _own_unit(user, unit),
    "team.view": lambda user, team=None: team is not None and (is_organiser(user) or _own_unit(user, team.unit)),
    "team.act": lambda user, team=None: team is not None and _own_unit(user, team.unit),
    "volunteer.view": lambda user, volunteer=None: volunteer is not None and (
        is_organiser(user) or _own_unit(user, volunteer.unit)),
    "servicerequest.view": lambda user, req=None: req is not None and (
        is_organiser(user) or (is_coordinator(user) and req.status == "submitted")
        or (req.team_id is not None and req.team.unit_id in unit_ids(user))),
    "servicerequest.close": lambda user, req=None: req is not None and (
        is_organiser(user) or (req.team_id is not None and req.team.unit_id in unit_ids(user))),
    # 最美科技工作者 (awards): organisers run the selection, units nominate, assigned experts score
    "awards.view": lambda user, obj=None: is_organiser(user) or is_coordinator(user) or is_expert(user),
    "awards.manage": lambda user, obj=None: is_organiser(user),
    "awards.reveal_personal": lambda user, obj=None: is_organiser(user),
    "awards.nominate": lambda user, unit=None: is_coordinator(user) and (unit is None or _own_unit(user, unit)),
    "awards.review": lambda user, obj=None: is_expert(user),
    "nomination.view": lambda user, nomination=None: nomination is not None and (
        is_organiser(user) or _own_unit(user, nomination.unit)),
    "nomination.edit": lambda user, nomination=None: nomination is not None and _own_unit(user, nomination.unit)
    and nomination.is_editable,
    "nomination.withdraw": lambda user, nomination=None: nomination is not None and _own_unit(user, nomination.unit),
    "assignment.score": lambda user, assignment=None: assignment is not None and is_expert(user)
    and assignment.expert_id == user.pk,
}


def can(user, permission: str, obj=None) -> bool:
    try:
        rule = RULES[permission]
    except KeyError as exc:  # a typo must fail loudly, never grant
        raise ValueError(f"Unknown permission {permission!r}") from exc
    return bool(rule(user, obj))


def require(user, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless ``user`` has ``permission`` (on ``obj``); denials are audited."""
    if can(user, permission, obj):
        return
    from audit.models import AuditEntry
    from audit.services import audit_record

    audit_record(
        action="permissions.denied",
        actor=user,
        obj=obj,
        changes={"permission": permission},
        outcome=AuditEntry.Outcome.DENIED,
    )
    raise PermissionDenied(permission)
