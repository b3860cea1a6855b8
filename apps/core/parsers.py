"""The API's JSON parser: DRF's, stricter about what it lets through to serializers and the database.

A body must be UTF-8 (whatever ``charset`` the request declares), hold no NUL character in any key or string
(PostgreSQL refuses NUL in text and jsonb), and nest no deeper than ``API_MAX_JSON_DEPTH``. Each refusal is a
400 problem with its own code; none of these bodies can reach a view.
"""

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from apps.core.errors import error_type

BodyNotUtf8 = error_type(
    "BodyNotUtf8",
    "body_not_utf8",
    400,
    "Body is not UTF-8",
    "Send the JSON body encoded as UTF-8 (RFC 8259).",
)
NulCharacter = error_type(
    "NulCharacter",
    "nul_character",
    400,
    "NUL character refused",
    "The request carries a NUL character (U+0000) in a key, value or header: it is never valid here.",
)
RequestTooLarge = error_type(
    "RequestTooLarge",
    "request_too_large",
    413,
    "Request too large",
    "The request body is larger than the API accepts (1 MiB).",
)
NestingTooDeep = error_type(
    "NestingTooDeep",
    "nesting_too_deep",
    400,
    "JSON nested too deeply",
    "The JSON body nests objects and arrays deeper than the API accepts.",
)


def _encodable(text: str, path: str) -> None:
    """A ``\\ud800`` escape decodes to a lone surrogate, which no database can store as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BodyNotUtf8(
            "The JSON body escapes a lone surrogate (\\ud800-\\udfff), which is not a character.",
            errors=[{"field": path, "code": "body_not_utf8", "message": "Contains a lone surrogate."}],
        ) from None


def _check_text(text: str, path: str, what: str) -> None:
    if "\x00" in text:
        raise NulCharacter(errors=[{"field": path, "code": "nul_character", "message": f"{what} U+0000."}])
    if not text.isascii():
        _encodable(text, path)


def _check(value: Any, *, depth: int, limit: int, path: str) -> None:
    """Walk a parsed body: refuse NUL and lone surrogates in keys and strings, and containers nested deeper
    than ``limit``."""
    if isinstance(value, str):
        _check_text(value, path, "Contains")
    elif isinstance(value, dict):
        if depth > limit:
            raise NestingTooDeep(f"The JSON body nests deeper than {limit} levels.")
        for key, item in value.items():
            _check_text(key, path, "A key has")
            _check(item, depth=depth + 1, limit=limit, path=f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        if depth > limit:
            raise NestingTooDeep(f"The JSON body nests deeper than {limit} levels.")
        for index, item in enumerate(value):
            _check(item, depth=depth + 1, limit=limit, path=f"{path}[{index}]")


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyNotUtf8() from None
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError:
            raise NestingTooDeep() from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        _check(data, depth=1, limit=settings.API_MAX_JSON_DEPTH, path="")
        return data
