"""Webhook writes: ``endpoints`` (register, change, rotate, disable), ``replays`` (send events again), ``fan_out``
(deliveries owed in the writer's transaction) and ``delivery`` (claim, post, record, sweep: the worker's side).

The endpoint and replay services are the package's public API, imported from here by views and the portal."""

from apps.webhooks.services.endpoints import (
    EndpointLimitReached,
    current_secret,
    endpoint_create,
    endpoint_delete,
    endpoint_disable_automatically,
    endpoint_rotate_secret,
    endpoint_secrets_reencrypt,
    endpoint_update,
    signing_secrets,
    validate_event_types,
    validate_url,
)
from apps.webhooks.services.replays import (
    EndpointDisabled,
    Replay,
    ReplayTooLarge,
    endpoint_replay,
    endpoint_resend,
    endpoint_send_test,
    register_test_payload,
    test_event_types,
)

__all__ = [
    "EndpointDisabled",
    "EndpointLimitReached",
    "Replay",
    "ReplayTooLarge",
    "current_secret",
    "endpoint_create",
    "endpoint_delete",
    "endpoint_disable_automatically",
    "endpoint_replay",
    "endpoint_resend",
    "endpoint_rotate_secret",
    "endpoint_secrets_reencrypt",
    "endpoint_send_test",
    "endpoint_update",
    "register_test_payload",
    "signing_secrets",
    "test_event_types",
    "validate_event_types",
    "validate_url",
]
