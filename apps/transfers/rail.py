"""The simulated bank rail that settles top-ups and payouts: what it accepts (in sandbox a funding source
ending in 0002 or an amount of 13.13 is refused, and the sandbox API can force an answer), the settlement step,
and the message that asks the worker for the next step.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from celery import current_app
from django.conf import settings
from django.db import transaction

from apps.core import clock
from apps.core.errors import ApplicationError
from apps.events.services import batch as record_batch
from apps.oauth_clients.services.payments import mandate_release
from apps.partners.models import Environment
from apps.transfers.models import Transfer
from apps.transfers.states import Change, S, T
from apps.transfers.usage import usage_remove
from apps.wallets.funding_sources import funding_source_fallback
from apps.wallets.ledger import CLEARING_BANK, TransactionSpec
from apps.wallets.models import FundingSource, LedgerAccount, Wallet
from apps.wallets.services import (
    external_credit_inner,
    hold_capture_inner,
    hold_release_inner,
    pending_credit_cancel_inner,
)

logger = structlog.get_logger(__name__)

# Sandbox rail trigger: a funding source whose last four digits are these is refused.
SANDBOX_DECLINE_LAST4 = "0002"
# Sandbox rail trigger: a top-up or payout of this amount (13.13 in a two-decimal currency) is refused the same way.
SANDBOX_DECLINE_AMOUNT = 1313


@dataclass(frozen=True)
class RailResult:
    """What the rail (or a ledger refusal at settlement) answered: ``ok``, or why not."""

    ok: bool
    failure_code: str = ""
    failure_message: str = ""


def fail(change: Change, result: RailResult) -> None:
    """Record why the transfer failed and move it to ``failed`` (its money is released by the caller); it stops
    counting against its holder's limits and gives back what it took from its payment mandate."""
    change.transfer.failure_code = result.failure_code
    change.transfer.failure_message = result.failure_message
    change.to(S.FAILED, reason=result.failure_code)
    usage_remove(transfer=change.transfer)
    transfer = change.transfer
    mandate_release(mandate_id=transfer.mandate_id, amount=transfer.amount, initiated_at=transfer.initiated_at)


# The sandbox's forced answer (``POST /v1/sandbox/transfers/{id}/settle`` and ``/fail`` set it around the step
# they run); never consulted in live.
_forced: ContextVar[RailResult | None] = ContextVar("rail_forced", default=None)


@contextmanager
def rail_answer_forced(result: RailResult) -> Iterator[None]:
    """Make the sandbox rail answer ``result`` for the steps run inside the block."""
    token = _forced.set(result)
    try:
        yield
    finally:
        _forced.reset(token)


def rail_accepts(transfer: Transfer, source: FundingSource) -> RailResult:
    """The simulated bank rail. In sandbox a funding source ending in 0002 is refused (a declined top-up, a
    closed account for a payout), and so is an amount of 1313 minor units (13.13); a forced answer wins over
    both; everything else settles."""
    if transfer.environment.kind == Environment.Kind.SANDBOX:
        forced = _forced.get()
        if forced is not None:
            return forced
        if source.last4 == SANDBOX_DECLINE_LAST4 or transfer.amount == SANDBOX_DECLINE_AMOUNT:
            if transfer.type == T.PAYOUT:
                return RailResult(False, "bank_account_closed", "The receiving bank account is closed.")
            return RailResult(False, "funding_source_declined", "The funding source declined the payment.")
    return RailResult(True)


def currency_fits(source: FundingSource, currency: str) -> bool:
    return not source.currency or source.currency == currency


def rail_delay() -> timedelta:
    return timedelta(seconds=settings.TRANSFER_SETTLEMENT_DELAY_SECONDS)


ADVANCE_TASK = "apps.transfers.tasks.transfer_advance_task"


def advance_on_commit(transfer: Transfer, *, delay: float = 0.0) -> None:
    """Ask the worker to run the rail's next step for ``transfer`` once this transaction commits. The broker
    only makes it fast: the sweeper finds the due step in the database if this message is lost."""

    def send() -> None:
        public_id = transfer.public_id
        try:
            # By name (tasks call services; nothing imports tasks): the worker runs apps.transfers.tasks.
            options = {"kwargs": {"transfer_id": public_id}, "countdown": max(0.0, delay)}
            task = current_app.tasks.get(ADVANCE_TASK)  # registered where the tasks were discovered (the worker)
            if task is not None:
                task.apply_async(**options)
            else:
                current_app.send_task(ADVANCE_TASK, **options)
        except Exception:  # the broker is down: the sweeper will pick the step up
            logger.warning("transfer_advance_enqueue_failed", transfer=public_id, exc_info=True)

    transaction.on_commit(send)


def _attempt(transfer: Transfer, change: Change, source: FundingSource) -> RailResult:
    """Ask the rail about ``source`` and record the answer on the transfer (``funding_attempts``: source,
    outcome, failure code, when), so the attempt is saved with the transfer in the step's transaction and shown
    by its snapshot and events."""
    result = rail_accepts(transfer, source)
    transfer.funding_attempts = [
        *transfer.funding_attempts,
        {
            "source": source.public_id,
            "outcome": "succeeded" if result.ok else "failed",
            "failure_code": result.failure_code or None,
            "at": clock.rfc3339(change.now),
        },
    ]
    return result


def settle(
    transfer: Transfer, change: Change, *, accounts: dict[tuple[str, str], LedgerAccount], wallets: dict[int, Wallet]
) -> dict[str, Any]:
    """The rail's answer: ``processing -> succeeded | failed``. Every source tried is recorded as a funding
    attempt; a top-up paid by a fallback source after a refusal says so in its status history
    (``funding_source_fallback``). Returns the transfer's ``previous_attributes`` for the step's event (its
    ``funding_attempts`` before the step, and its ``source`` when a fallback replaced it)."""
    source = transfer.funding_source
    assert source is not None
    previous: dict[str, Any] = {"funding_attempts": list(transfer.funding_attempts)}
    if transfer.type == T.TOP_UP:
        result = _attempt(transfer, change, source)
        reason = ""
        if not result.ok and not transfer.funding_source_explicit:
            # No source was named: walk the holder's fallback order from the next one.
            holder = transfer.destination_wallet.holder if transfer.destination_wallet else None
            tried = {source.pk}
            fallback = (
                funding_source_fallback(
                    holder=holder,
                    attempt=lambda fs: (
                        fs.pk not in tried
                        and currency_fits(fs, transfer.currency)
                        and _attempt(transfer, change, fs).ok
                    ),
                )
                if holder is not None
                else None
            )
            if fallback is not None:
                previous["source"] = source.public_id
                transfer.funding_source, result, reason = fallback, RailResult(True), "funding_source_fallback"
        if result.ok:
            destination = transfer.destination_wallet
            assert destination is not None and transfer.pending_transaction is not None
            pending = transfer.pending_transaction
            try:
                # A savepoint: if the wallet was frozen or closed while the money was on its way, the top-up
                # fails (the bank sends it back) instead of the step failing again on every retry.
                with transaction.atomic(), record_batch():
                    posting = external_credit_inner(
                        wallet=destination,
                        amount=transfer.amount,
                        spec=TransactionSpec(type=pending.type, category=pending.category, existing=pending),
                        rail=CLEARING_BANK,
                    )
            except ApplicationError as error:
                result = RailResult(False, error.code, str(error.detail)[:500])
            else:
                transfer.journal = posting.journal
                change.to(S.SUCCEEDED, reason=reason)
                return previous
        pending_credit_cancel_inner(txn=transfer.pending_transaction)  # type: ignore[arg-type]
        fail(change, result)
        return previous
    result = _attempt(transfer, change, source)
    assert transfer.hold is not None
    if result.ok:
        posted = hold_capture_inner(hold=transfer.hold, rail=CLEARING_BANK)
        transfer.journal_id = posted.journal_id
        change.to(S.SUCCEEDED)
        return previous
    hold_release_inner(hold=transfer.hold)
    fail(change, result)
    return previous
