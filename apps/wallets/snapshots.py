"""Event payloads: snapshots of wallets and transactions as the API shows them (kept here, below the API
serializers, so services can record events without importing the API layer)."""

from typing import Any

from apps.core import clock
from apps.wallets.models import Hold, Transaction, Wallet, WalletHolder


def holder_snapshot(holder: WalletHolder) -> dict[str, Any]:
    return {
        "id": holder.public_id,
        "object": "wallet_holder",
        "environment": holder.environment,
        "name": holder.name,
        "email": holder.email,
        "kyc_tier": holder.kyc_tier,
        "status": holder.status,
        "created_at": clock.rfc3339(holder.created_at),
    }


def wallet_snapshot(wallet: Wallet) -> dict[str, Any]:
    return {
        "id": wallet.public_id,
        "object": "wallet",
        "environment": wallet.holder.environment,
        "holder": wallet.holder.public_id,
        "currency": wallet.currency,
        "status": wallet.status,
        "ledger_balance": {"amount": wallet.ledger_balance, "currency": wallet.currency},
        "available_balance": {"amount": wallet.available_balance, "currency": wallet.currency},
        "created_at": clock.rfc3339(wallet.created_at),
    }


def transaction_snapshot(txn: Transaction) -> dict[str, Any]:
    return {
        "id": txn.public_id,
        "object": "transaction",
        "environment": txn.wallet.holder.environment,
        "wallet": txn.wallet.public_id,
        "type": txn.type,
        "status": txn.status,
        "amount": txn.amount,
        "currency": txn.currency,
        "description": txn.description,
        "counterparty": txn.counterparty or None,
        "merchant_name": txn.merchant_name or None,
        "category": txn.category,
        "balance_after": txn.balance_after,
        "booked_at": clock.rfc3339(txn.booked_at),
        "value_date": txn.value_date.isoformat() if txn.value_date else None,
        "created_at": clock.rfc3339(txn.created_at),
    }


def hold_snapshot(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.public_id,
        "object": "hold",
        "wallet": hold.wallet.public_id,
        "amount": hold.amount,
        "status": hold.status,
    }
