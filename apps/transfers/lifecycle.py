"""Writes for what happens to a transfer after it is created: the bank rail's steps (``transfer_advance``, found by
``transfers_due``), cancel, reverse, and staff review of held transfers (release or reject).

The same rules as ``apps.transfers.services``: every entry point is ``transaction.atomic(durable=True)`` and
follows the ledger's lock order (docs/ledger.md), each change of status is checked against ``TRANSITIONS``,
appends a ``TransferStatusChange`` and records its event in the transaction that posts its journals, an
``IdempotencyHandle`` passed in is completed as the last step of that transaction, and every refusal is raised
before anything is written.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from apps.core import clock
from apps.core.errors import ApplicationError, InvalidStateTransition, error_type
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.events.services import batch as record_batch
from apps.events.services import record as record_event
from apps.oauth_clients.services.payments import mandate_release
from apps.transfers.models import Transfer, TransferReversal
from apps.transfers.postings import (
    book_partner,
    field_error,
    fx_posting,
    lock_transfer,
    p2p_posting,
    release_money,
    reversal_lines,
    system_accounts_for,
    wallet_ids,
)
from apps.transfers.rail import RailResult, advance_on_commit, fail, rail_delay, settle
from apps.transfers.snapshots import transfer_snapshot
from apps.transfers.states import Change, S, T, finish, principal_actor, staff_actor
from apps.transfers.usage import usage_remove
from apps.wallets.ledger import journal_post
from apps.wallets.models import LedgerAccount, Transaction, Wallet
from apps.wallets.services import hold_release_inner
from apps.wallets.store import lock_wallets, post

ReversalExceedsRemaining = error_type(
    "ReversalExceedsRemaining", "reversal_exceeds_remaining", 422, "Reversal too large"
)


# --- Cancel ---------------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_cancel(
    *, principal: Principal, transfer_id: str, idempotency: IdempotencyHandle | None = None
) -> Transfer:
    """Cancel a ``pending`` (not yet at the rail) or ``held`` transfer: its money is released, it stops counting
    against its holder's limits and gives back what it took from its payment mandate. Raises ``NotFound`` and
    ``InvalidStateTransition`` (it is processing or finished)."""
    from apps.transfers.selectors import transfer_get

    found = transfer_get(principal=principal, transfer_id=transfer_id)
    transfer, _ = lock_transfer(found)
    change = Change(
        transfer=transfer, actor=principal_actor(principal), now=clock.now(environment=transfer.environment)
    )
    with record_batch():
        change.to(S.CANCELED, reason="requested")
        usage_remove(transfer=transfer)
        mandate_release(mandate_id=transfer.mandate_id, amount=transfer.amount, initiated_at=transfer.initiated_at)
        release_money(transfer)
        transfer.next_action_at = None
        finish(change)
        if idempotency is not None:
            idempotency.complete(transfer)
    return transfer


# --- Reverse --------------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_reverse(
    *,
    principal: Principal,
    transfer_id: str,
    amount: int | None = None,
    description: str = "",
    metadata: dict[str, Any] | None = None,
    idempotency: IdempotencyHandle | None = None,
) -> TransferReversal:
    """Send back ``amount`` (default: all that remains) of a succeeded transfer with a journal mirroring that
    share of the transfer's. ``amount_reversed`` grows; at the full amount the transfer becomes ``reversed``.
    Raises ``NotFound``, ``InvalidStateTransition`` (not succeeded), ``ReversalExceedsRemaining`` and
    ``InsufficientFunds`` (the money was spent since)."""
    from apps.transfers.selectors import transfer_get

    found = transfer_get(principal=principal, transfer_id=transfer_id)
    accounts = system_accounts_for(found)
    transfer, wallets = lock_transfer(found)
    if transfer.status != S.SUCCEEDED:
        raise InvalidStateTransition(
            f"Transfer {transfer.public_id} is {transfer.status}; only succeeded ones reverse."
        )
    remaining = transfer.amount - transfer.amount_reversed
    if amount is None:
        amount = remaining
    if amount > remaining:
        raise ReversalExceedsRemaining(
            f"Only {remaining} of this transfer remains to reverse.",
            errors=field_error("amount", "reversal_exceeds_remaining", f"At most {remaining}."),
            extra={"remaining": remaining},
        )
    now = clock.now(environment=transfer.environment)
    change = Change(transfer=transfer, actor=principal_actor(principal), now=now)
    text = description or f"Reversal of {transfer.public_id}"
    with record_batch():
        posting = journal_post(
            kind="transfer_reversal",
            lines=reversal_lines(transfer, amount=amount, accounts=accounts, description=text),
            environment=transfer.environment.kind,
            partner=book_partner(transfer),
            description=text,
            reverses=transfer.journal,
            locked=wallets,
            partner_environment=transfer.environment,
        )
        reversal = TransferReversal.objects.create(
            transfer=transfer, amount=amount, journal=posting.journal, description=description, metadata=metadata or {}
        )
        previous = {"amount_reversed": transfer.amount_reversed}
        transfer.amount_reversed += amount
        if transfer.amount_reversed == transfer.amount:
            change.to(S.REVERSED, reason="reversed")
            # As the ledger marks a reversed journal's transactions: the wallets' feeds show the transfer undone.
            Transaction.objects.filter(journal=transfer.journal).update(status=Transaction.Status.REVERSED)
            finish(change, previous=previous)
        else:
            transfer.save(update_fields=["amount_reversed", "updated_at"])
            record_event(
                type="transfer.reversed",
                partner=transfer.partner,
                environment=transfer.environment,
                obj=transfer,
                data=transfer_snapshot(transfer),
                previous_attributes=previous,
            )
        if idempotency is not None:
            idempotency.complete(reversal)
    return reversal


# --- The rail: settlement steps run by the worker -------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_advance(*, transfer_pk: int) -> Transfer | None:
    """Run the rail's next step for a top-up or payout if it is due: ``pending -> processing`` (submitted to the
    rail, which answers after ``TRANSFER_SETTLEMENT_DELAY_SECONDS``), then ``processing -> succeeded`` (the
    journal posts) or ``failed`` (the money is released). The step is decided under the transfer's lock, so a
    task run twice, or killed and run again, settles exactly once. Returns None when nothing was due."""
    unlocked = Transfer.objects.select_related("environment", "partner").get(pk=transfer_pk)
    accounts = system_accounts_for(unlocked)
    transfer, wallets = lock_transfer(unlocked)
    now = clock.now(environment=transfer.environment)
    due = transfer.next_action_at is not None and transfer.next_action_at <= now
    if transfer.type not in (T.TOP_UP, T.PAYOUT) or transfer.status not in (S.PENDING, S.PROCESSING) or not due:
        return None
    change = Change(transfer=transfer, actor="system", now=now)
    previous = None
    with record_batch():
        if transfer.status == S.PENDING:
            change.to(S.PROCESSING, reason="submitted")
            transfer.next_action_at = now + rail_delay()
            # The sweeper leaves it to the countdown message unless that is lost.
            transfer.lease_until = transfer.next_action_at + timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)
            advance_on_commit(transfer, delay=rail_delay().total_seconds())
        else:
            previous = settle(transfer, change, accounts=accounts, wallets=wallets)
            transfer.next_action_at = None
            transfer.lease_until = None
        finish(change, previous=previous)
    return transfer


def transfers_due(*, now: datetime, limit: int = 200) -> list[str]:
    """Claim (with a short lease) the top-ups and payouts whose next rail step is due, including ones whose
    message was lost or whose worker died, and return their public ids for the sweeper to enqueue. Due-ness
    follows each environment's clock (the sandbox clock may run ahead)."""
    from django.db.models import F

    lease = timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)
    due = Q(status__in=[S.PENDING, S.PROCESSING], next_action_at__isnull=False) & Q(
        next_action_at__lte=now + F("environment__clock_offset")
    )
    # Leases are in the environment's clock too (transfer_advance sets one from next_action_at): compared with
    # real time, a sandbox clock running ahead would keep a lost step leased for as long as it is ahead.
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now + F("environment__clock_offset"))
    candidates = list(
        Transfer.objects.filter(due & free)
        .order_by("next_action_at")
        .values_list("pk", "public_id", "environment__clock_offset")[:limit]
    )
    if not candidates:
        return []
    claimed = []
    for pk, public_id, offset in candidates:
        # One conditional update per row: two sweepers never both claim one transfer.
        if Transfer.objects.filter(pk=pk).filter(free).update(lease_until=now + offset + lease):
            claimed.append(public_id)
    return claimed


# --- Staff review ---------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_review_release(*, transfer_pk: int, staff_user: Any) -> Transfer:
    """Bank staff let a held transfer go on: ``held -> pending``, then a p2p or FX transfer posts at once
    (``succeeded``, or ``failed`` if it can no longer post, its money released) and a top-up or payout goes to
    the rail. Raises ``InvalidStateTransition`` unless it is held."""
    unlocked = Transfer.objects.select_related("environment", "partner").get(pk=transfer_pk)
    accounts = system_accounts_for(unlocked)
    transfer, wallets = lock_transfer(unlocked)
    change = Change(transfer=transfer, actor=staff_actor(staff_user), now=clock.now(environment=transfer.environment))
    with record_batch():
        change.to(S.PENDING, reason="staff_release")
        if transfer.type in (T.TOP_UP, T.PAYOUT):
            transfer.next_action_at = change.now
            advance_on_commit(transfer)
        else:
            _post_released(transfer, change, accounts=accounts, wallets=wallets)
        finish(change)
    return transfer


def _post_released(
    transfer: Transfer, change: Change, *, accounts: dict[tuple[str, str], LedgerAccount], wallets: dict[int, Wallet]
) -> None:
    """Post a released p2p or FX transfer from its hold. If the ledger refuses now (a wallet was frozen during
    the review), the transfer fails instead and its money goes back."""
    assert transfer.hold is not None
    try:
        with transaction.atomic(), record_batch():
            hold_release_inner(hold=transfer.hold)
            # Re-read under the lock: the release changed the source's available balance.
            fresh = lock_wallets(wallet_ids(transfer))
            transfer.source_wallet = fresh.get(transfer.source_wallet_id)  # type: ignore[arg-type]
            transfer.destination_wallet = fresh.get(transfer.destination_wallet_id)  # type: ignore[arg-type]
            if transfer.type == T.FX:
                post(fx_posting(transfer, accounts=accounts, locked=fresh))
            else:
                post(p2p_posting(transfer, locked=fresh))
            change.to(S.SUCCEEDED)
    except ApplicationError as error:
        hold_release_inner(hold=transfer.hold)
        fail(change, RailResult(False, error.code, str(error.detail)[:500]))


@transaction.atomic(durable=True)
def transfer_review_reject(*, transfer_pk: int, staff_user: Any) -> Transfer:
    """Bank staff refuse a held transfer: ``held -> failed`` (``failure_code`` ``review_rejected``), its money
    released (nothing posts, so no system account is needed). Raises ``InvalidStateTransition`` unless it is
    held."""
    transfer, _ = lock_transfer(Transfer.objects.get(pk=transfer_pk))
    change = Change(transfer=transfer, actor=staff_actor(staff_user), now=clock.now(environment=transfer.environment))
    with record_batch():
        if transfer.status != S.HELD:
            raise InvalidStateTransition(f"Transfer {transfer.public_id} is {transfer.status}, not held.")
        release_money(transfer)
        fail(change, RailResult(False, "review_rejected", "The transfer was rejected in review."))
        finish(change)
    return transfer
