"""What ``GET /v1/partner`` shows (the partner, environment and credential behind a request), and an API key as
its events show it."""

from typing import Any

from apps.core import clock
from apps.core.principal import Principal
from apps.core.scopes import key_scopes
from apps.partners.models import ApiKey


def whoami_snapshot(principal: Principal, *, environments: list[str]) -> dict[str, Any]:
    """``environments``: the kinds the partner has, sandbox first."""
    partner = principal.partner
    return {
        "object": "partner",
        "id": partner.public_id,
        "name": partner.name,
        "environment": principal.environment.kind,
        "livemode": principal.environment.kind == "live",
        "api_version": partner.api_version,
        "environments": environments,
        "credential": {
            "type": principal.credential_type,
            "id": principal.credential_id,
            "scopes": sorted(principal.scopes),
        },
        "created_at": clock.rfc3339(partner.created_at),
    }


def api_key_event_snapshot(api_key: ApiKey) -> dict[str, Any]:
    """The ``api_key`` snapshot of an event: everything the portal shows about a key, never the secret."""
    return {
        "id": api_key.public_id,
        "object": "api_key",
        "environment": api_key.environment.kind,
        "name": api_key.name,
        "redacted": api_key.redacted,
        "restricted": bool(api_key.scopes),
        "scopes": sorted(key_scopes(api_key.scopes, environment_kind=api_key.environment.kind)),
        "created_at": clock.rfc3339(api_key.created_at),
        "expires_at": clock.rfc3339(api_key.expires_at),
        "last_used_at": clock.rfc3339(api_key.last_used_at),
        "rolled_to": api_key.rolled_to.public_id if api_key.rolled_to else None,
    }
