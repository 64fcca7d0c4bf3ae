"""Cross-unit probing, generated: every URL pattern (from the URL conf) and every API operation
(from the OpenAPI schema) is tried, GET and POST, by a coordinator of a fresh unit B with the ids of
every other unit's objects (the demo data set: activities, summaries, nominations, problems, teams,
bases, visits, surveys, files…). Each answer must be a denial (403/404/405, or a redirect to the
login or away), and the database must not change (row counts of every table but the audit log,
sessions and throttles around each URL pattern and API operation, and a digest of every row before
and after the whole walk).

Nothing here lists URLs by hand; the only hand list is ``ALLOWED`` below: what a coordinator may see
or do with another unit's ids on purpose, each with its reason.
"""

import hashlib
import io
import re
import uuid

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from campaigns.models import Campaign

pytestmark = pytest.mark.django_db

# (method or "*", path regex) -> reason. A 2xx answer there is by design (a read-only page that
# also answers POST like GET counts as one); the database must still not change.
ALLOWED = {
    ("*", r"^c/[^/]+/$"): "public page of a published campaign",
    ("*", r"^activities/\d+/$"): "public page of a published activity (unpublished ones answer 404)",
    ("*", r"^activities/\d+/calendar\.ics$"): "public calendar entry of a published activity",
    ("*", r"^exhibitions/\d+/$"): "public page of an exhibition",
    ("*", r"^exhibitions/bases/\d+/$"): "public page of an education base",
    ("*", r"^api/v1/exhibitions/\d+$"): "exhibitions are public",
    ("GET", r"^api/v1/bases/\d+/slots/$"): "a base's free slots are public, for booking",
    ("*", r"^exhibitions/manage/bases/\d+/book/$"): "any coordinator may book a visit at any base "
                                                    "(an empty form is refused, nothing stored)",
    ("*", r"^volunteering/requests/\d+/$"): "an open request for service is shown to every coordinator so "
                                            "that a team can take it (servicerequest.view)",
    ("*", r"^volunteering/me/[^/]+/$"): "a volunteer's own page, reached by the secret token sent to them",
    ("*", r"^surveys/qr/[^/]+\.svg$"): "the QR code of a survey link: the token is the public link itself",
    ("*", r"^awards/selections/\d+/$"): "a selection is the city's; the page counts the user's own unit's "
                                        "nominations only",
    ("*", r"^awards/selections/\d+/nominations/(new/)?$"): "a selection is the city's: any unit nominates, "
                                                           "and lists its own nominations",
    ("*", r"^awards/selections/\d+/summary\.xlsx$"): "the coordinator's own unit's 汇总表 of a selection",
    ("GET", r"^files/(?P<public_id>[0-9a-f-]+)/(thumb/)?$"): "a public file (a published activity's photos): "
                                                             "checked below to be public",
}


def _public_file(path: str) -> bool:
    from uploads.models import Asset

    match = re.search(r"files/([0-9a-f-]{36})/", path)
    return bool(match) and Asset.objects.filter(public_id=match.group(1), is_public=True).exists()


# What a request may write whoever sends it: the audit log (denials are audited), the probe's own
# session, session record and API token (last seen / last used), the login throttles, the task queue.
EXCLUDED_TABLES = {"audit_auditentry", "django_session", "accounts_usersession", "accounts_apitoken",
                   "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "sciday_cache",
                   "django_tasks_database_dbtaskresult"}
SKIP_PREFIXES = ("admin/", "i18n/", "api/v1/docs", "api/v1/openapi")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), entry.app_name or namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace


def _tables():
    return [m for m in apps.get_models() if m._meta.managed and m._meta.db_table not in EXCLUDED_TABLES]


def _counts() -> dict[str, int]:
    """Row counts of every table (cheap: taken around each URL pattern)."""
    return {m._meta.db_table: m._base_manager.count() for m in _tables()}


def _checksum() -> dict[str, str]:
    """A digest of every row of every table (taken before and after the whole walk)."""
    sums = {}
    for model in _tables():
        digest = hashlib.sha256()
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
        sums[model._meta.db_table] = digest.hexdigest()
    return sums


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))


def _unit_fields(model):
    from organisations.models import Unit

    return [f.name for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey) and f.related_model is Unit]


def _samples(unit_b) -> dict[str, list]:
    """Up to four objects of every model, none of unit B's: by app label (and "unit", "user")."""
    from organisations.models import Unit

    by_app: dict[str, list] = {}
    for model in apps.get_models():
        rows = model._base_manager.all()
        fields = _unit_fields(model)
        for field in fields:
            rows = rows.exclude(**{field: unit_b})
        if model is Unit:
            rows = rows.exclude(pk=unit_b.pk)
        by_app.setdefault(model._meta.app_label, []).extend(rows.order_by("-pk")[:4])
    return by_app


def _values(objects, kind: str) -> list[str]:
    """The ids (int), uuids or codes/tokens/slugs (str) of ``objects``, round-robin over their
    models so that the first few values already touch every kind of object."""
    by_model: dict[type, list[str]] = {}
    for obj in objects:
        found = by_model.setdefault(type(obj), [])
        if kind == "int" and isinstance(obj.pk, int):
            found.append(str(obj.pk))
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if kind == "uuid" and isinstance(value, uuid.UUID) or kind == "str" and isinstance(field, models.CharField | models.SlugField) and value and (
                    field.unique or field.name in {"code", "token", "slug", "checkin_code"}):
                found.append(str(value))
    ordered: list[str] = []
    for rank in range(max((len(v) for v in by_model.values()), default=0)):
        for found in by_model.values():
            if rank < len(found) and found[rank] not in ordered:
                ordered.append(found[rank])
    return ordered


def _actions() -> list[str]:
    """The action names of every app's transition table (services.TRANSITIONS), plus the plan kinds,
    export formats and list kinds the URL conf's slug parameters take."""
    from importlib import import_module

    found = {"csv", "xlsx", "up", "down", "teams", "volunteers", "units"}
    for config in apps.get_app_configs():
        try:
            services = import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        found |= {action for (_state, action) in getattr(services, "TRANSITIONS", {})}
    from activities.models import PlanKind

    return sorted(found | set(PlanKind.values))


def _fill(route: str, values: dict[str, list], limit: int = 6, cap: int = 60) -> list[str]:
    """Concrete paths for ``route``: each int/uuid/str/slug converter with the sampled values."""
    paths = [route]
    for converter in ("int", "uuid", "str", "slug", "path"):
        pattern = re.compile(rf"<{converter}:(\w+)>")
        while True:
            expanded = []
            match_any = False
            for path in paths:
                match = pattern.search(path)
                if not match:
                    expanded.append(path)
                    continue
                match_any = True
                name = match.group(1)
                if converter == "int":
                    options = values["int"][:limit]
                elif converter == "uuid":
                    options = values["uuid"][:limit]
                elif name in ("action", "direction", "fmt", "by", "kind"):
                    options = _actions()
                elif "slug" in name or name == "campaign":
                    options = values["campaign"] + values["str"][:limit]
                else:
                    options = values["str"][:limit]
                for option in options or ["x"]:
                    expanded.append(path[:match.start()] + option + path[match.end():])
            paths = expanded[:cap]
            if not match_any:
                break
    return ["/" + p.replace("^", "").replace("$", "") for p in paths]


def _allowed(method: str, path: str) -> str | None:
    for (allowed_method, pattern), reason in ALLOWED.items():
        if allowed_method in (method, "*") and re.match(pattern, path.lstrip("/")):
            if pattern.startswith("^files/") and not _public_file(path):
                return None
            return reason
    return None


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404, 405, 422, 400):
        return response.status_code != 400 or response.get("Content-Type", "").startswith("application/json")
    # a redirect: to the login page, or away with a message; the checksum proves nothing changed
    return response.status_code in (301, 302, 303)


@pytest.fixture
def probe(settings):
    """The demo data set, and a coordinator of a fresh unit B that owns nothing."""
    from accounts.tests.factories import coordinator_of
    from organisations.tests.factories import UnitFactory

    settings.DEBUG = True  # load_demo refuses otherwise; the requests below run with DEBUG off again
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    settings.DEBUG = False
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    unit_b = UnitFactory(pk=987654, name="探测单位")
    return unit_b, coordinator_of(unit_b, username="probe-b")


def test_a_coordinator_cannot_reach_another_units_objects_on_any_page(client, probe):
    unit_b, coordinator = probe
    samples = _samples(unit_b)
    campaigns = [c.slug for c in Campaign.objects.all()]
    client.force_login(coordinator)
    findings, tried = [], 0
    everything = _checksum()
    for route, app in sorted(set(_walk(get_resolver().url_patterns))):
        if route.startswith(SKIP_PREFIXES) or "<" not in route or "(?P<" in route:
            continue
        objects = samples.get(app, []) + samples.get("organisations", []) + samples.get("uploads", [])
        if app == "accounts":
            objects += list(get_user_model().objects.exclude(pk=coordinator.pk).order_by("-pk")[:4])
        values = {kind: _values(objects, kind) for kind in ("int", "uuid", "str")}
        values["campaign"] = campaigns
        before = _counts()
        for path in _fill(route, values):
            for method in ("GET", "POST"):
                response = client.get(path) if method == "GET" else client.post(path, {})
                tried += 1
                if not _denied(response) and not _allowed(method, path):
                    findings.append(f"{method} {path} answered {response.status_code}")
        changed = _changed(before, _counts())
        if changed:
            findings.append(f"{route}: rows were added or removed ({', '.join(changed)})")
    changed = _changed(everything, _checksum())
    if changed:
        findings.append(f"the walk changed the database ({', '.join(changed)})")
    assert tried > 500
    assert not findings, "\n".join(findings)


API_APPS = {"units": "organisations", "offices": "organisations", "bases": "exhibitions", "visits": "exhibitions"}
API_ALLOWED = {
    ("GET", r"^/api/v1/campaigns/[^/]+$"): "a published campaign is public",
    ("GET", r"^/api/v1/awards/public/[^/]+/notice$"): "the public notice of a selection is public",
    ("GET", r"^/api/v1/exhibitions/\d+$"): "exhibitions are public",
    ("GET", r"^/api/v1/bases/\d+/slots/$"): "a base's free slots are public, for booking",
    ("GET", r"^/api/v1/volunteering/requests/\d+$"): "an open request is every coordinator's to take",
    ("GET", r"^/api/v1/volunteering/requests/\d+/suggestions$"): "the teams suggested for an open request",
}


def test_a_coordinator_cannot_reach_another_units_objects_through_the_api(client, probe):
    from accounts.services import api_token_create
    from api.urls import api

    unit_b, coordinator = probe
    samples = _samples(unit_b)
    campaigns = [c.slug for c in Campaign.objects.all()]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=coordinator, name='probe')[1]}"}
    schema = api.get_openapi_schema()
    findings, tried = [], 0
    everything = _checksum()
    for path, operations in sorted(schema["paths"].items()):
        if "{" not in path:
            continue
        segment = path.split("/")[3]
        app = API_APPS.get(segment, segment)
        objects = samples.get(app, []) + samples.get("organisations", [])
        values = {kind: _values(objects, kind) for kind in ("int", "uuid", "str")}
        values["campaign"] = campaigns
        # an OpenAPI path in the URL conf's syntax, so that one filler serves both
        route = re.sub(r"{(name|kind|action)}", r"<slug:action>", path.lstrip("/"))
        for parameter in (p for o in operations.values() for p in o.get("parameters", []) if p["in"] == "path"):
            converter = "int" if parameter["schema"].get("type") == "integer" else "str"
            route = route.replace("{" + parameter["name"] + "}", f"<{converter}:{parameter['name']}>")
        before = _counts()
        for concrete in _fill(route, values):
            for method in sorted({"get", *operations}):
                call = getattr(client, method)
                response = (call(concrete, **auth) if method == "get"
                            else call(concrete, data="{}", content_type="application/json", **auth))
                tried += 1
                reason = next((r for (m, p), r in API_ALLOWED.items() if m == method.upper() and re.match(p, concrete)),
                              None)
                if response.status_code < 300 and not reason or response.status_code >= 500:
                    findings.append(f"{method.upper()} {concrete} answered {response.status_code}")
        changed = _changed(before, _counts())
        if changed:
            findings.append(f"{path}: rows were added or removed ({', '.join(changed)})")
    changed = _changed(everything, _checksum())
    if changed:
        findings.append(f"the walk changed the database ({', '.join(changed)})")
    assert tried > 100
    assert not findings, "\n".join(findings)
