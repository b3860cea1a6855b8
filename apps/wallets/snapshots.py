"""Holders, wallets, balances, transactions and funding sources as the API shows them: the response bodies, and
the payloads of the events about them (kept here, below the API, so services can record events without
importing it). ``show_balances=False`` blanks the balance figures for a credential without ``balances:read``."""

from typing import Any

from apps.core import clock
from apps.wallets.models import FundingSource, Hold, Transaction, Wallet, WalletHolder

MASK = "••••"


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


def wallet_snapshot(wallet: Wallet, *, show_balances: bool = True) -> dict[str, Any]:
    return {
        "id": wallet.public_id,
        "object": "wallet",
        "environment": wallet.holder.environment,
        "holder": wallet.holder.public_id,
        "currency": wallet.currency,
        "status": wallet.status,
        "ledger_balance": {"amount": wallet.ledger_balance, "currency": wallet.currency} if show_balances else None,
        "available_balance": (
            {"amount": wallet.available_balance, "currency": wallet.currency} if show_balances else None
        ),
        "created_at": clock.rfc3339(wallet.created_at),
    }


def transaction_snapshot(txn: Transaction, *, show_balances: bool = True) -> dict[str, Any]:
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
        "balance_after": txn.balance_after if show_balances else None,
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


def balance_snapshot(balance: Any) -> dict[str, Any]:
    """``balance``: the ``selectors.Balance`` read for a wallet."""
    currency = balance.currency
    return {
        "object": "balance",
        "wallet": balance.wallet.public_id,
        "ledger": {"amount": balance.ledger, "currency": currency},
        "available": {"amount": balance.available, "currency": currency},
        "pending": {"amount": balance.pending, "currency": currency},
        "as_of": clock.rfc3339(balance.as_of),
        "last_transaction": balance.last_transaction,
    }


def masked(source: FundingSource) -> str:
    return f"{MASK}{source.last4}"


def funding_source_snapshot(source: FundingSource) -> dict[str, Any]:
    """Account numbers only ever masked; a card's ``holder_name`` and a bank account's ``currency`` are null when
    unknown."""
    bank_account = card = None
    if source.kind == FundingSource.Kind.BANK_ACCOUNT:
        bank_account = {
            "account_holder_name": source.account_holder_name,
            "bank_country": source.bank_country,
            "last4": source.last4,
            "masked": masked(source),
            "currency": source.currency or None,
        }
    elif source.kind == FundingSource.Kind.CARD:
        card = {
            "brand": source.brand,
            "last4": source.last4,
            "exp_month": source.exp_month,
            "exp_year": source.exp_year,
            "holder_name": source.account_holder_name or None,
        }
    return {
        "id": source.public_id,
        "object": "funding_source",
        "environment": source.holder.environment,
        "holder": source.holder.public_id,
        "type": source.kind,
        "position": source.position,
        "status": source.status,
        "bank_account": bank_account,
        "card": card,
        "created_at": clock.rfc3339(source.created_at),
    }
