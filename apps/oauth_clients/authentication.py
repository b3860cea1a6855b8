"""OAuth access-token authentication for the API: ``Authorization: Bearer cw_at_...``.

Resolves to a ``Principal`` of the token's app (partner, environment), with the token's scopes; a token from
the code flow also carries its consent's holder, the consented wallet ids and the consent itself. Checked on
every request, with no cache: an unknown, expired or revoked token, or one whose consent is no longer
``authorized`` or has passed ``expires_at``, is 401 on the very next request. Tokens in a query string are
refused (RFC 6750 section 5.3; RFC 9700). Anything that is not an access token is left to the API-key
authentication that follows this one.
"""

import hashlib
from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from apps.core import clock
from apps.core.permissions import scopes_required
from apps.core.principal import Principal
from apps.core.scopes import PARTNER_LEVEL, USER_DELEGATED
from apps.oauth_clients import tokens
from apps.oauth_clients.models import AccessToken, Consent


def _fail(detail: str, code: str = "oauth_token_invalid") -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(detail, code=code)


class OAuthTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[Principal, Principal] | None:
        params = request.query_params
        if "access_token" in params or any(
            tokens.looks_like_access_token(v) for _, values in params.lists() for v in values
        ):
            raise _fail(
                "Access tokens are refused in the query string: send `Authorization: Bearer <token>`.",
                "oauth_token_in_query_string",
            )
        header = get_authorization_header(request)
        scheme, _, value = header.decode("latin-1").partition(" ") if header else ("", "", "")
        value = value.strip()
        if scheme.lower() != "bearer" or not tokens.looks_like_access_token(value):
            return None
        checksum = hashlib.sha256(value.encode("utf-8")).hexdigest()
        token = (
            AccessToken.objects.select_related("application__partner", "application__environment", "consent__holder")
            .filter(token_checksum=checksum)
            .first()
        )
        if token is None or token.application is None:
            raise _fail("No such access token (it may have been revoked).")
        application = token.application
        now = clock.now()
        if token.expires <= now:
            raise _fail("This access token has expired: refresh it.", "oauth_token_expired")
        consent = token.consent
        holder = None
        wallet_ids = None
        if consent is not None:
            if consent.status != Consent.Status.AUTHORIZED:
                raise _fail(f"The consent behind this token is {consent.status}.", "consent_inactive")
            if consent.expires_at <= clock.now(environment=application.environment):
                raise _fail("The consent behind this token has expired.", "consent_inactive")
            holder = consent.holder
            wallet_ids = frozenset(consent.wallets.values_list("public_id", flat=True))
        elif token.user_id is not None:
            # A holder-bound token must name its consent; one that does not is refused rather than trusted.
            raise _fail("No such access token.")
        principal = Principal(
            partner=application.partner,
            environment=application.environment,
            credential_type="oauth_token",
            credential_id=f"at_{token.pk}",
            scopes=frozenset(token.scope.split()),
            holder=holder,
            wallet_ids=wallet_ids,
            consent=consent,
        )
        return principal, principal

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


class OAuthTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.oauth_clients.authentication.OAuthTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        # Each operation names the scopes its token needs (the same declaration HasRequiredScopes checks).
        return {self.name: list(scopes_required(auto_schema.view, auto_schema.method))}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:

        scopes = dict(settings.OAUTH2_PROVIDER["SCOPES"])
        user = {k: v for k, v in scopes.items() if k in USER_DELEGATED}
        partner = {k: v for k, v in scopes.items() if k in PARTNER_LEVEL}
        return {
            "type": "oauth2",
            "description": (
                "OAuth 2.0 access tokens (`cw_at_...`). Authorization code with PKCE (S256) for a holder's data "
                "under their consent; client credentials for the app's own partner-level calls. See docs/oauth.md."
            ),
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/o/authorize/",
                    "tokenUrl": "/o/token/",
                    "refreshUrl": "/o/token/",
                    "scopes": user,
                },
                "clientCredentials": {"tokenUrl": "/o/token/", "scopes": partner},
            },
        }
