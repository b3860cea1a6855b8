"""Request ids: every response carries ``Request-Id``; every log line of the request carries it too (with the
partner and environment once the credential is known: apps/core/logging.py).

A caller may supply its own well-formed ``X-Request-ID`` (e.g. from its load balancer); anything else is
replaced by a fresh ``req_...`` id.
"""

import re
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse

from apps.core.ids import new_public_id
from apps.core.logging import current_request

# fullmatch, not match with "$": "$" also matches before a trailing newline, which would then reach a header.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_for(request: HttpRequest) -> str:
    return getattr(request, "request_id", "") or ""


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.META.get("HTTP_X_REQUEST_ID", "")  # request.headers would copy every header first
        request_id = supplied if _WELL_FORMED.fullmatch(supplied) else new_public_id("req")
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
            structlog.contextvars.unbind_contextvars("request_id")
        response["Request-Id"] = request_id
        return response
