"""Secret-key authentication: ``Authorization: Bearer cw_sk_...`` (or HTTP Basic with the key as username,
as ``curl -u cw_sk_...:`` sends it).

Refused with 401 ``application/problem+json``: malformed keys (wrong shape or checksum, rejected before any
lookup), unknown keys, revoked keys, expired keys, and keys sent in the query string (where they would end up
in proxy and server logs). The digest lookup is cached for ``API_KEY_CACHE_SECONDS``; revoking a key deletes
its cache entry, so revocation takes effect on the next request. The cached record is read in the rate limiter's
round trip (``api_key_read_ahead``, registered with ``apps.core.ratelimits.add_read_ahead``), not in one of its
own.
"""

import base64
import binascii
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from apps.core import clock
from apps.core.cache import cached
from apps.core.principal import Principal
from apps.core.scopes import key_scopes
from apps.partners import keys
from apps.partners.models import ApiKey
from apps.partners.selectors.api_keys import api_key_get_by_digest
from apps.partners.services import api_key_cache_key, api_key_touch

_TOUCH_INTERVAL = timedelta(minutes=1)


def _fail(detail: str, code: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(detail, code=code)


def _credential_from_header(request: Any) -> str | None:
    header = get_authorization_header(request)
    if not header:
        return None
    try:
        scheme, _, value = header.decode("latin-1").partition(" ")
    except UnicodeDecodeError:
        raise _fail("The Authorization header is not readable.", "authentication_invalid") from None
    value = value.strip()
    if scheme.lower() == "bearer":
        return value
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _fail("The Basic credentials are not valid base64.", "authentication_invalid") from None
        return decoded.partition(":")[0]
    raise _fail("Use `Authorization: Bearer <secret key>`.", "authentication_invalid")


def api_key_read_ahead(request: HttpRequest) -> str | None:
    """The cache key of the API key a request names in ``Authorization: Bearer``, if the header holds a
    well-formed one (the rate limiter reads it with the request's count)."""
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    parsed = keys.parse(value.strip())
    return None if parsed is None else api_key_cache_key(parsed.digest)


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[Principal, Principal] | None:
        if any(keys.looks_like_key(value) for values in request.query_params.lists() for value in values[1]):
            raise _fail(
                "Secret keys are refused in the query string: send it in the Authorization header. "
                "Treat this key as leaked and roll it.",
                "api_key_in_query_string",
            )
        credential = _credential_from_header(request)
        if credential is None:
            return None
        parsed = keys.parse(credential)
        if parsed is None:
            raise _fail(
                "This is not a well-formed Causeway secret key (check for a truncated paste).", "api_key_malformed"
            )

        cache_key = api_key_cache_key(parsed.digest)
        api_key: ApiKey | None = cached(getattr(request, "cache_read", None), cache_key)
        if api_key is None:
            api_key = api_key_get_by_digest(digest=parsed.digest)
            if api_key is None:
                raise _fail("No such secret key.", "api_key_invalid")
            cache.set(cache_key, api_key, settings.API_KEY_CACHE_SECONDS)
        # The lookup was by digest; compare again in constant time so no path depends on partial matches.
        if not hmac.compare_digest(api_key.digest, parsed.digest):
            raise _fail("No such secret key.", "api_key_invalid")
        now = clock.now()
        if api_key.revoked_at is not None:
            raise _fail("This secret key has been revoked.", "api_key_revoked")
        # A key ages on its environment's clock: moving the sandbox clock past a key's expiry expires it (the
        # move drops the cached keys, so the cached environment here carries the new offset).
        if api_key.expires_at is not None and api_key.expires_at <= clock.now(environment=api_key.environment):
            raise _fail("This secret key has expired.", "api_key_expired")

        if api_key.last_used_at is None or api_key.last_used_at < now - _TOUCH_INTERVAL:
            api_key_touch(api_key_id=api_key.pk, when=now)
            api_key.last_used_at = now
            cache.set(cache_key, api_key, settings.API_KEY_CACHE_SECONDS)

        principal = Principal(
            partner=api_key.partner,
            environment=api_key.environment,
            credential_type="api_key",
            credential_id=api_key.public_id,
            scopes=key_scopes(api_key.scopes, environment_kind=api_key.environment.kind),
        )
        return principal, principal

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.partners.authentication.ApiKeyAuthentication"
    name = "secretKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cw_sk_sandbox_... or cw_sk_live_...",
            "description": "A secret API key from the portal, sent as `Authorization: Bearer <key>`.",
        }
