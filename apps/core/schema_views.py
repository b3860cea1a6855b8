"""The API reference as served: the schema names the server it was fetched from, and the Swagger UI and Redoc
pages never reach past this server (the committed docs/openapi.yaml is left without a server, so it is the same
on every machine)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.response import Response

# Images, fonts and fetches from this origin only: Redoc's footer logo (cdn.redoc.ly) and Swagger UI's validator
# badge are never requested; Redoc drops its logo when the load is refused.
REFERENCE_CSP = "img-src 'self' data:; font-src 'self' data:; connect-src 'self'"


class SchemaView(SpectacularAPIView):
    """``/v1/schema/``: ``servers`` is the origin of the request, so "Try it out" calls the server the reader
    runs, on whatever host and port (behind a proxy, ``X-Forwarded-*`` as Django is configured to trust)."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        server = {"url": request.build_absolute_uri("/").rstrip("/"), "description": "This server"}
        data = dict(response.data)
        response.data = {key: data[key] for key in ("openapi", "info") if key in data} | {"servers": [server]}
        response.data.update({key: value for key, value in data.items() if key not in response.data})
        return response


class _OfflinePage:
    def finalize_response(self, request: HttpRequest, response: HttpResponse, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Content-Security-Policy"] = REFERENCE_CSP
        return response


class SwaggerView(_OfflinePage, SpectacularSwaggerView):
    """``/v1/docs/``: Swagger UI from the bundled assets."""


class RedocView(_OfflinePage, SpectacularRedocView):
    """``/v1/redoc/``: Redoc from the bundled assets, with the browser's own fonts (templates/api/redoc.html)."""
