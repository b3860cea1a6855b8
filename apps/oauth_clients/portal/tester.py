""" "Test this app in the sandbox": the portal runs the real code flow with PKCE for a sandbox app against a
built-in callback page, so a developer can sign in as a sandbox persona on the consent screen and see the
resulting consent and tokens with a ready curl, without writing an app.

The start page makes a PKCE verifier and a state, keeps them in the developer's portal session (one pending
test per app) and links to the authorize URL; the callback page checks the state, exchanges the code
(``apps.oauth_clients.server.tester``) and shows the result once. Sandbox apps only; ``manage_apps``.
"""

import base64
import hashlib
import json
import secrets
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View

from apps.oauth_clients.models import Application, Consent
from apps.oauth_clients.portal.views import ApplicationMixin
from apps.oauth_clients.server.tester import tester_exchange
from apps.oauth_clients.server.validator import scope_ceiling, tester_redirect_uri
from apps.wallets.models import WalletHolder

SESSION_KEY = "oauth_app_test"


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


class _TesterMixin(ApplicationMixin):
    required_permission = "manage_apps"

    def sandbox_application(self, client_id: str) -> Application:
        application = self.get_application(client_id)
        if application.environment.kind != "sandbox":
            raise Http404("Only sandbox apps can be tested here.")
        return application


class ApplicationTestView(_TesterMixin, View):
    def get(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.sandbox_application(client_id)
        verifier = secrets.token_urlsafe(64)
        state = secrets.token_urlsafe(24)
        scopes = sorted(scope_ceiling(application, grant_type="authorization_code"))
        pending = request.session.get(SESSION_KEY, {})
        pending[application.client_id] = {"verifier": verifier, "state": state}
        request.session[SESSION_KEY] = pending
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        authorize_url = (
            reverse("oauth2_provider:authorize")
            + "?"
            + urlencode(
                {
                    "response_type": "code",
                    "client_id": application.client_id,
                    "redirect_uri": tester_redirect_uri(application, origin=_origin(request)),
                    "scope": " ".join(scopes),
                    "state": state,
                    "code_challenge": challenge,
                    "code_challenge_method": "S256",
                }
            )
        )
        personas = (
            WalletHolder.objects.filter(
                partner=self.portal.partner, environment="sandbox", user__isnull=False, status="active"
            )
            .select_related("user")
            .order_by("pk")[:5]
        )
        response = render(
            request,
            "portal/apps/test.html",
            {"application": application, "authorize_url": authorize_url, "scopes": scopes, "personas": personas},
        )
        add_never_cache_headers(response)
        return response


class ApplicationTestCallbackView(_TesterMixin, View):
    def get(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.sandbox_application(client_id)
        pending = request.session.get(SESSION_KEY, {})
        started = pending.pop(application.client_id, None)
        request.session[SESSION_KEY] = pending
        context: dict[str, object] = {"application": application}
        if started is None or request.GET.get("state") != started["state"]:
            context["problem"] = "This test was not started here, or it was already used. Start a new one."
        elif request.GET.get("error"):
            context["problem"] = f"{request.GET['error']}: {request.GET.get('error_description', '')}"
        else:
            status, body = tester_exchange(
                application=application,
                code=request.GET.get("code", ""),
                code_verifier=started["verifier"],
                redirect_uri=tester_redirect_uri(application, origin=_origin(request)),
            )
            token = json.loads(body)
            if status != 200:
                context["problem"] = f"{token.get('error')}: {token.get('error_description', '')}"
            else:
                consent = (
                    Consent.objects.prefetch_related("wallets")
                    .filter(public_id=token.get("consent"), application=application)
                    .first()
                )
                context.update(
                    token=token,
                    consent=consent,
                    wallets=[w.public_id for w in consent.wallets.all()] if consent else [],
                    api_base=_origin(request) + "/v1",
                )
        response = render(request, "portal/apps/test_result.html", context)
        add_never_cache_headers(response)
        return response
