"""A client library for accessing Causeway API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

from ._version import API_VERSION, SDK_VERSION
from .causeway import ApiError, RetryTransport, connect, new_idempotency_key, paginate
from .webhooks import WebhookVerificationError
