"""The event object as the API shows it (``/v1/events``); its ``data`` is the payload recorded with it."""

from typing import Any

from apps.core import clock
from apps.events.models import Event


def event_snapshot(event: Event) -> dict[str, Any]:
    return {
        "id": event.public_id,
        "object": "event",
        "type": event.type,
        "environment": event.environment.kind,
        "api_version": event.api_version,
        "created_at": clock.rfc3339(event.created_at),
        "sequence": event.sequence,
        "data": event.data,
    }
