"""What every operation of the schema promises besides its own answers, derived from what its view does, so the
committed schema tells the truth without each view restating it (docs/conventions.md, "Errors"):

- 400 on every operation: any request may be malformed (an unknown query parameter or body field, a NUL
  character, a body that is not UTF-8 JSON, an invalid ``Idempotency-Key``; docs/rate-limits.md);
- 401 and 403 where a credential is checked (no or bad credential; a missing scope, or plain http in production);
- 404 where the path names an object, or the query may (a list's ``starting_after`` cursor and its filters by
  object: not found, or not yours);
- 409 and 422 where the operation takes an ``Idempotency-Key`` (``idempotency_key_in_use``,
  ``idempotency_key_reused``);
- and the request side: ``limit`` is 1 to 100, ``Idempotency-Key`` is 1 to 255 printable ASCII characters, and
  an input serializer's body refuses fields it does not declare (``additionalProperties: false``).

An operation's own entry for a status (with its examples) always wins over these generic ones.
"""

from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from apps.core.exceptions import PROBLEM_CONTENT_TYPE
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.pagination import MAX_LIMIT
from apps.core.permissions import HasRequiredScopes
from apps.core.serializers import InputSerializer, decimal_pattern

# RFC 9110 tokens the idempotency layer accepts (apps/core/idempotency.py ``_VALID_KEY``).
IDEMPOTENCY_KEY_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]{1,255}$"}
LIMIT_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 20}
# A time filter given as an RFC 3339 date-time with an offset, or a whole (UTC) date; empty is no filter.
DATE_TIME_OR_DATE_SCHEMA = {
    "type": "string",
    "anyOf": [{"format": "date-time"}, {"format": "date"}, {"maxLength": 0}],
}
# A time filter given as an RFC 3339 date-time with an offset, or Unix seconds (up to 10 digits).
DATE_TIME_OR_UNIX_SCHEMA = {
    "type": "string",
    "anyOf": [{"format": "date-time"}, {"pattern": "^[0-9]{1,10}$"}, {"maxLength": 0}],
}

STANDARD_DESCRIPTIONS = {
    400: "Malformed request: an invalid or unknown parameter, a body that is not UTF-8 JSON, a NUL character or an "
    "invalid `Idempotency-Key` (`code` says which; `errors` names the fields).",
    401: "No credential, or one that is unknown, revoked or expired (`authentication_required`, "
    "`authentication_failed`, `consent_inactive`).",
    403: "The credential lacks a scope this operation needs (`insufficient_scope`), or the call came over plain "
    "http in production (`https_required`).",
    404: "No such object, or it belongs to another partner or environment (`resource_missing`).",
    409: "A request with this `Idempotency-Key` is still running (`idempotency_key_in_use`): retry after "
    "`Retry-After` seconds.",
    422: "This `Idempotency-Key` was used with a different request (`idempotency_key_reused`).",
}


def _checks_credentials(view: Any) -> bool:
    return bool(view.get_authenticators()) and any(
        isinstance(permission, HasRequiredScopes) for permission in view.get_permissions()
    )


def _takes_idempotency_key(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "header" and parameter.get("name") == IDEMPOTENCY_HEADER
        for parameter in operation.get("parameters", [])
    )


def standard_statuses(*, view: Any, path: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses ``operation`` (of ``view`` at ``path``) may answer whatever its own logic does."""
    statuses = [400]
    if _checks_credentials(view):
        statuses += [401, 403]
    if "{" in path or any(
        parameter.get("in") == "query" and parameter.get("name") == "starting_after"
        for parameter in operation.get("parameters", [])
    ):
        statuses.append(404)
    if _takes_idempotency_key(operation):
        statuses += [409, 422]
    return statuses


def document_standard_errors(*, view: Any, path: str, operation: dict[str, Any], problem_ref: dict[str, Any]) -> None:
    """Add the standard problem responses ``operation`` lacks, and tighten its parameters (see the module)."""
    responses = operation.setdefault("responses", {})
    content = {PROBLEM_CONTENT_TYPE: {"schema": problem_ref}}
    for status in standard_statuses(view=view, path=path, operation=operation):
        entry = responses.setdefault(str(status), {"content": content, "description": STANDARD_DESCRIPTIONS[status]})
        entry.setdefault("content", content)
        if not entry.get("description"):
            entry["description"] = STANDARD_DESCRIPTIONS[status]
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == "limit":
            parameter["schema"] = dict(LIMIT_SCHEMA)
        elif parameter.get("in") == "header" and parameter.get("name") == IDEMPOTENCY_HEADER:
            parameter["schema"] = dict(IDEMPOTENCY_KEY_SCHEMA)


def _refuse_blank_after_trimming(schema: dict[str, Any], serializer: Any) -> None:
    """A text field that trims whitespace and may not be blank refuses a value of only whitespace (DRF trims it
    into a blank): its schema says it needs a non-space character (``pattern: \\S``)."""
    for name, field in serializer.fields.items():
        prop = schema.get("properties", {}).get(name)
        if (
            prop is not None
            and isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            and not field.read_only
            and prop.get("type") == "string"
            and "pattern" not in prop
        ):
            prop["pattern"] = "\\S"


def _decimals(schema: dict[str, Any], serializer: Any) -> None:
    """A decimal field takes what ``json_type_error`` lets through: a string of its pattern (drf-spectacular's own
    allows an empty string, a sign and a lone point) or an integer in its range."""
    for name, field in serializer.fields.items():
        prop = schema.get("properties", {}).get(name)
        if prop is not None and isinstance(field, serializers.DecimalField) and not field.read_only:
            whole = (field.max_digits or 18) - (field.decimal_places or 0)
            prop["type"] = ["string", "integer"]
            prop["pattern"] = decimal_pattern(field)
            prop["minimum"] = 1 if field.min_value is not None and field.min_value > 0 else 0
            prop["maximum"] = 10**whole - 1


def request_body_schema(schema: dict[str, Any], serializer: Any, direction: str) -> dict[str, Any]:
    """A request body read by an ``InputSerializer`` refuses fields it does not declare: say so in its schema.
    Rules across fields that its ``validate`` enforces (which fields a ``type`` needs, exactly one of two) are
    the serializer's ``schema_rules``, JSON Schema keywords merged in here, stated next to the code that
    enforces them."""
    if direction == "request" and isinstance(serializer, InputSerializer) and schema.get("type") == "object":
        schema["additionalProperties"] = False
        _refuse_blank_after_trimming(schema, serializer)
        _decimals(schema, serializer)
        for keyword, value in getattr(serializer, "schema_rules", {}).items():
            if keyword == "properties":
                for name, extra in value.items():
                    schema["properties"][name] = {**schema["properties"][name], **extra}
            else:
                schema[keyword] = value
    return schema


# The header on an operation that accepts, without requiring, an Idempotency-Key (docs/conventions.md).
IDEMPOTENCY_KEY_ACCEPTED = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional: a unique string (e.g. a UUID) per request. A retry with the same key and body replays the first "
        "response (`Idempotent-Replayed: true`); the same key with another body is a 422 `idempotency_key_reused`."
    ),
)
