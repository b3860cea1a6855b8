"""Writes for transfers: create (p2p, top-up, payout, FX), the bank rail's steps, cancel, reverse, and staff review.

Every entry point is ``transaction.atomic(durable=True)`` and follows the ledger's lock order (docs/ledger.md):
system accounts are resolved first, then the wallets are locked in primary-key order, then the transfer row (and
an FX quote) is locked, and only then is state read and changed. Each change of status is checked against
``TRANSITIONS``, appends a ``TransferStatusChange`` and records its event, all in the transaction that posts the
change's journals. An ``IdempotencyHandle`` passed in is completed as the last step of that same transaction,
so a retried request can never move money twice. Every refusal is raised before anything is written.

The state machine is ``apps.transfers.states``, the lines, system accounts and locks ``apps.transfers.postings``,
the bank rail's settlement step ``apps.transfers.rail``; this module holds the entry points and the checks.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from apps.core import clock, sql
from apps.core.errors import ApplicationError, BadRequest, NotFound
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.events.services import batch as record_batch
from apps.events.services import record as record_event
from apps.transfers.fx import fx_quote_check_usable, fx_quote_get
from apps.transfers.limits import limits_check, review_reason
from apps.transfers.models import FxQuote, Transfer, TransferReversal, TransferStatusChange
from apps.transfers.postings import (
    book_partner,
    by_pk,
    field_error,
    lock_named_wallets,
    lock_transfer,
    post_fx,
    post_p2p,
    release_money,
    reversal_lines,
    system_accounts_for,
    system_for,
    transfer_spec,
    wallet_ids,
)
from apps.transfers.rail import RailResult, advance_on_commit, currency_fits, fail, rail_delay, settle
from apps.transfers.snapshots import transfer_snapshot
from apps.transfers.states import Change, S, T, finish, principal_actor, staff_actor
from apps.wallets import currencies
from apps.wallets.funding_sources import funding_source_fallback, funding_source_list
from apps.wallets.ledger import (
    FEES,
    FX,
    CurrencyMismatch,
    InvalidStateTransition,
    PointsNotTransferable,
    TransactionSpec,
    WalletFrozen,
    journal_post,
    lock_wallets,
)
from apps.wallets.models import FundingSource, LedgerAccount, Transaction, Wallet, WalletHolder
from apps.wallets.services import (
    hold_place_inner,
    hold_release_inner,
    pending_credit_create_inner,
)


class SameWallet(ApplicationError):
    code = "same_wallet"
    status = 422
    title = "Same wallet"
    default_detail = "The source and destination are the same wallet."


class HolderMismatch(ApplicationError):
    code = "holder_mismatch"
    status = 422
    title = "Holder mismatch"
    default_detail = "An FX transfer moves money between two wallets of the same holder."


class FundingSourceUnusable(ApplicationError):
    code = "funding_source_unusable"
    status = 422
    title = "Funding source unusable"


class NoFundingSource(ApplicationError):
    code = "funding_source_missing"
    status = 422
    title = "No funding source"
    default_detail = "The holder has no active funding source to top up from."


class QuoteMismatch(ApplicationError):
    code = "quote_mismatch"
    status = 422
    title = "Quote mismatch"


class ReversalExceedsRemaining(ApplicationError):
    code = "reversal_exceeds_remaining"
    status = 422
    title = "Reversal too large"


# --- Requests -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TransferRequest:
    """A validated ``POST /v1/transfers`` body (shapes checked by the API; meaning checked here)."""

    type: str
    source: str | None = None
    destination: str | None = None
    amount: int | None = None
    currency: str | None = None
    quote: str | None = None
    description: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


# --- Resolving what a request names ---------------------------------------------------------------------------
def _holder_funding_source(*, holder: WalletHolder, funding_source_id: str, field_name: str) -> FundingSource:
    source = funding_source_list(holder=holder).filter(public_id=funding_source_id).first()
    if source is None:
        raise NotFound(
            f"No such funding source of this holder: {funding_source_id!r}.",
            errors=field_error(field_name, "resource_missing", "No such funding source of the wallet's holder."),
        )
    return source


def _require_active(*wallets: Wallet) -> None:
    for wallet in wallets:
        if wallet.status != Wallet.Status.ACTIVE:
            raise WalletFrozen(f"Wallet {wallet.public_id} is {wallet.status}.")


def _require_currency(request: TransferRequest, wallet: Wallet, field_name: str) -> str:
    currency = (request.currency or "").upper()
    if currency != wallet.currency:
        raise CurrencyMismatch(
            f"Wallet {wallet.public_id} holds {wallet.currency}, not {currency}.",
            errors=field_error(field_name, "currency_mismatch", f"The wallet holds {wallet.currency}."),
        )
    return currency


# What each type needs. The API's input serializer checks the same; services are called directly too.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    T.P2P: ("source", "destination", "amount", "currency"),
    T.TOP_UP: ("destination", "amount", "currency"),
    T.PAYOUT: ("source", "destination", "amount", "currency"),
    T.FX: ("quote", "source", "destination"),
}


def _require_fields(request: TransferRequest) -> None:
    missing = [name for name in REQUIRED_FIELDS[request.type] if getattr(request, name) in (None, "")]
    if missing:
        raise BadRequest(
            f"A {request.type} transfer needs {', '.join(missing)}.",
            code="parameter_missing",
            errors=[
                {"field": name, "code": "required", "message": f"Required for {request.type}."} for name in missing
            ],
        )


# --- Create ---------------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_create(
    *, principal: Principal, request: TransferRequest, idempotency: IdempotencyHandle | None = None
) -> Transfer:
    """Create a transfer of ``request.type`` for ``principal`` (its partner and environment own it).

    p2p and FX post their journal at once and answer ``succeeded``; a top-up shows a pending credit and a payout
    holds the money, both ``pending`` until the rail settles them; any transfer a review rule catches is ``held``
    (its money set aside). Raises, before writing anything: ``NotFound`` (a wallet, funding source or quote the
    principal cannot see), ``SameWallet``, ``HolderMismatch``, ``CurrencyMismatch``, ``WalletFrozen``,
    ``InsufficientFunds``, ``PointsNotTransferable``, ``LimitExceeded``, ``QuoteExpired``, ``QuoteUsed``,
    ``QuoteMismatch``, ``FundingSourceUnusable``, ``NoFundingSource``."""
    environment = principal.environment
    now = clock.now(environment=environment)
    creators: dict[str, Any] = {
        T.P2P: _create_p2p,
        T.TOP_UP: _create_top_up,
        T.PAYOUT: _create_payout,
        T.FX: _create_fx,
    }
    create = creators[request.type]
    _require_fields(request)
    transfer = Transfer(
        partner=principal.partner,
        environment=environment,
        type=request.type,
        status=S.PENDING,
        description=request.description,
        metadata=request.metadata,
        initiated_at=now,
    )
    change = Change(transfer=transfer, actor=principal_actor(principal), now=now)
    change.steps.append(
        TransferStatusChange(previous_status="", status=S.PENDING, reason="created", actor=change.actor, at=now)
    )
    with record_batch():
        create(principal, request, change)
        sql.insert([transfer])
        change.write(created=True)
        if idempotency is not None:
            idempotency.complete(transfer)
    return transfer


def _screen(
    change: Change, *, holder: WalletHolder, counterparty: WalletHolder | None, counterparty_name: str = ""
) -> str:
    """Limits (raise ``LimitExceeded``) and review rules (return the reason to hold for, or "")."""
    transfer = change.transfer
    rule = limits_check(holder=holder, currency=transfer.currency, amount=transfer.amount, now=change.now)
    # Without a rule (no limits for this tier and currency) the screening rules still apply.
    return review_reason(
        transfer_type=transfer.type,
        holder=holder,
        counterparty_holder=counterparty,
        amount=transfer.amount,
        currency=transfer.currency,
        environment_kind=transfer.environment.kind,
        rule=rule,
        counterparty_name=counterparty_name,
    )


def _create_p2p(principal: Principal, request: TransferRequest, change: Change) -> None:
    transfer = change.transfer
    assert request.source and request.destination and request.amount
    if request.source == request.destination:
        raise SameWallet(errors=field_error("destination", "same_wallet", "Must differ from the source."))
    wallets = lock_named_wallets(principal, {"source": request.source, "destination": request.destination})
    source, destination = wallets["source"], wallets["destination"]
    transfer.amount = request.amount
    transfer.currency = _require_currency(request, source, "currency")
    _require_currency(request, destination, "destination")
    if transfer.currency == currencies.POINTS and source.holder_id != destination.holder_id:
        raise PointsNotTransferable()
    _require_active(source, destination)
    transfer.holder, transfer.source_wallet, transfer.destination_wallet = source.holder, source, destination
    reason = _screen(change, holder=source.holder, counterparty=destination.holder)
    if reason:
        _hold(change, wallet=source, reason=reason, counterparty=destination.holder.name)
        return
    post_p2p(transfer, locked=by_pk(source, destination))
    change.to(S.SUCCEEDED)


def _hold(change: Change, *, wallet: Wallet, reason: str, counterparty: str) -> None:
    """Set the transfer's money aside on ``wallet`` and hold the transfer for review (``reason``) when there is
    one; a payout's hold is the same, without a review."""
    transfer = change.transfer
    placed = hold_place_inner(
        wallet=wallet,
        amount=transfer.amount,
        spec=transfer_spec(
            type=Transaction.Type.WITHDRAWAL if transfer.type == T.PAYOUT else Transaction.Type.TRANSFER,
            description=transfer.description or _hold_description(transfer),
            counterparty=counterparty,
        ),
    )
    transfer.hold = placed.hold
    if reason:
        transfer.review_reason = reason
        change.to(S.HELD, reason=reason)


def _hold_description(transfer: Transfer) -> str:
    descriptions: dict[str, str] = {T.PAYOUT: "Payout to bank account", T.FX: "Currency exchange"}
    return descriptions.get(transfer.type, "Transfer")


def _create_top_up(principal: Principal, request: TransferRequest, change: Change) -> None:
    transfer = change.transfer
    assert request.destination and request.amount
    destination = lock_named_wallets(principal, {"destination": request.destination})["destination"]
    transfer.amount = request.amount
    transfer.currency = _require_currency(request, destination, "currency")
    if transfer.currency == currencies.POINTS:
        raise PointsNotTransferable("Points cannot be bought with a top-up.")
    _require_active(destination)
    holder = destination.holder
    source: FundingSource | None
    if request.source:
        source = _holder_funding_source(holder=holder, funding_source_id=request.source, field_name="source")
        _require_funding_currency(source, transfer.currency, "source")
    else:
        source = funding_source_fallback(holder=holder, attempt=lambda fs: currency_fits(fs, transfer.currency))
        if source is None:
            raise NoFundingSource(errors=field_error("source", "funding_source_missing", "Add a funding source."))
    transfer.holder, transfer.destination_wallet, transfer.funding_source = holder, destination, source
    # Without an explicit source the rail walks the holder's fallback order when this one fails.
    transfer.funding_source_explicit = bool(request.source)
    reason = _screen(change, holder=holder, counterparty=None, counterparty_name=source.account_holder_name)
    txn = pending_credit_create_inner(
        wallet=destination,
        amount=transfer.amount,
        spec=TransactionSpec(
            type=Transaction.Type.DEPOSIT,
            category="transfer",
            description=transfer.description or "Top-up",
            counterparty=source.account_holder_name,
        ),
    )
    transfer.pending_transaction = txn
    _enter_rail_or_review(change, reason=reason)


def _require_funding_currency(source: FundingSource, currency: str, field_name: str) -> None:
    if not currency_fits(source, currency):
        raise CurrencyMismatch(
            f"Funding source {source.public_id} is in {source.currency}, not {currency}.",
            errors=field_error(field_name, "currency_mismatch", f"The funding source is in {source.currency}."),
        )


def _enter_rail_or_review(change: Change, *, reason: str) -> None:
    transfer = change.transfer
    if reason:
        transfer.review_reason = reason
        change.to(S.HELD, reason=reason)
        return
    transfer.next_action_at = change.now
    advance_on_commit(transfer)


def _create_payout(principal: Principal, request: TransferRequest, change: Change) -> None:
    transfer = change.transfer
    assert request.source and request.destination and request.amount
    source = lock_named_wallets(principal, {"source": request.source})["source"]
    transfer.amount = request.amount
    transfer.currency = _require_currency(request, source, "currency")
    if transfer.currency == currencies.POINTS:
        raise PointsNotTransferable("Points cannot be paid out.")
    _require_active(source)
    holder = source.holder
    bank = _holder_funding_source(holder=holder, funding_source_id=request.destination, field_name="destination")
    if bank.kind != FundingSource.Kind.BANK_ACCOUNT:
        raise FundingSourceUnusable(
            "Payouts go to a bank account, not a card.",
            errors=field_error("destination", "funding_source_unusable", "Must be a bank account."),
        )
    _require_funding_currency(bank, transfer.currency, "destination")
    transfer.holder, transfer.source_wallet, transfer.funding_source = holder, source, bank
    reason = _screen(change, holder=holder, counterparty=None, counterparty_name=bank.account_holder_name)
    _hold(change, wallet=source, reason="", counterparty=bank.account_holder_name)
    _enter_rail_or_review(change, reason=reason)


def _create_fx(principal: Principal, request: TransferRequest, change: Change) -> None:
    transfer = change.transfer
    assert request.quote and request.source and request.destination
    quote = fx_quote_get(principal=principal, quote_id=request.quote)
    if request.source == request.destination:
        raise SameWallet(errors=field_error("destination", "same_wallet", "Must differ from the source."))
    # System accounts before any wallet lock (docs/ledger.md, lock order).
    accounts = {
        (code, currency): system_for(code, currency, transfer)
        for code in (FEES, FX)
        for currency in (quote.source_currency, quote.destination_currency)
    }
    wallets = lock_named_wallets(principal, {"source": request.source, "destination": request.destination})
    source, destination = wallets["source"], wallets["destination"]
    if source.holder_id != destination.holder_id:
        raise HolderMismatch(errors=field_error("destination", "holder_mismatch", "Must be the source's holder's."))
    for name, wallet, currency in (
        ("source", source, quote.source_currency),
        ("destination", destination, quote.destination_currency),
    ):
        if wallet.currency != currency:
            raise CurrencyMismatch(
                f"The quote converts {quote.source_currency} to {quote.destination_currency}; wallet "
                f"{wallet.public_id} holds {wallet.currency}.",
                errors=field_error(name, "currency_mismatch", f"The quote's {name} currency is {currency}."),
            )
    _check_quote_terms(request, quote)
    _require_active(source, destination)
    # The quote after the wallets, like every row that hangs off them.
    locked_quote = FxQuote.objects.select_for_update(of=("self",)).get(pk=quote.pk)
    fx_quote_check_usable(quote=locked_quote, now=change.now)
    locked_quote.used_at = change.now
    locked_quote.save(update_fields=["used_at", "updated_at"])
    transfer.amount, transfer.currency = locked_quote.source_amount, locked_quote.source_currency
    transfer.destination_amount = locked_quote.destination_amount
    transfer.destination_currency = locked_quote.destination_currency
    transfer.fee_amount = locked_quote.fee_amount
    transfer.fx_quote = locked_quote
    transfer.holder, transfer.source_wallet, transfer.destination_wallet = source.holder, source, destination
    reason = _screen(change, holder=source.holder, counterparty=None)
    if reason:
        _hold(change, wallet=source, reason=reason, counterparty=source.holder.name)
        return
    post_fx(transfer, accounts=accounts, locked=by_pk(source, destination))
    change.to(S.SUCCEEDED)


def _check_quote_terms(request: TransferRequest, quote: FxQuote) -> None:
    if request.amount is not None and request.amount != quote.source_amount:
        raise QuoteMismatch(
            f"The quote is for {quote.source_amount}; omit amount or send the quote's.",
            errors=field_error("amount", "quote_mismatch", "Differs from the quote's source amount."),
        )
    if request.currency and request.currency.upper() != quote.source_currency:
        raise QuoteMismatch(
            f"The quote converts from {quote.source_currency}.",
            errors=field_error("currency", "quote_mismatch", "Differs from the quote's source currency."),
        )


# --- Locking an existing transfer -----------------------------------------------------------------------------
# --- Cancel ---------------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_cancel(
    *, principal: Principal, transfer_id: str, idempotency: IdempotencyHandle | None = None
) -> Transfer:
    """Cancel a ``pending`` (not yet at the rail) or ``held`` transfer: its money is released. Raises ``NotFound``
    and ``InvalidStateTransition`` (it is processing or finished)."""
    from apps.transfers.selectors import transfer_get

    found = transfer_get(principal=principal, transfer_id=transfer_id)
    transfer, _ = lock_transfer(found)
    change = Change(
        transfer=transfer, actor=principal_actor(principal), now=clock.now(environment=transfer.environment)
    )
    with record_batch():
        change.to(S.CANCELED, reason="requested")
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
    with record_batch():
        if transfer.status == S.PENDING:
            change.to(S.PROCESSING, reason="submitted")
            transfer.next_action_at = now + rail_delay()
            # The sweeper leaves it to the countdown message unless that is lost.
            transfer.lease_until = transfer.next_action_at + timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)
            advance_on_commit(transfer, delay=rail_delay().total_seconds())
        else:
            settle(transfer, change, accounts=accounts, wallets=wallets)
            transfer.next_action_at = None
            transfer.lease_until = None
        finish(change)
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
                post_fx(transfer, accounts=accounts, locked=fresh)
            else:
                post_p2p(transfer, locked=fresh)
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
