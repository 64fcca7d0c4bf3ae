"""The OpenAPI schema is the contract: each named schema means one thing, and each operation
declares every status code it can answer (the answers themselves are fuzzed in test_schemathesis)."""

import importlib
import inspect
from collections import defaultdict

import pytest
from ninja import Schema

from api.urls import api

API_MODULES = ["api.schemas", "api.accounts", "api.units", "api.campaigns", "activities.api", "awards.api",
               "exhibitions.api", "problems.api", "summaries.api", "surveys.api", "volunteering.api"]


def test_no_two_different_schemas_share_a_name():
    """ninja names each component after its class: two different classes with one name would make
    the schema describe one of them for both (a transition's body, an event's fields)."""
    by_name = defaultdict(dict)
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls is not Schema and cls.__module__ == module_name:
                by_name[name][module_name] = cls.model_json_schema()
    clashes = {name: sorted(found) for name, found in by_name.items()
               if len({repr(schema) for schema in found.values()}) > 1}
    assert clashes == {}


def test_every_operation_declares_its_error_answers():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            where = f"{method.upper()} {path}"
            if operation.get("security"):
                assert {"401", "403"} <= codes, where
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert "404" in codes, where
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in codes, where
            if operation.get("requestBody"):
                assert "400" in codes, where


def test_a_422_has_a_string_detail_and_the_field_errors(login, organiser):
    response = login(organiser).get("/api/v1/units/?page=x")

    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["errors"][0]["loc"][-1] == "page"


# --- integers beyond 64 bits: a 4xx, never a 500 -------------------------------------------------

HUGE = ["9223372036854775808", "-93163876210760772222976", "134894814600764588032"]


def _is_integer(schema: dict) -> bool:
    return schema.get("type") == "integer" or any(s.get("type") == "integer" for s in schema.get("anyOf", []))


def _integer_parameters():
    """(method, path, parameter) for every integer query or path parameter of the schema."""
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("query", "path") and _is_integer(parameter["schema"]):
                    yield method, path, operation["parameters"], parameter["name"], parameter["in"]


def _url(path, parameters, name, where, value):
    import re

    query = ""
    for parameter in parameters:
        if parameter["in"] != "path":
            continue
        filler = value if parameter["name"] == name else ("1" if _is_integer(parameter["schema"]) else "qingdao-2022")
        path = re.sub(r"\{" + parameter["name"] + r"\}", filler, path)
    if where == "query":
        query = f"?{name}={value}"
    return path + query


def test_integer_parameters_are_read_from_the_schema():
    found = {(path, name) for _, path, _, name, _ in _integer_parameters()}
    assert ("/api/v1/units/", "page") in found
    assert ("/api/v1/volunteering/records/", "team_id") in found
    assert len(found) > 30


@pytest.mark.parametrize("role", ["coordinator", "organiser"])
def test_an_integer_beyond_64_bits_is_a_4xx_not_a_500(request, role, client, qingdao, coordinator_a, organiser):
    from accounts.services import api_token_create

    user = coordinator_a if role == "coordinator" else organiser
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='huge')[1]}"}
    client.raise_request_exception = False
    failures = []
    for method, path, parameters, name, where in _integer_parameters():
        for value in HUGE:
            url = _url(path, parameters, name, where, value)
            call = client.get if method == "get" else getattr(client, method)
            response = call(url, **headers) if method == "get" else call(
                url, data="{}", content_type="application/json", **headers)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert failures == []


def test_docs_api_md_lists_every_operation_with_its_codes():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    listed = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`/"):
            listed.add((cells[0], cells[1].strip("`"), cells[2]))
    schema = api.get_openapi_schema()
    expected = {(method.upper(), path.removeprefix("/api/v1"), ", ".join(sorted(operation["responses"])))
                for path, operations in schema["paths"].items() for method, operation in operations.items()}
    assert listed == expected


def test_a_422_of_a_service_rule_matches_the_declared_schema():
    """Both shapes of ``errors`` (ninja's list, a service's messages by field) are in the schema."""
    import jsonschema_rs

    schema = api.get_openapi_schema()
    declared = schema["components"]["schemas"]["ApiValidationError"]
    validator = jsonschema_rs.validator_for(declared)
    assert validator.is_valid({"detail": "输入内容无效。", "errors": {"unit": ["该单位或处室不存在。"]}})
    assert validator.is_valid({"detail": "x", "errors": [{"loc": ["query", "page"], "msg": "x", "type": "int"}]})
    assert not validator.is_valid({"errors": []})



@pytest.mark.parametrize("error", [OverflowError("Python int too large to convert to SQLite INTEGER"),
                                   "DataError"])
def test_a_value_the_database_cannot_hold_is_a_422_whatever_field_carried_it(monkeypatch, login, organiser, error):
    """The safety net behind the schema bounds: SQLite's OverflowError, PostgreSQL's DataError."""
    from django.db import DataError

    import api.units

    def overflow(*args, **kwargs):
        raise DataError("integer out of range") if error == "DataError" else error

    monkeypatch.setattr(api.units, "units_visible_to", overflow)
    client = login(organiser)
    client.raise_request_exception = False
    response = client.get("/api/v1/units/")
    assert response.status_code == 422
    assert response.json()["detail"]
