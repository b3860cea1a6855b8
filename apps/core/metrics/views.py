"""``GET /metrics``: the Prometheus exposition, for the operator's scraper only (docs/operations.md)."""

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from apps.core.metrics import registry


def _is_loopback(request: HttpRequest) -> bool:
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """With ``METRICS_TOKEN`` set: ``Authorization: Bearer <token>`` or 401 (a partner's key is not it). Without
    one: 404, except with DEBUG on for a loopback client that sends no credential (the embedded ``make run``)."""
    token: str = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token:
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            response = HttpResponse("A metrics token is required.\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    elif not (settings.DEBUG and _is_loopback(request) and not header):
        raise Http404("No such path.")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
