"""Standard Webhooks signatures (https://www.standardwebhooks.com), made with the ``standardwebhooks`` library.

A secret is ``whsec_`` + base64 of 32 random bytes. The signed content is ``{webhook-id}.{webhook-timestamp}.{body}``
and ``webhook-signature`` is ``v1,<base64 HMAC-SHA256>``; with several secrets (during a rotation) it lists one
signature per secret, separated by spaces, and a receiver accepts the message when any of them verifies.
"""

import base64
import secrets as _secrets
from datetime import UTC, datetime
from functools import lru_cache

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(SECRET_BYTES)).decode("ascii")


@lru_cache(maxsize=256)
def _signer(secret: str) -> Webhook:
    # Decoding the secret costs more than the HMAC; a worker signs for the same few endpoints over and over.
    return Webhook(secret)


def sign(*, secrets: list[str] | tuple[str, ...], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for ``body`` under every secret in ``secrets``."""
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    data = body.decode("utf-8")
    return " ".join(_signer(secret).sign(msg_id=msg_id, timestamp=when, data=data) for secret in secrets)


def headers(*, secrets: list[str] | tuple[str, ...], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secrets=secrets, msg_id=msg_id, timestamp=timestamp, body=body),
    }
