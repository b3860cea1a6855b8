"""Health endpoints and the problem+json handlers for responses made outside DRF."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import health
from apps.core.exceptions import PROBLEM_CONTENT_TYPE, problem_body, problem_json_response


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
    if not _is_api(request):
        return defaults.server_error(request)
    return problem_json_response(
        request,
        status=500,
        code="internal_error",
        title="Internal server error",
        detail="Something went wrong on our side. Quote the request id if you contact support.",
    )
