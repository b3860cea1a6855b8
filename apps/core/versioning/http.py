"""The version a request is served in, on the way in and on the way out (docs/versioning.md).

``ApiVersionMiddleware`` refuses an unknown ``Causeway-Version`` (400 ``api_version_unknown``) before anything
else runs, and states the version used on every API response (``Causeway-Version``), with ``Deprecation``,
``Sunset`` and a ``Link`` to the upgrade guide when that version has been replaced. ``VersionedJSONRenderer``
renders DRF responses in that version. On the latest version both cost a header lookup and a comparison.
"""

import re
from calendar import timegm
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer

from apps.core import versioning
from apps.core.errors import error_type
from apps.core.exceptions import application_error_response

API_PREFIX = "/v1/"
_META_KEY = "HTTP_CAUSEWAY_VERSION"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
GUIDE_PATH = "/docs/versioning/"

UnknownApiVersion = error_type(
    "UnknownApiVersion",
    "api_version_unknown",
    400,
    "Unknown API version",
    "Causeway-Version must be one of the dated versions in the versioning guide, written YYYY-MM-DD.",
)


def _pinned(request: HttpRequest) -> str | None:
    # DRF copies the authenticated principal onto the Django request (request.auth); no credential, no pin.
    partner = getattr(getattr(request, "auth", None), "partner", None)
    return getattr(partner, "api_version", None)


def version_of(request: HttpRequest) -> str:
    """The version ``request`` is served in: its header, else its partner's pin, else the latest. Known once
    the request is authenticated; remembered from then on."""
    version: str | None = getattr(request, "api_version", None)
    if version is None:
        version = request.META.get(_META_KEY) or _pinned(request) or versioning.LATEST
        if getattr(request, "auth", None) is not None:
            request.api_version = version  # type: ignore[attr-defined]
    return version


def version_headers(version: str) -> dict[str, str]:
    """What a response served in ``version`` says about it."""
    headers = {versioning.HEADER: version}
    deprecated = versioning.deprecated_on(version)
    sunset = versioning.sunset_on(version)
    if deprecated is not None and sunset is not None:
        headers["Deprecation"] = f"@{timegm(deprecated.timetuple())}"  # RFC 9745
        headers["Sunset"] = http_date(timegm(sunset.timetuple()))  # RFC 8594
        headers["Link"] = f'<{GUIDE_PATH}>; rel="deprecation"; type="text/html"'
    return headers


class ApiVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        requested = request.META.get(_META_KEY)
        if requested is not None and not versioning.is_known(requested):
            return self._refuse(request, requested)
        response = self.get_response(request)
        for name, value in version_headers(version_of(request)).items():
            if name == "Link" and response.has_header("Link"):
                value = f"{response['Link']}, {value}"
            response[name] = value
        return response

    @staticmethod
    def _refuse(request: HttpRequest, requested: str) -> HttpResponse:
        shape = "is not a version" if not _DATE.fullmatch(requested) else "is not a released version"
        known = ", ".join(versioning.VERSIONS)
        response = application_error_response(
            request,
            UnknownApiVersion(
                f"Causeway-Version {requested[:40]!r} {shape}; the versions are {known}.",
                errors=[{"field": versioning.HEADER, "code": "api_version_unknown", "message": f"One of {known}."}],
            ),
        )
        response[versioning.HEADER] = versioning.LATEST
        return response


class VersionedJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, rendering the body in the request's version (``versioning.render``)."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        request = (renderer_context or {}).get("request")
        if request is not None and data is not None:
            version = version_of(getattr(request, "_request", request))
            if version != versioning.LATEST:
                data = versioning.render(data, version)
        return super().render(data, accepted_media_type, renderer_context)
