"""Cheap refusals for API requests, made before authentication, parsing or any view runs.

``ApiGuardMiddleware`` looks at every ``/v1/`` request and refuses, as ``application/problem+json``:

- a plain-http request where ``API_REQUIRE_HTTPS`` is on (production): 403 ``https_required``, never a redirect,
  since the credential has already crossed the network in the clear by then;
- a NUL character in the path, the query string or any header: 400 ``nul_character``;
- a body declared longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: 413 ``request_too_large``;
- a method the matched view does not implement: 405 ``method_not_allowed`` with ``Allow``, before the view
  authenticates (DRF would check the credential first).

It also turns any 404 that is not already a problem (an unknown path, under any ``DEBUG``) into one, and marks
every API response ``Cache-Control: no-store``: API responses carry account data and, once, secrets.
"""

import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from apps.core.errors import error_type
from apps.core.exceptions import PROBLEM_CONTENT_TYPE, application_error_response, problem_json_response
from apps.core.parsers import NulCharacter, RequestTooLarge

API_PREFIX = "/v1/"

HttpsRequired = error_type(
    "HttpsRequired",
    "https_required",
    403,
    "HTTPS required",
    "The API is served over https only. A secret key sent over plain http must be treated as leaked: roll it.",
)


# What django.utils.cache.add_never_cache_headers writes on a response without Cache-Control, written directly:
# it parses and rebuilds the header and formats the date each time, a measurable part of a small request.
_NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
_expires: tuple[int, str] = (0, "")  # the last second formatted, and its HTTP date


def _never_cache(response: HttpResponse) -> None:
    global _expires
    if not response.has_header("Expires"):
        second = int(time.time())
        if _expires[0] != second:
            _expires = (second, http_date(second))
        response.headers["Expires"] = _expires[1]
    response.headers["Cache-Control"] = _NEVER_CACHE


@lru_cache(maxsize=1024)
def _allowed_methods(view_func: Callable[..., Any]) -> frozenset[str] | None:
    """The methods the view answers (upper case), or None when it cannot be told without calling it. Views are the
    URL patterns' own functions, so each is worked out once."""
    actions = getattr(view_func, "actions", None)
    if isinstance(actions, dict):
        methods = set(actions)
    else:
        view_class = getattr(view_func, "view_class", None)
        if view_class is None:
            return None
        methods = {name for name in view_class.http_method_names if hasattr(view_class, name)}
    if "get" in methods:
        methods.add("head")
    methods.add("options")
    return frozenset(name.upper() for name in methods)


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self._refusal(request) or self.get_response(request)
        if response.status_code == 404 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            # Django's own 404 (HTML, and with DEBUG on a page listing every URL pattern).
            response = problem_json_response(
                request, status=404, code="resource_missing", title="Not found", detail="No such path."
            )
        if not response.has_header("Cache-Control"):
            _never_cache(response)
        return response

    @staticmethod
    def _refusal(request: HttpRequest) -> HttpResponse | None:
        if settings.API_REQUIRE_HTTPS and not request.is_secure():
            return application_error_response(request, HttpsRequired())
        meta = request.META
        if "\x00" in request.path or "%00" in meta.get("QUERY_STRING", "") or "\x00" in meta.get("QUERY_STRING", ""):
            return application_error_response(request, NulCharacter())
        for name, value in meta.items():
            if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return application_error_response(
                    request,
                    NulCharacter(
                        errors=[
                            {
                                "field": name[5:].replace("_", "-").title(),
                                "code": "nul_character",
                                "message": "Contains U+0000.",
                            }
                        ]
                    ),
                )
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return application_error_response(
                request, RequestTooLarge(f"The request body is {length} bytes; the API accepts at most {limit}.")
            )
        return None

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        try:
            allowed = _allowed_methods(view_func)
        except TypeError:  # a view that cannot be a dictionary key is worked out each time
            allowed = _allowed_methods.__wrapped__(view_func)
        if allowed is None or request.method in allowed:
            return None
        response = problem_json_response(
            request,
            status=405,
            code="method_not_allowed",
            title="Method not allowed",
            detail=f'Method "{request.method}" not allowed.',
        )
        response["Allow"] = ", ".join(sorted(allowed))
        return response
