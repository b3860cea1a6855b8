"""Request rate and latency per URL route template (``causeway_http_requests_total``,
``causeway_http_request_duration_seconds``).

The route label is the pattern the request matched (``v1/transfers/<str:transfer_id>``), never the raw path, so
the label set is bounded by the URL configuration. Requests answered before URL routing (rate limited, refused by
the API guard) are routed here after the fact; unknown paths count as ``[unmatched]``. The cost per request is two
multiprocess-file updates through cached label children (bench/README.md has the measurement).
"""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from apps.core.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS

UNMATCHED = "[unmatched]"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Label children by their label values: ``labels()`` validates and locks on every call, a dict lookup does not.
_counters: dict[tuple[str, str, str], object] = {}
_timers: dict[tuple[str, str], object] = {}


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return UNMATCHED
    return match.route or UNMATCHED


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        method = request.method if request.method in _METHODS else "other"
        route = route_of(request)
        key = (method, route, str(response.status_code))
        counter = _counters.get(key)
        if counter is None:
            counter = _counters[key] = HTTP_REQUESTS.labels(*key)
        timer = _timers.get(key[:2])
        if timer is None:
            timer = _timers[key[:2]] = HTTP_REQUEST_SECONDS.labels(method, route)
        counter.inc()  # type: ignore[attr-defined]
        timer.observe(elapsed)  # type: ignore[attr-defined]
        return response
