"""The portal's API explorer: Swagger UI over the live schema, pre-authorised with a short-lived sandbox key minted
for this portal session (``explorer_key_issue``), so "Try it out" works at once and never with a live key.

``/portal/explorer/`` is a portal page (menu, breadcrumbs, heading) framing ``/portal/explorer/ui/``, the offline
Swagger UI page (apps/core/schema_views.py) in its own document so its stylesheet and the portal's never meet.
Each load of the frame mints a key and revokes the session's previous one; the secret is written into that one
``no-store`` response and nowhere else (the session keeps the key's public id, the database its digest)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views import View
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.schema_views import REFERENCE_CSP, SwaggerView
from apps.partners.portal.mixins import PortalMixin
from apps.partners.services import explorer_key_issue

SESSION_EXPLORER_KEY = "portal_explorer_key"

# Swagger UI's settings as JavaScript (drf-spectacular spreads them into SwaggerUIBundle): once the schema is
# loaded, the "secretKey" scheme is authorised with the key the page carries. Nothing is kept in localStorage.
_SETTINGS = """{
  "deepLinking": true,
  "validatorUrl": null,
  "persistAuthorization": false,
  "tryItOutEnabled": true,
  "displayRequestDuration": true,
  "onComplete": () => ui.preauthorizeApiKey(
    "secretKey", JSON.parse(document.getElementById("explorer-key").textContent)
  )
}"""


class ExplorerView(PortalMixin, View):
    required_permission = "manage_keys"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"minutes": settings.PORTAL_EXPLORER_KEY_MINUTES}
        return render(request, "portal/explorer.html", context)


class ExplorerUiView(PortalMixin, SwaggerView):
    """The framed Swagger UI page with its freshly minted key."""

    required_permission = "manage_keys"
    url_name = "v1:schema"
    template_name = "portal/explorer_ui.html"
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    versioning_class = None  # a portal page: not under /v1/'s namespace

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        issued = explorer_key_issue(
            partner=self.portal.partner,
            user=self.portal.membership.user,  # DRF's request.user is anonymous here: no API authentication
            previous_key_id=request.session.get(SESSION_EXPLORER_KEY),
        )
        request.session[SESSION_EXPLORER_KEY] = issued.api_key.public_id
        response.data |= {"settings": _SETTINGS, "explorer_secret": issued.secret, "explorer_key": issued.api_key}
        return response

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = f"{REFERENCE_CSP}; frame-ancestors 'self'"
        return response
