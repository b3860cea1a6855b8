"""Health endpoints and the problem+json handlers for responses made outside DRF."""

import sys

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import health
from apps.core.exceptions import PROBLEM_CONTENT_TYPE, application_error_response, problem_body, problem_json_response
from apps.core.outages import RETRY_AFTER_SECONDS, ServiceUnavailable, log_outage, outage_dependency


@never_cache
@require_GET
def liveness(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readiness(request: HttpRequest) -> JsonResponse:
    results = health.run_checks(health.readiness_checks())
    failing = [name for name, result in results.items() if result != "ok"]
    if not failing:
        return JsonResponse({"status": "ok", "checks": results})
    body = problem_body(
        status=503,
        code="not_ready",
        title="Not ready",
        detail=f"Failing: {', '.join(failing)}.",
        request_id=getattr(request, "request_id", ""),
        extra={"checks": results, "failing": failing},
    )
    return JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(("/v1/", "/health/"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not _is_api(request):
        return defaults.page_not_found(request, exception or Http404())
    return problem_json_response(
        request, status=404, code="resource_missing", title="Not found", detail=f"No such path: {request.path}"
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler, called while the exception is being handled: a dependency outage is a 503 (problem+json
    for the API, a plain page for the portal, both with ``Retry-After``), anything else a 500."""
    exc = sys.exc_info()[1]
    dependency = outage_dependency(exc) if exc is not None else ""
    if exc is not None and dependency:
        log_outage(request, exc, dependency)
        response = _outage_response(request)
        # Logged above, as a warning: Django's request logger would log the 503 again as an error.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    if not _is_api(request):
        return defaults.server_error(request)
    return problem_json_response(
        request,
        status=500,
        code="internal_error",
        title="Internal server error",
        detail="Something went wrong on our side. Quote the request id if you contact support.",
    )


def _outage_response(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return application_error_response(request, ServiceUnavailable())
    # Rendered without the request: context processors would reach for the session and the user, which need
    # the database this page is about.
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
