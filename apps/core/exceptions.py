"""One error shape for the whole API: RFC 9457 ``application/problem+json``.

``{"type", "title", "status", "detail", "code", "errors": [{"field", "code", "message"}], "request_id"}``.
Every error kind (validation, unknown fields, authentication, scopes, 404, 405, 415, parse errors,
throttling, domain errors, dependency outages (503, apps/core/outages.py) and unexpected exceptions) goes
through ``problem_response``.
"""

from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from apps.core.errors import ApplicationError
from apps.core.outages import ServiceUnavailable, log_outage, outage_dependency
from apps.core.parsers import RequestTooLarge

logger = structlog.get_logger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Each code's entry in the served docs site (docs/errors.md): `<CAUSEWAY_BASE_URL>/docs/errors/#<code>` in a
# response; the OpenAPI examples keep the path alone so the committed schema is the same on every machine.
TYPE_BASE = "/docs/errors/#"


def type_url(code: str) -> str:
    return f"{settings.BASE_URL.rstrip('/')}{TYPE_BASE}{code}"


_DRF_CODES: dict[type[drf.APIException], tuple[str, str]] = {
    drf.ParseError: ("parse_error", "Malformed request body"),
    drf.AuthenticationFailed: ("authentication_failed", "Unauthenticated"),
    drf.NotAuthenticated: ("authentication_required", "Unauthenticated"),
    drf.PermissionDenied: ("permission_denied", "Forbidden"),
    drf.NotFound: ("resource_missing", "Not found"),
    drf.MethodNotAllowed: ("method_not_allowed", "Method not allowed"),
    drf.NotAcceptable: ("not_acceptable", "Not acceptable"),
    drf.UnsupportedMediaType: ("unsupported_media_type", "Unsupported media type"),
    drf.Throttled: ("rate_limited", "Too many requests"),
}

_FIELD_CODES = {"required": "parameter_missing", "null": "parameter_missing", "parameter_unknown": "parameter_unknown"}


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    request_id: str,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": type_url(code),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
        "request_id": request_id,
    }
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    return body


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested ValidationError detail into ``[{field, code, message}]`` with dotted field paths."""
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            out += _flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                out += _flatten(item, prefix)
        else:
            for index, item in enumerate(detail):
                if item:
                    out += _flatten(item, f"{prefix}[{index}]" if prefix else f"[{index}]")
    else:
        raw_code = getattr(detail, "code", None) or "invalid"
        out.append({"field": prefix, "code": _FIELD_CODES.get(raw_code, raw_code), "message": str(detail)})
    return out


def _validation_problem(exc: drf.ValidationError) -> tuple[str, str, str, list[dict[str, str]]]:
    errors = _flatten(exc.detail)
    codes = {e["code"] for e in errors}
    if "parameter_unknown" in codes:
        code, detail = "parameter_unknown", "The request has parameters this endpoint does not accept."
    elif codes == {"parameter_missing"}:
        code, detail = "parameter_missing", "The request is missing required parameters."
    else:
        code, detail = "parameter_invalid", "Some parameters are invalid."
    if errors:
        first = errors[0]
        detail = f"{detail} {first['field'] or 'request'}: {first['message']}"
    return code, "Invalid request", detail, errors


def _request_id(request: Any) -> str:
    return getattr(getattr(request, "_request", request), "request_id", "") or ""


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    request_id = _request_id(request)
    headers: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    extra: dict[str, Any] = {}
    dependency = outage_dependency(exc)

    if dependency:
        log_outage(request, exc, dependency)
        exc = ServiceUnavailable()
    elif isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        # A body over DATA_UPLOAD_MAX_MEMORY_SIZE that the guard did not see coming (no Content-Length).
        exc = RequestTooLarge()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    if isinstance(exc, ApplicationError):
        status, code, title, detail = exc.status, exc.code, exc.title, exc.detail
        errors, headers, extra = exc.errors, exc.headers, exc.extra
    elif isinstance(exc, drf.ValidationError):
        status = 400
        code, title, detail, errors = _validation_problem(exc)
    elif isinstance(exc, drf.APIException):
        status = exc.status_code
        code, title = _DRF_CODES.get(type(exc), ("error", "Error"))
        for base, pair in _DRF_CODES.items():
            if isinstance(exc, base):
                code, title = pair
                break
        detail_code = getattr(exc.detail, "code", None)
        # Authentication classes raise AuthenticationFailed(detail, code="api_key_revoked") etc. DRF's own
        # default codes ("not_found", "throttled", ...) are not ours: the table above names those.
        ignored = {"error", "invalid", code, exc.default_code, "not_authenticated", "authentication_failed"}
        if detail_code and detail_code not in ignored:
            code = detail_code
        detail = str(exc.detail) if not isinstance(exc.detail, dict | list) else title
        # Throttled.__init__ sets ``wait``; the DRF stubs do not declare it.
        wait: float | None = exc.wait if isinstance(exc, drf.Throttled) else None  # type: ignore[attr-defined]
        if wait is not None:
            headers["Retry-After"] = str(int(wait))  # DRF has already rounded it up
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
    else:
        logger.exception("unhandled_exception", request_id=request_id, exc_type=type(exc).__name__)
        status, code, title = 500, "internal_error", "Internal server error"
        detail = f"Something went wrong on our side. Quote request id {request_id} if you contact support."

    if status == 401 and "WWW-Authenticate" not in headers:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    body = problem_body(
        status=status, code=code, title=title, detail=detail, request_id=request_id, errors=errors, extra=extra
    )
    response = Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    if dependency:
        # Logged above, as a warning: Django's request logger would log the 503 again as an error.
        response._has_been_logged = True  # type: ignore[attr-defined]
    elif request is not None and status >= 500:
        # Set so Django's request logger records the 500 with its request id.
        response.exception = True
    return response


def problem_json_response(
    request: HttpRequest, *, status: int, code: str, title: str, detail: str, errors: list[dict[str, str]] | None = None
) -> JsonResponse:
    """The same shape for responses produced outside DRF (unknown URLs, Django-level 500s)."""
    body = problem_body(
        status=status, code=code, title=title, detail=detail, request_id=_request_id(request), errors=errors
    )
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def application_error_response(request: HttpRequest, exc: ApplicationError) -> JsonResponse:
    """A domain error raised outside DRF (middleware), rendered as the exception handler would."""
    body = problem_body(
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        request_id=_request_id(request),
        errors=exc.errors,
        extra=exc.extra,
    )
    response = JsonResponse(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in exc.headers.items():
        response[name] = value
    return response
