from typing import Literal

EventTypeEnum = Literal[
    "api_key.expiring",
    "consent.expired",
    "consent.expiring",
    "consent.granted",
    "consent.revoked",
    "holder.verification.updated",
    "offer.budget_exhausted",
    "offer.redeemed",
    "points.redeemed",
    "sandbox.reset",
    "transaction.created",
    "transaction.posted",
    "transfer.canceled",
    "transfer.created",
    "transfer.failed",
    "transfer.held",
    "transfer.reversed",
    "transfer.succeeded",
    "wallet.balance_updated",
    "webhook_endpoint.disabled",
]

EVENT_TYPE_ENUM_VALUES: set[EventTypeEnum] = {
    "api_key.expiring",
    "consent.expired",
    "consent.expiring",
    "consent.granted",
    "consent.revoked",
    "holder.verification.updated",
    "offer.budget_exhausted",
    "offer.redeemed",
    "points.redeemed",
    "sandbox.reset",
    "transaction.created",
    "transaction.posted",
    "transfer.canceled",
    "transfer.created",
    "transfer.failed",
    "transfer.held",
    "transfer.reversed",
    "transfer.succeeded",
    "wallet.balance_updated",
    "webhook_endpoint.disabled",
}


def check_event_type_enum(value: str) -> EventTypeEnum:
    if value in EVENT_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EVENT_TYPE_ENUM_VALUES!r}"
    )
