"""Sandbox objects as the API shows them."""

from typing import Any

from apps.core import clock, faults
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


def faults_snapshot(environment: Environment) -> dict[str, Any]:
    fault = faults.parse(environment.sandbox_fault) if environment.sandbox_fault else None
    return {
        "object": "sandbox_faults",
        "enabled": fault is not None,
        "latency_ms": fault.latency_ms if fault else 0,
        "status": fault.status if fault else None,
        "rate": fault.rate if fault else 1.0,
    }
