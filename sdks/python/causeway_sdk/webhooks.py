"""Verifying Causeway webhooks (Standard Webhooks): the signed content is ``{webhook-id}.{webhook-timestamp}.{body}``,
``webhook-signature`` lists ``v1,<base64 HMAC-SHA256>`` values separated by spaces (several during a secret
rotation), and the secret is ``whsec_`` + base64. Standard library only."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

DEFAULT_TOLERANCE_SECONDS = 300


class WebhookVerificationError(Exception):
    """The message is not from Causeway, was changed, or is too old or too new to accept."""


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"Missing header {name}.")


def sign(*, secret: str, msg_id: str, timestamp: int, payload: bytes) -> str:
    """The ``v1,...`` signature of ``payload`` under ``secret`` (for tests of your receiver)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{msg_id}.{timestamp}.".encode() + payload
    return (
        "v1,"
        + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    )


def verify(
    payload: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict[str, Any]:
    """The event in ``payload`` (the raw request body, before any JSON parsing) once its signature checks out
    against ``secret`` (the endpoint's ``whsec_...``); raises ``WebhookVerificationError`` otherwise."""
    body = payload.encode() if isinstance(payload, str) else payload
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("Malformed webhook-timestamp.") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError(
            "Timestamp outside the tolerance: replayed or the clock is wrong."
        )
    expected = sign(
        secret=secret, msg_id=msg_id, timestamp=timestamp, payload=body
    ).encode()
    for candidate in signatures.split():
        if candidate.startswith("v1,") and hmac.compare_digest(
            candidate.encode(), expected
        ):
            return json.loads(body)
    raise WebhookVerificationError("No signature matches.")
