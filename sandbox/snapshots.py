"""Sandbox objects as the API shows them."""

from typing import Any

from apps.core import clock
from apps.partners.models import Environment
from sandbox.models import CardTransaction


def clock_snapshot(environment: Environment) -> dict[str, Any]:
    return {
        "object": "sandbox_clock",
        "now": clock.rfc3339(clock.now(environment=environment)),
        "offset_seconds": int(environment.clock_offset.total_seconds()),
    }


def reset_snapshot(environment: Environment) -> dict[str, Any]:
    ready = environment.seed_status == Environment.SeedStatus.READY
    return {"object": "sandbox_reset", "status": "succeeded" if ready else "pending"}


def card_snapshot(card: CardTransaction) -> dict[str, Any]:
    return {
        "id": card.public_id,
        "object": "sandbox_card_transaction",
        "environment": "sandbox",
        "wallet": card.wallet.public_id,
        "status": card.status,
        "amount": card.amount,
        "currency": card.currency,
        "merchant": {"name": card.merchant_name, "category": card.merchant_category},
        "transaction": card.hold.transaction.public_id,
        "authorized_at": clock.rfc3339(card.authorized_at),
        "created_at": clock.rfc3339(card.created_at),
    }
