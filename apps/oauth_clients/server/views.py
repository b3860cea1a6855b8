"""The authorization server's machine endpoints: token (RFC 6749), revocation (RFC 7009), introspection
(RFC 7662) and discovery (RFC 8414). django-oauth-toolkit's views with Causeway's rules on top."""

import base64
import binascii
import hashlib
import json
from typing import Any

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import OAuthServerMetadataView, RevokeTokenView, TokenView

from apps.core.scopes import INTROSPECTION
from apps.oauth_clients.models import AccessToken, Application, Consent, RefreshToken
from apps.oauth_clients.server.validator import allows_client_credentials


class CausewayTokenView(TokenView):
    """``POST /o/token/``. Each exchange runs in one transaction: the code and refresh-token row locks the
    validator takes hold until the new tokens are written, and a replay's revocations commit with the
    refusal."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            return super().post(request, *args, **kwargs)


class CausewayRevokeTokenView(RevokeTokenView):
    """``POST /o/revoke/`` (RFC 7009): a client revokes its own access or refresh token; another client's
    token is left alone and the answer is the same 200."""


class CausewayMetadataView(OAuthServerMetadataView):
    """``GET /.well-known/oauth-authorization-server``: what this server supports, and nothing more."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.pop("client_id_metadata_document_supported", None)
        # Introspection takes the caller's client credentials (or a token with the introspection scope).
        data["introspection_endpoint_auth_methods_supported"] = ["client_secret_basic"]
        data["authorization_details_types_supported"] = ["payment", "mandate"]
        data["prompt_values_supported"] = ["none"]
        data["service_documentation"] = request.build_absolute_uri("/v1/docs/")
        result = JsonResponse(data)
        result["Access-Control-Allow-Origin"] = "*"
        return result


def _caller_may_introspect(request: HttpRequest) -> Application | None:
    """The app introspecting: a bearer access token with the ``introspection`` scope, or the client's own
    credentials (HTTP Basic) when the app is allowed that scope. None for anyone else."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        token = (
            AccessToken.objects.select_related("application")
            .filter(token_checksum=hashlib.sha256(value.strip().encode()).hexdigest())
            .first()
        )
        if token is not None and token.is_valid([INTROSPECTION]) and token.application is not None:
            return token.application
        return None
    if scheme.lower() == "basic" and value:
        try:
            client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        app = Application.objects.filter(client_id=client_id).first()
        if (
            app is not None
            and allows_client_credentials(app)
            and INTROSPECTION in app.allowed_scopes
            and check_password(secret, app.client_secret)
        ):
            return app
    return None


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(View):
    """``POST /o/introspect/`` (RFC 7662), for internal resource servers only: the caller needs the
    ``introspection`` scope (401 otherwise). A token is ``active`` while it is unexpired and its consent is
    ``authorized`` and unexpired; a token of another environment than the caller's is reported inactive."""

    def post(self, request: HttpRequest) -> HttpResponse:
        caller = _caller_may_introspect(request)
        if caller is None:
            response = JsonResponse(
                {"error": "invalid_client", "error_description": "Introspection needs the introspection scope."},
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer error="insufficient_scope", scope="introspection"'
            return response
        value = request.POST.get("token")
        if not value:
            return JsonResponse({"error": "invalid_request", "error_description": "token is required."}, status=400)
        checksum = hashlib.sha256(value.encode()).hexdigest()
        access = (
            AccessToken.objects.select_related("application", "consent__holder", "application__environment")
            .filter(token_checksum=checksum)
            .first()
        )
        inactive = JsonResponse({"active": False})
        if access is None:
            refresh = (
                RefreshToken.objects.select_related("application__environment", "consent__holder")
                .filter(token_checksum=checksum, revoked__isnull=True)
                .first()
            )
            if refresh is None or refresh.application.environment_id != caller.environment_id:
                return inactive
            return JsonResponse(
                _claims(
                    refresh.application,
                    refresh.consent,
                    refresh.access_token.scope if refresh.access_token else "",
                    None,
                    "refresh_token",
                )
            )
        if access.application is None or access.application.environment_id != caller.environment_id:
            return inactive
        if access.is_expired() or not _consent_live(access.consent):
            return inactive
        return JsonResponse(_claims(access.application, access.consent, access.scope, access.expires, "access_token"))


def _consent_live(consent: Consent | None) -> bool:
    return consent is None or (consent.status == Consent.Status.AUTHORIZED and consent.expires_at > timezone.now())


def _claims(app: Application, consent: Consent | None, scope: str, expires: Any, token_type: str) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "active": True,
        "token_type": token_type,
        "scope": scope,
        "client_id": app.client_id,
        "environment": app.environment.kind,
    }
    if expires is not None:
        claims["exp"] = int(expires.timestamp())
    if consent is not None:
        claims["consent"] = consent.public_id
        claims["sub"] = consent.holder.public_id
    return claims
