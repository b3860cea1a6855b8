"""OpenAPI examples of ``/v1/webhook_endpoints``, one list per operation (``extend_schema(examples=...)``)."""

from drf_spectacular.utils import OpenApiExample

from apps.core.openapi import problem_example

ENDPOINT = {
    "id": "we_4fK9xQ2mB7vL1cN8dR4tY6wZ",
    "object": "webhook_endpoint",
    "environment": "sandbox",
    "url": "https://example.com/webhooks/causeway",
    "description": "Ledger sync",
    "enabled_events": ["transfer.succeeded", "transfer.failed"],
    "api_version": "2026-12-07",
    "metadata": {},
    "status": "enabled",
    "disabled": False,
    "disabled_reason": None,
    "created_at": "2026-11-22T09:30:00Z",
}
WITH_SECRET = {**ENDPOINT, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwbQ8x1jDG0pU="}
DELIVERY = {
    "id": "whd_8bN2cV5xZ1aS4dF7gH0jK3lQ",
    "object": "webhook_delivery",
    "endpoint": ENDPOINT["id"],
    "event": "evt_7Hk2LmQ9rT4vX1zB8nC3dF6g",
    "event_type": "webhook_endpoint.test",
    "status": "pending",
    "attempts": 0,
    "next_attempt_at": "2026-11-22T09:30:00Z",
    "last_attempt_at": None,
    "last_status_code": None,
    "last_error": None,
    "delivered_at": None,
    "created_at": "2026-11-22T09:30:00Z",
}


PRIVATE_URL = problem_example(
    "URL refused by the SSRF guard",
    400,
    "parameter_invalid",
    "Some parameters are invalid. url: internal.example.com resolves to an address that may not be reached.",
    [
        {
            "field": "url",
            "code": "address_forbidden",
            "message": "internal.example.com resolves to an address that may not be reached.",
        }
    ],
)
UNKNOWN_TYPE = problem_example(
    "Unknown event type",
    400,
    "parameter_invalid",
    "Some parameters are invalid. enabled_events: Unknown event type(s): transfer.done.",
    [{"field": "enabled_events", "code": "event_type_unknown", "message": "Unknown event type(s): transfer.done."}],
)

ENDPOINT_LIST = [
    OpenApiExample(
        "Endpoints",
        response_only=True,
        value={"object": "list", "data": [ENDPOINT], "has_more": False, "next_cursor": None},
    )
]

ENDPOINT_CREATE = [
    OpenApiExample(
        "Subscribe to transfer outcomes",
        request_only=True,
        value={
            "url": "https://example.com/webhooks/causeway",
            "enabled_events": ["transfer.succeeded", "transfer.failed"],
            "description": "Ledger sync",
        },
    ),
    OpenApiExample("Every event", request_only=True, value={"url": ENDPOINT["url"], "enabled_events": ["*"]}),
    OpenApiExample("Created", response_only=True, status_codes=["201"], value=WITH_SECRET),
    PRIVATE_URL,
    UNKNOWN_TYPE,
]

ENDPOINT_RETRIEVE = [OpenApiExample("An endpoint", response_only=True, value=ENDPOINT)]

ENDPOINT_UPDATE = [
    OpenApiExample("Disable", request_only=True, value={"disabled": True}),
    OpenApiExample("Every event", request_only=True, value={"enabled_events": ["*"]}),
    OpenApiExample("Updated", response_only=True, value={**ENDPOINT, "enabled_events": ["*"]}),
    PRIVATE_URL,
]

ENDPOINT_DELETE = [
    OpenApiExample(
        "Deleted",
        response_only=True,
        value={"id": ENDPOINT["id"], "object": "webhook_endpoint", "deleted": True},
    )
]

ENDPOINT_ROTATE_SECRET = [
    OpenApiExample("Keep the old secret for an hour", request_only=True, value={"previous_secret_expires_in": 3600}),
    OpenApiExample("Rotated", response_only=True, value=WITH_SECRET),
]

ENDPOINT_REPLAY = [
    OpenApiExample(
        "Yesterday's transfer events",
        request_only=True,
        value={
            "since": "2026-11-21T00:00:00Z",
            "until": "2026-11-22T00:00:00Z",
            "types": ["transfer.succeeded", "transfer.failed"],
        },
    ),
    OpenApiExample(
        "Queued",
        response_only=True,
        status_codes=["202"],
        value={
            "object": "webhook_replay",
            "endpoint": ENDPOINT["id"],
            "since": "2026-11-21T00:00:00Z",
            "until": "2026-11-22T00:00:00Z",
            "types": ["transfer.failed", "transfer.succeeded"],
            "event_count": 42,
            "created_at": "2026-11-22T09:30:00Z",
        },
    ),
]

ENDPOINT_RESEND = [
    OpenApiExample("Resend", request_only=True, value={"event": "evt_7Hk2LmQ9rT4vX1zB8nC3dF6g"}),
    OpenApiExample(
        "Queued",
        response_only=True,
        status_codes=["202"],
        value={**DELIVERY, "event_type": "transfer.succeeded"},
    ),
]

ENDPOINT_SEND_TEST = [OpenApiExample("Queued", response_only=True, status_codes=["202"], value=DELIVERY)]

DELIVERY_LIST = [
    OpenApiExample(
        "Deliveries",
        response_only=True,
        value={"object": "list", "data": [DELIVERY], "has_more": False, "next_cursor": None},
    )
]
