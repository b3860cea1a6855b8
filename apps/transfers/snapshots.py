"""Transfers, reversals and FX quotes as the API and the events show them. Plain dictionaries built from loaded
rows: the same function serves the response body, the idempotent replay and the event payload, so the three
never disagree (the API's OpenAPI serializer is tested against it)."""

from typing import Any

from apps.core import clock
from apps.transfers.models import FxQuote, Transfer, TransferReversal, TransferStatusChange
from apps.wallets.models import Entry


def _money(amount: int | None, currency: str) -> dict[str, Any] | None:
    return None if amount is None or not currency else {"amount": amount, "currency": currency}


def _party(transfer: Transfer, side: str) -> str | None:
    wallet = transfer.source_wallet if side == "source" else transfer.destination_wallet
    if wallet is not None:
        return wallet.public_id
    # A top-up comes from a funding source; a payout goes to one.
    own_side = "source" if transfer.type == Transfer.Type.TOP_UP else "destination"
    if side == own_side and transfer.funding_source is not None:
        return transfer.funding_source.public_id
    return None


def transfer_snapshot(transfer: Transfer, *, status: str | None = None) -> dict[str, Any]:
    """The transfer object (``status`` overrides the stored one: the ``transfer.created`` event of a transfer
    that settled in the same transaction shows it as it was created, ``pending``)."""
    fx = None
    if transfer.type == Transfer.Type.FX and transfer.fx_quote is not None:
        fx = {
            "quote": transfer.fx_quote.public_id,
            "rate": transfer.fx_quote.rate,
            "destination_amount": _money(transfer.destination_amount, transfer.destination_currency),
            "fee": _money(transfer.fee_amount, transfer.currency),
        }
    return {
        "id": transfer.public_id,
        "object": "transfer",
        "environment": transfer.environment.kind,
        "type": transfer.type,
        "status": status or transfer.status,
        "amount": transfer.amount,
        "currency": transfer.currency,
        "source": _party(transfer, "source"),
        "destination": _party(transfer, "destination"),
        "fx": fx,
        "amount_reversed": transfer.amount_reversed,
        "description": transfer.description,
        "metadata": transfer.metadata,
        "failure": (
            {"code": transfer.failure_code, "message": transfer.failure_message or None}
            if transfer.failure_code
            else None
        ),
        "review_reason": transfer.review_reason or None,
        # The score, its level and the generic reason codes: never what screening or monitoring found (docs/risk.md).
        "risk": (
            None
            if not transfer.risk_level
            else {"score": transfer.risk_score, "level": transfer.risk_level, "reasons": list(transfer.risk_reasons)}
        ),
        "mandate": transfer.mandate.public_id if transfer.mandate is not None else None,
        "funding_attempts": [dict(attempt) for attempt in transfer.funding_attempts],
        "created_at": clock.rfc3339(transfer.created_at),
    }


def status_change_snapshot(change: TransferStatusChange) -> dict[str, Any]:
    return {
        "status": change.status,
        "previous_status": change.previous_status or None,
        "reason": change.reason or None,
        "at": clock.rfc3339(change.at),
    }


def journal_line_snapshot(entry: Entry, *, reversal: str | None = None) -> dict[str, Any]:
    """One ledger entry of the transfer: on a wallet (its id) or a system account (its code: ``clearing:bank``,
    ``fees``, ``fx``); ``reversal`` names the ``trr_`` whose journal it belongs to."""
    account = entry.account
    return {
        "kind": entry.journal.kind,
        "reversal": reversal,
        "account": account.wallet.public_id if account.wallet is not None else account.code,
        "account_type": account.kind,
        "amount": entry.amount,
        "currency": entry.currency,
        "posted_at": clock.rfc3339(entry.journal.posted_at),
    }


def transfer_detail_snapshot(
    transfer: Transfer,
    *,
    status_changes: list[TransferStatusChange],
    entries: list[Entry],
    reversal_by_journal: dict[int, str],
) -> dict[str, Any]:
    """The transfer with its ``journal_lines`` (every entry of its journals, reversals included) and its
    ``status_history``, oldest first."""
    return {
        **transfer_snapshot(transfer),
        "journal_lines": [
            journal_line_snapshot(entry, reversal=reversal_by_journal.get(entry.journal_id)) for entry in entries
        ],
        "status_history": [status_change_snapshot(change) for change in status_changes],
    }


def reversal_snapshot(reversal: TransferReversal) -> dict[str, Any]:
    return {
        "id": reversal.public_id,
        "object": "transfer_reversal",
        "environment": reversal.transfer.environment.kind,
        "transfer": reversal.transfer.public_id,
        "amount": reversal.amount,
        "currency": reversal.transfer.currency,
        "description": reversal.description,
        "metadata": reversal.metadata,
        "created_at": clock.rfc3339(reversal.created_at),
    }


def fx_quote_snapshot(quote: FxQuote) -> dict[str, Any]:
    """The quote as the API shows it (``FxQuoteSerializer`` describes the same shape)."""
    return {
        "id": quote.public_id,
        "object": FxQuote.object_name,
        "environment": quote.environment.kind,
        "source": {"amount": quote.source_amount, "currency": quote.source_currency},
        "destination": {"amount": quote.destination_amount, "currency": quote.destination_currency},
        "fee": {"amount": quote.fee_amount, "currency": quote.source_currency},
        "rate": quote.rate,
        "expires_at": clock.rfc3339(quote.expires_at),
        "used": quote.used_at is not None,
        "created_at": clock.rfc3339(quote.created_at),
    }
