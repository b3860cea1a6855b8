"""Scope names (docs/authentication.md). A full secret key carries every partner-level scope."""

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

USER_DELEGATED = frozenset({ACCOUNTS_READ, BALANCES_READ, TRANSACTIONS_READ, TRANSFERS_READ, TRANSFERS_WRITE})
PARTNER_LEVEL = frozenset({EVENTS_READ, WEBHOOKS_WRITE, CONSENTS_WRITE, SANDBOX_WRITE})
