"""What ``GET /v1/partner`` shows: the partner, environment and credential behind a request."""

from typing import Any

from apps.core import clock
from apps.core.principal import Principal


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
