"""Scope names (docs/authentication.md). A full secret key carries every partner-level scope its environment can
use: live keys never carry the sandbox-only ones."""

from collections.abc import Iterable

ACCOUNTS_READ = "accounts:read"
BALANCES_READ = "balances:read"
TRANSACTIONS_READ = "transactions:read"
TRANSFERS_READ = "transfers:read"
TRANSFERS_WRITE = "transfers:write"
EVENTS_READ = "events:read"
WEBHOOKS_WRITE = "webhooks:write"
CONSENTS_WRITE = "consents:write"
SANDBOX_WRITE = "sandbox:write"
INTROSPECTION = "introspection"
# The wallet's extras (docs/offers.md): spending insights, offers and points. A holder grants the first three on
# the consent screen (which opts the holder in); offers:write and points:write are also partner-level (a partner
# manages its offers and redeems points with its secret key).
INSIGHTS_READ = "insights:read"
OFFERS_READ = "offers:read"
OFFERS_WRITE = "offers:write"
POINTS_WRITE = "points:write"

USER_DELEGATED = frozenset(
    {
        ACCOUNTS_READ,
        BALANCES_READ,
        TRANSACTIONS_READ,
        TRANSFERS_READ,
        TRANSFERS_WRITE,
        INSIGHTS_READ,
        OFFERS_READ,
        OFFERS_WRITE,
        POINTS_WRITE,
    }
)
# Holder-delegated scopes that use the holder's spending: granting one on the consent screen opts the holder in.
PERSONALISATION = frozenset({INSIGHTS_READ, OFFERS_READ, OFFERS_WRITE})
PARTNER_LEVEL = frozenset({EVENTS_READ, WEBHOOKS_WRITE, CONSENTS_WRITE, SANDBOX_WRITE, OFFERS_WRITE, POINTS_WRITE})
# Partner-level scopes that act only in sandbox (simulations, sandbox holders' data): a live credential never holds
# them, so it never claims what it cannot use.
SANDBOX_ONLY = frozenset({SANDBOX_WRITE})


def partner_level_for(environment_kind: str) -> frozenset[str]:
    """The partner-level scopes a secret key of that environment (``sandbox`` or ``live``) can hold."""
    return PARTNER_LEVEL if environment_kind == "sandbox" else PARTNER_LEVEL - SANDBOX_ONLY


def key_scopes(restricted: Iterable[str], *, environment_kind: str) -> frozenset[str]:
    """What a secret key holds: its restriction (empty: every scope its environment can use), never more than its
    environment allows (a live key restricted before live keys refused sandbox-only scopes loses them here)."""
    allowed = partner_level_for(environment_kind)
    chosen = frozenset(restricted)
    return chosen & allowed if chosen else allowed
