"""django-oauth-toolkit's request validator with Causeway's rules (docs/oauth.md).

- **Scopes** are capped by the app's ``allowed_scopes``: the code flow may ask for its user-delegated ones,
  client credentials for its partner-level ones (``introspection`` only where bank staff allowed it). Asking
  for more is ``invalid_scope``; nothing is silently dropped.
- **Grants.** The code flow for apps with user-delegated scopes; client credentials for confidential apps with
  partner-level scopes; refresh tokens for the code flow.
- **Codes** are stored as digests, live ``AUTHORIZATION_CODE_EXPIRE_SECONDS`` (60 s) and are single use: the
  exchange marks the code used under its row lock; a second exchange of a used code revokes every token the
  consent it carries has issued (RFC 6749 section 4.1.2). The PKCE verifier must be 43-128 unreserved
  characters (RFC 7636 section 4.1), whatever the challenge.
- **Refresh tokens** rotate on use. The token is locked for the exchange, so of parallel refreshes of one
  token exactly one gets a new pair and the rest ``invalid_grant``. A retired token presented again within
  ``OAUTH_REFRESH_RACE_SECONDS`` of its rotation is such a race and is refused alone; later it is a replay
  and revokes the token's whole family.
- **Consents.** A code and every token issued from it carry the holder's consent; no token is issued for a
  consent that is no longer ``authorized``, and the token response names it (``"consent": "cons_..."``).

The token endpoint runs each exchange in one transaction (``views.TokenView``), which the row locks rely on.
"""

import hashlib
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

from apps.core import clock
from apps.core.scopes import INTROSPECTION, PARTNER_LEVEL, USER_DELEGATED
from apps.oauth_clients import tokens
from apps.oauth_clients.models import AccessToken, Application, Consent, Grant, RefreshToken

CLIENT_CREDENTIALS = "client_credentials"


def scope_ceiling(application: Application, *, grant_type: str) -> frozenset[str]:
    """The most a token of ``application`` can carry for ``grant_type``."""
    allowed = frozenset(application.allowed_scopes)
    if grant_type == CLIENT_CREDENTIALS:
        return allowed & (PARTNER_LEVEL | {INTROSPECTION})
    return allowed & USER_DELEGATED


def allows_client_credentials(application: Application) -> bool:
    return application.client_type == Application.CLIENT_CONFIDENTIAL and bool(
        scope_ceiling(application, grant_type=CLIENT_CREDENTIALS)
    )


def tester_redirect_uri(application: Application, *, origin: str) -> str:
    """The portal's built-in callback for ``application`` ("Test this app in the sandbox"), on ``origin``."""
    return origin.rstrip("/") + reverse("portal:apps-test-callback", kwargs={"client_id": application.client_id})


def request_origin(headers: Any) -> str | None:
    """``scheme://host`` of the request the oauthlib ``headers`` came with (DOT passes Django's ``META``), when
    its host is one this deployment serves (``ALLOWED_HOSTS``)."""
    host = headers.get("HTTP_HOST") or headers.get("SERVER_NAME") or ""
    allowed = settings.ALLOWED_HOSTS or ([".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if not host or not validate_host(split_domain_port(host)[0] or host, allowed):
        return None
    return ("https" if headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE") else "http") + "://" + host


def is_tester_redirect(application: Application, redirect_uri: str, *, headers: Any) -> bool:
    """A sandbox app may also redirect to the portal's built-in callback page for that app, on this server's
    own origin (the one the authorization request came to): a page only the app's team can open."""
    if application.environment.kind != "sandbox":
        return False
    origin = request_origin(headers)
    return origin is not None and redirect_uri == tester_redirect_uri(application, origin=origin)


def revoke_consent_tokens(consent_id: int) -> None:
    """Revoke every access and refresh token issued under the consent ``consent_id``."""
    now = timezone.now()
    RefreshToken.objects.filter(consent_id=consent_id, revoked__isnull=True).update(revoked=now, access_token=None)
    AccessToken.objects.filter(consent_id=consent_id).delete()


class CausewayValidator(OAuth2Validator):
    # --- which grant, which scopes --------------------------------------------------------------------------
    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kw: Any
    ) -> bool:
        if grant_type == CLIENT_CREDENTIALS:
            return allows_client_credentials(client)
        if grant_type in ("authorization_code", "refresh_token"):
            return bool(scope_ceiling(client, grant_type=grant_type))
        return False

    def validate_response_type(
        self, client_id: str, response_type: str, client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return response_type == "code" and bool(scope_ceiling(client, grant_type="authorization_code"))

    def _grant_type(self, request: Any) -> str:
        return getattr(request, "grant_type", None) or "authorization_code"

    def validate_scopes(
        self, client_id: str, scopes: Any, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return set(scopes) <= scope_ceiling(client, grant_type=self._grant_type(request))

    def get_default_scopes(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> list[str]:
        return sorted(scope_ceiling(request.client, grant_type=self._grant_type(request)))

    def validate_redirect_uri(self, client_id: str, redirect_uri: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        return request.client.redirect_uri_allowed(redirect_uri) or is_tester_redirect(
            request.client, redirect_uri, headers=request.headers
        )

    # --- authorization codes -------------------------------------------------------------------------------
    def _grant(self, code: str, client: Any) -> Grant | None:
        return Grant.objects.filter(code=tokens.code_digest(code), application=client).first()

    def _create_authorization_code(self, request: Any, code: dict[str, str], expires: Any = None) -> Grant:
        if request.code_challenge_method != "S256":
            raise errors.InvalidRequestError(description="PKCE with S256 is required.", request=request)
        consent = getattr(request, "consent", None)
        if consent is None:
            raise errors.ServerError(description="No consent for this code.", request=request)
        return Grant.objects.create(
            application=request.client,
            user=request.user,
            code=tokens.code_digest(code["code"]),
            expires=timezone.now() + timedelta(seconds=oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS),
            redirect_uri=request.redirect_uri,
            scope=" ".join(request.scopes),
            code_challenge=request.code_challenge,
            code_challenge_method="S256",
            nonce="",
            claims="{}",
            consent=consent,
        )

    def validate_code(self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any) -> bool:
        grant = (
            Grant.objects.select_for_update(of=("self",))
            .select_related("consent")
            .filter(code=tokens.code_digest(code), application=client)
            .first()
        )
        if grant is None:
            return False
        if grant.used_at is not None:
            # A replayed code: whoever holds it may have stolen it, so what the first exchange issued goes too.
            if grant.consent_id is not None:
                revoke_consent_tokens(grant.consent_id)
            return False
        if grant.is_expired():
            return False
        verifier = getattr(request, "code_verifier", None)
        if verifier is None or not tokens.CODE_VERIFIER.fullmatch(verifier):
            return False
        consent = grant.consent
        if consent is None or consent.status != Consent.Status.AUTHORIZED:
            return False
        request.scopes = grant.scope.split()
        request.user = grant.user
        request.consent = consent
        return True

    def invalidate_authorization_code(self, client_id: str, code: str, request: Any, *args: Any, **kwargs: Any) -> None:
        claimed = Grant.objects.filter(
            code=tokens.code_digest(code), application=request.client, used_at__isnull=True
        ).update(used_at=timezone.now())
        if not claimed:
            raise errors.InvalidGrantError(request=request)

    def confirm_redirect_uri(
        self, client_id: str, code: str, redirect_uri: str, client: Any, *a: Any, **k: Any
    ) -> bool:
        grant = self._grant(code, client)
        return grant is not None and grant.redirect_uri == redirect_uri

    def get_code_challenge(self, code: str, request: Any) -> str | None:
        grant = self._grant(code, request.client)
        return grant.code_challenge if grant else None

    def get_code_challenge_method(self, code: str, request: Any) -> str | None:
        grant = self._grant(code, request.client)
        return grant.code_challenge_method if grant else None

    def get_authorization_code_scopes(self, client_id: str, code: str, redirect_uri: str, request: Any) -> list[str]:
        grant = Grant.objects.filter(code=tokens.code_digest(code)).first()
        return grant.scope.split() if grant else []

    def get_authorization_code_nonce(self, client_id: str, code: str, redirect_uri: str, request: Any) -> None:
        return None

    # --- refresh tokens ------------------------------------------------------------------------------------
    def validate_refresh_token(self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any) -> bool:
        checksum = hashlib.sha256(refresh_token.encode("utf-8")).hexdigest()
        # Take the token's lock first: a parallel refresh of the same token that holds it finishes (and
        # commits its rotation) before this one reads anything.
        rows = list(RefreshToken.objects.select_for_update(of=("self",)).filter(token_checksum=checksum))
        if rows and all(row.revoked is not None for row in rows):
            retired = max(rows, key=lambda row: row.revoked)
            if (
                retired.revoked > timezone.now() - timedelta(seconds=settings.OAUTH_REFRESH_RACE_SECONDS)
                and AccessToken.objects.filter(source_refresh_token=retired).exists()
            ):
                # Rotated a moment ago: a parallel refresh of the same token won the race. Refused, not a replay.
                return False
        # The parent refuses a token that was already rotated or revoked (and revokes the family of a replay),
        # an expired one, and one of another client.
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        consent = (
            Consent.objects.select_related("environment").filter(pk=request.refresh_token_instance.consent_id).first()
        )
        if consent is not None and (
            consent.status != Consent.Status.AUTHORIZED
            or consent.expires_at <= clock.now(environment=consent.environment)
        ):
            return False
        request.consent = consent
        return True

    # --- issuing -------------------------------------------------------------------------------------------
    def _save_bearer_token(self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any) -> None:
        if self._grant_type(request) == CLIENT_CREDENTIALS:
            request.consent = None
        super()._save_bearer_token(token, request, *args, **kwargs)
        consent = getattr(request, "consent", None)
        if consent is not None:
            token["consent"] = consent.public_id

    def _create_access_token(
        self, expires: Any, request: Any, token: dict[str, Any], source_refresh_token: Any = None
    ) -> AccessToken:
        access_token = AccessToken(
            user=request.user,
            scope=token["scope"],
            expires=expires,
            application=request.client,
            source_refresh_token=source_refresh_token,
            consent=getattr(request, "consent", None),
        )
        self._set_token_value(access_token, token["access_token"])
        access_token.save()
        return access_token

    def _create_refresh_token(
        self, request: Any, refresh_token_code: str, access_token: Any, previous_refresh_token: Any
    ) -> RefreshToken:
        refresh_token = RefreshToken(
            user=request.user,
            application=request.client,
            access_token=access_token,
            token_family=previous_refresh_token.token_family if previous_refresh_token else uuid.uuid4(),
            consent=getattr(request, "consent", None),
        )
        self._set_token_value(refresh_token, refresh_token_code)
        refresh_token.save()
        return refresh_token
