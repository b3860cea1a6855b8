"""Webhook endpoints, deliveries and replays as the API shows them, and an endpoint as its events show it (fewer
fields). The secret is never part of an endpoint's snapshot: the two responses that show it add it
(``with_secret``), and the stored idempotent response holds ``null`` in its place."""

from typing import Any

from apps.core import clock
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.public_id,
        "object": "webhook_endpoint",
        "environment": endpoint.environment.kind,
        "url": endpoint.url,
        "description": endpoint.description,
        "enabled_events": list(endpoint.enabled_events),
        "api_version": endpoint.api_version,
        "metadata": dict(endpoint.metadata),
        "status": "disabled" if endpoint.disabled else "enabled",
        "disabled": endpoint.disabled,
        "disabled_reason": endpoint.disabled_reason or None,
        "created_at": clock.rfc3339(endpoint.created_at),
    }


def endpoint_event_snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """The ``webhook_endpoint`` snapshot in events: the API's without ``metadata`` and ``disabled`` (and never the
    secret)."""
    snapshot = endpoint_snapshot(endpoint)
    del snapshot["metadata"], snapshot["disabled"]
    return snapshot


def with_secret(snapshot: dict[str, Any], secret: str | None) -> dict[str, Any]:
    return {**snapshot, "secret": secret}


def endpoint_deleted_snapshot(public_id: str) -> dict[str, Any]:
    return {"id": public_id, "object": "webhook_endpoint", "deleted": True}


def delivery_snapshot(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.public_id,
        "object": "webhook_delivery",
        "endpoint": delivery.endpoint.public_id,
        "event": delivery.event.public_id,
        "event_type": delivery.event.type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": clock.rfc3339(delivery.next_attempt_at),
        "last_attempt_at": clock.rfc3339(delivery.last_attempt_at),
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error or None,
        "delivered_at": clock.rfc3339(delivery.delivered_at),
        "created_at": clock.rfc3339(delivery.created_at),
    }


def replay_snapshot(replay: Any) -> dict[str, Any]:
    """``replay``: the ``services.Replay`` a replay returns (this module sits below the services)."""
    return {
        "object": "webhook_replay",
        "endpoint": replay.endpoint.public_id,
        "since": clock.rfc3339(replay.since),
        "until": clock.rfc3339(replay.until),
        "types": list(replay.types),
        "event_count": replay.event_count,
        "created_at": clock.rfc3339(replay.created_at),
    }
