"""The event types partners can hear about (docs/webhooks.md, "Events"). Endpoints subscribe to these or ``*``."""

EVENT_TYPES: tuple[str, ...] = (
    "transfer.created",
    "transfer.held",
    "transfer.succeeded",
    "transfer.failed",
    "transfer.canceled",
    "transfer.reversed",
    "wallet.balance_updated",
    "transaction.created",
    "transaction.posted",
    "consent.granted",
    "consent.revoked",
    "consent.expiring",
    "consent.expired",
    "api_key.expiring",
    "webhook_endpoint.disabled",
    "sandbox.reset",
)

# Sent to one endpoint on request ("send a test event"); never fanned out to subscriptions.
TEST_EVENT_TYPE = "webhook_endpoint.test"
