"""Who is calling: every authenticated request resolves to one ``Principal`` that selectors take.

Visibility follows from the principal alone: its partner and environment, and for OAuth tokens the holder
and the wallets the holder consented to.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Principal:
    partner: Any  # apps.partners.models.Partner (core sits below partners, so it cannot name the type)
    environment: Any  # apps.partners.models.Environment
    credential_type: str  # "api_key" | "oauth_token"
    credential_id: str  # public id of the key or token, for logs and audit; never the secret
    scopes: frozenset[str] = field(default_factory=frozenset)
    holder: Any = None
    wallet_ids: frozenset[str] | None = None
    consent: Any = None  # apps.oauth_clients.models.Consent of a holder-bound OAuth token; None otherwise

    # DRF treats request.user as authenticated when this is true.
    is_authenticated = True
    is_anonymous = False

    @property
    def environment_kind(self) -> str:
        return self.environment.kind

    @property
    def is_sandbox(self) -> bool:
        return self.environment.kind == "sandbox"

    @property
    def scope_key(self) -> str:
        """A string naming the partner and environment, used to scope idempotency keys and caches."""
        return f"{self.partner.public_id}:{self.environment.kind}"

    @property
    def idempotency_scope(self) -> str:
        """Whose idempotency records this principal shares: the partner's environment for partner-level
        credentials (any of its keys may retry a request), narrowed to the consent for a holder-bound token, so
        one holder's token can never be replayed a response made for another holder's consent."""
        if self.consent is not None:
            return f"{self.scope_key}:{self.consent.public_id}"
        return self.scope_key


def principal_of(request: Any) -> Principal:
    """The principal of an authenticated API request (``request.auth``, typed).

    The authentication classes set it and the scope check refuses a request without one before the view runs,
    so in a view it is always there; anything else is a programming error, not a 401."""
    principal = request.auth
    if not isinstance(principal, Principal):
        raise TypeError(f"request.auth is {type(principal).__name__}, not a Principal: is the view authenticated?")
    return principal
