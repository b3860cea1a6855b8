"""The code exchange behind the portal's "Test this app in the sandbox" page.

The page runs the real flow: the real consent screen (the developer signs in there as a sandbox holder, in
the holder's own session), a real code bound to a real consent, PKCE with S256, redirected to the portal's
built-in callback. Only the exchange differs from a partner's server: the portal holds no client secret (only
its hash is stored), so the callback page, which only the app's own team can open and which holds the PKCE
verifier in that team member's session, exchanges the code in-process with the client authenticated as the
app. Every other rule of the token endpoint applies (code single use and 60 s, verifier, redirect URI)."""

from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from oauth2_provider.settings import oauth2_settings

from apps.oauth_clients.models import Application
from apps.oauth_clients.server.validator import CausewayValidator


class _TesterValidator(CausewayValidator):
    def __init__(self, application: Application) -> None:
        super().__init__()
        self._application = application

    def client_authentication_required(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        return True

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if request.client_id != self._application.client_id:
            return False
        request.client = self._application
        return True


def tester_exchange(*, application: Application, code: str, code_verifier: str, redirect_uri: str) -> tuple[int, str]:
    """Exchange ``code`` for ``application``'s tokens as its token endpoint would; (status, JSON body)."""
    server = oauth2_settings.OAUTH2_SERVER_CLASS(_TesterValidator(application), **oauth2_settings.server_kwargs)
    body = urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": code_verifier,
            "redirect_uri": redirect_uri,
            "client_id": application.client_id,
        }
    )
    with transaction.atomic():
        _headers, response, status = server.create_token_response(
            "http://internal/o/token/",
            http_method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    return status, response
