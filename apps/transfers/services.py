"""Writes for transfers: create (p2p, top-up, payout, FX). What happens to a transfer afterwards (the bank rail's
steps, cancel, reverse and staff review) is ``apps.transfers.lifecycle``.

Every entry point is ``transaction.atomic(durable=True)`` and follows the ledger's lock order (docs/ledger.md):
system accounts are resolved first, then the wallets are locked in primary-key order, then the transfer row (and
an FX quote) is locked, and only then is state read and changed. Each change of status is checked against
``TRANSITIONS``, appends a ``TransferStatusChange`` and records its event, all in the transaction that posts the
change's journals. An ``IdempotencyHandle`` passed in is completed as the last step of that same transaction,
so a retried request can never move money twice. Every refusal is raised before anything is written.

The state machine is ``apps.transfers.states``, the lines, system accounts and locks ``apps.transfers.postings``,
the bank rail's settlement step ``apps.transfers.rail``; this module holds the create entry point and its checks.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from apps.core import clock, store
from apps.core.errors import BadRequest, NotFound, error_type
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.events import services as events
from apps.risk.services import transfer_hits_record
from apps.transfers.authorisation import authorise, lock_p2p_wallets
from apps.transfers.fx import fx_quote_check_usable, fx_quote_get
from apps.transfers.limits import REVIEW_RISK
from apps.transfers.models import FxQuote, Transfer, TransferStatusChange
from apps.transfers.postings import (
    by_pk,
    field_error,
    fx_posting,
    lock_named_wallets,
    p2p_posting,
    system_for,
    transfer_spec,
)
from apps.transfers.rail import advance_on_commit, currency_fits
from apps.transfers.scoring import risk_review_raise
from apps.transfers.screening import screen
from apps.transfers.states import Change, S, T, principal_actor
from apps.transfers.usage import usage_increment
from apps.wallets import currencies
from apps.wallets.funding_sources import funding_source_fallback, funding_source_list
from apps.wallets.ledger import (
    FEES,
    FX,
    CurrencyMismatch,
    PointsNotTransferable,
    TransactionSpec,
    WalletFrozen,
)
from apps.wallets.models import FundingSource, Transaction, Wallet, WalletHolder
from apps.wallets.services import (
    hold_place_inner,
    pending_credit_create_inner,
)
from apps.wallets.store import post

SameWallet = error_type(
    "SameWallet", "same_wallet", 422, "Same wallet", "The source and destination are the same wallet."
)
HolderMismatch = error_type(
    "HolderMismatch",
    "holder_mismatch",
    422,
    "Holder mismatch",
    "An FX transfer moves money between two wallets of the same holder.",
)
FundingSourceUnusable = error_type("FundingSourceUnusable", "funding_source_unusable", 422, "Funding source unusable")
NoFundingSource = error_type(
    "NoFundingSource",
    "funding_source_missing",
    422,
    "No funding source",
    "The holder has no active funding source to top up from.",
)
QuoteMismatch = error_type("QuoteMismatch", "quote_mismatch", 422, "Quote mismatch")


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
    ``QuoteMismatch``, ``FundingSourceUnusable``, ``NoFundingSource``, and for a holder-bound credential the
    payment authorisation's refusals (``apps.oauth_clients.services.payments``)."""
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
    transfer = store.new(
        Transfer,
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
        store.new(
            TransferStatusChange, previous_status="", status=S.PENDING, reason="created", actor=change.actor, at=now
        )
    )
    # The events' hooks read (webhook endpoints) before the wallets are locked, not while they are.
    with events.reads_ahead(environment_id=environment.pk):
        create(principal, request, change)
        # Everything the transfer writes, at once: its journal (p2p, FX), the transfer and its history, the
        # completed idempotency record and the events of both.
        completion = idempotency.completion(transfer) if idempotency is not None else None
        usage = usage_increment(transfer=transfer)  # it counts against its holder's limits from now on
        updates = [*change.updates, *(update for update in (usage, completion) if update is not None)]
        post(change.posting, rows=[[transfer], change.history()], updates=updates, events_=change.events(created=True))
        if change.screening:  # a held transfer's evidence, with it, and the alert on its holder's case
            transfer_hits_record(
                environment_kind=environment.kind,
                holder=transfer.holder,
                transfer=transfer.public_id,
                hits=change.screening,
            )
        elif transfer.review_reason == REVIEW_RISK:  # held by its score: an alert on its holder's case
            risk_review_raise(transfer)
    if idempotency is not None:
        idempotency.written()
    return transfer


def _create_p2p(principal: Principal, request: TransferRequest, change: Change) -> None:
    transfer = change.transfer
    assert request.source and request.destination and request.amount
    if request.source == request.destination:
        raise SameWallet(errors=field_error("destination", "same_wallet", "Must differ from the source."))
    wallets = lock_p2p_wallets(principal, source=request.source, destination=request.destination)
    source, destination = wallets["source"], wallets["destination"]
    transfer.amount = request.amount
    transfer.currency = _require_currency(request, source, "currency")
    _require_currency(request, destination, "destination")
    if transfer.currency == currencies.POINTS and source.holder_id != destination.holder_id:
        raise PointsNotTransferable()
    _require_active(source, destination)
    transfer.holder, transfer.source_wallet, transfer.destination_wallet = source.holder, source, destination
    authorise(principal, change, payee=destination.public_id)
    reason = screen(change, holder=source.holder, counterparty=destination.holder)
    if reason:
        _hold(change, wallet=source, reason=reason, counterparty=destination.holder.name)
        return
    change.posting = p2p_posting(transfer, locked=by_pk(source, destination))
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
    authorise(principal, change, payee=destination.public_id)
    reason = screen(change, holder=holder, counterparty=None, counterparty_name=source.account_holder_name)
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
    authorise(principal, change, payee=bank.public_id)
    reason = screen(change, holder=holder, counterparty=None, counterparty_name=bank.account_holder_name)
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
    transfer.amount, transfer.currency = locked_quote.source_amount, locked_quote.source_currency
    transfer.holder, transfer.source_wallet, transfer.destination_wallet = source.holder, source, destination
    authorise(principal, change, payee=destination.public_id)  # after the quote (lock order), before any write
    locked_quote.used_at = change.now
    locked_quote.save(update_fields=["used_at", "updated_at"])
    transfer.destination_amount = locked_quote.destination_amount
    transfer.destination_currency = locked_quote.destination_currency
    transfer.fee_amount = locked_quote.fee_amount
    transfer.fx_quote = locked_quote
    reason = screen(change, holder=source.holder, counterparty=None)
    if reason:
        _hold(change, wallet=source, reason=reason, counterparty=source.holder.name)
        return
    change.posting = fx_posting(transfer, accounts=accounts, locked=by_pk(source, destination))
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
