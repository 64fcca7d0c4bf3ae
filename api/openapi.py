"""The OpenAPI schema declares every status code an operation can answer (docs/api.md lists them).

Each operation declares its own outcomes in its decorator (201, 409…); the answers every operation
of a kind can give come from the API itself, so they are added here, once:

- 401 and 403 on an operation that needs a caller (no/invalid credentials; a token whose owner must
  first change the initial password, or a caller without the role);
- 400 on an operation with a body (a body that cannot be parsed);
- 404 on an operation with a path parameter or a ``campaign`` query parameter (an unknown or
  not-visible object or campaign);
- 422 on an operation with parameters or a body (a value of the wrong type, out of range…);
- 429 where the caller can be throttled (declared per operation).

Every error body is ``{"detail": "<a message for a person>"}``; a 422 adds ``errors``, the list of
field errors (``loc``, ``msg``, ``type``) when the request did not fit the schema, or the messages by
field when a service rule refused it.
"""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

ERROR = "ApiError"
INVALID = "ApiValidationError"

ERROR_SCHEMA = {
    "title": ERROR,
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
INVALID_SCHEMA = {
    "title": INVALID,
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"anyOf": [
            {"type": "array", "items": {"type": "object"}, "description": "The request did not fit the schema."},
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
             "description": "A service rule refused these fields: messages by field."},
        ]},
    },
    "required": ["detail"],
}
DESCRIPTIONS = {
    "400": "The body cannot be read (not JSON, or not the declared media type), or a rule refused it.",
    "401": "Not logged in, or the token is unknown, expired or revoked.",
    "403": "The caller may not do this (role, unit, or an initial password still to change).",
    "404": "No such object, or not one the caller may see.",
    "422": "A parameter or the body is not valid (wrong type, out of range, unknown choice).",
}


def _error_response(code: str, ref: str) -> dict:
    return {"description": DESCRIPTIONS[code],
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def document_error_answers(schema: dict) -> dict:
    """Add the answers every operation of a kind can give to each operation of ``schema``."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR, ERROR_SCHEMA)
    components.setdefault(INVALID, INVALID_SCHEMA)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            # ninja keys the declared answers by int; JSON keys are strings: one key per code.
            responses = operation["responses"] = {str(code): answer
                                                  for code, answer in operation.get("responses", {}).items()}
            parameters = operation.get("parameters", [])
            wanted = []
            if operation.get("security"):
                wanted += [("401", ERROR), ("403", ERROR)]
            # A path parameter names an object; a ``campaign`` query parameter names a campaign: either may
            # be unknown (or not visible to the caller).
            if any(p.get("in") == "path" or p.get("name") == "campaign" for p in parameters):
                wanted.append(("404", ERROR))
            if operation.get("requestBody"):
                wanted.append(("400", ERROR))
            if parameters or operation.get("requestBody"):
                wanted.append(("422", INVALID))
            for code, ref in wanted:
                if code == "422":
                    responses[code] = _error_response(code, ref)  # one shape for every 422
                else:
                    responses.setdefault(code, _error_response(code, ref))
    return schema


class DocumentedAPI(NinjaAPI):
    """ninja's API whose schema documents every answer, and whose 422 has a readable ``detail``."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_error_answers(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


def on_out_of_range(api: NinjaAPI):
    """A value the database cannot store or compare (an integer beyond its range: OverflowError on
    SQLite, DataError on PostgreSQL) is the caller's error, whichever field carried it: a 422, never
    a 500. Bounds on the schemas (api.types) catch most before; this catches every other field."""

    def handler(request, exc: Exception):
        return api.create_response(request, {"detail": _("A value is out of the allowed range.")}, status=422)

    return handler


def on_invalid(api: NinjaAPI):
    def handler(request, exc: ValidationError):
        return api.create_response(request, {"detail": _("Some values are not valid; see errors."),
                                             "errors": exc.errors}, status=422)

    return handler
