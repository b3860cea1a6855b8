"""Writes for transfers: create (p2p, top-up, payout, FX), the bank rail's steps, cancel, reverse, and staff review.

Every entry point is ``transaction.atomic(durable=True)`` and follows the ledger's lock order (docs/ledger.md):
system accounts are resolved first, then the wallets are locked in primary-key order, then the transfer row (and
an FX quote) is locked, and only then is state read and changed. Each change of status is checked against
``TRANSITIONS``, appends a ``TransferStatusChange`` and records its event, all in the transaction that posts the
change's journals. An ``IdempotencyHandle`` passed in is completed as the last step of that same transaction,
so a retried request can never move money twice. Every refusal is raised before anything is written.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from apps.core import clock
from apps.core.errors import ApplicationError, BadRequest, NotFound
from apps.core.idempotency import IdempotencyHandle
from apps.core.principal import Principal
from apps.events.services import batch as record_batch
from apps.events.services import record as record_event
from apps.partners.models import Environment, Partner
from apps.transfers.fx import fx_quote_check_usable, fx_quote_get
from apps.transfers.limits import limits_check, review_reason
from apps.transfers.models import FxQuote, Transfer, TransferReversal, TransferStatusChange
from apps.transfers.snapshots import transfer_snapshot
from apps.wallets import currencies
from apps.wallets.funding_sources import funding_source_fallback, funding_source_list
from apps.wallets.ledger import (
    CLEARING_BANK,
    FEES,
    FX,
    CurrencyMismatch,
    InvalidStateTransition,
    Line,
    PointsNotTransferable,
    TransactionSpec,
    WalletFrozen,
    journal_post,
    lock_wallets,
    system_account,
)
from apps.wallets.models import FundingSource, LedgerAccount, Transaction, Wallet, WalletHolder
from apps.wallets.selectors import wallet_visibility
from apps.wallets.services import (
    external_credit_inner,
    hold_capture_inner,
    hold_place_inner,
    hold_release_inner,
    pending_credit_cancel_inner,
    pending_credit_create_inner,
)

logger = structlog.get_logger(__name__)

S = Transfer.Status
T = Transfer.Type

# The only moves a transfer's status can make. p2p and FX settle at once (pending -> succeeded in one
# transaction); top-ups and payouts go through the rail (pending -> processing -> succeeded | failed).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.PROCESSING, S.HELD, S.SUCCEEDED, S.FAILED, S.CANCELED}),
    S.HELD: frozenset({S.PENDING, S.FAILED, S.CANCELED}),
    S.PROCESSING: frozenset({S.SUCCEEDED, S.FAILED}),
    S.SUCCEEDED: frozenset({S.REVERSED}),
}
EVENTS: dict[str, str] = {
    S.HELD: "transfer.held",
    S.SUCCEEDED: "transfer.succeeded",
    S.FAILED: "transfer.failed",
    S.CANCELED: "transfer.canceled",
    S.REVERSED: "transfer.reversed",
}
# Sandbox rail triggers: a funding source whose last four digits are these fails at the rail.
SANDBOX_DECLINE_LAST4 = "0002"


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


def _field_error(field_name: str, code: str, message: str) -> list[dict[str, str]]:
    return [{"field": field_name, "code": code, "message": message}]


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


@dataclass
class _Change:
    """State changes collected while a service runs; written (history rows, events) at the end."""

    transfer: Transfer
    actor: str
    now: datetime
    steps: list[TransferStatusChange] = field(default_factory=list)

    def to(self, status: str, *, reason: str = "") -> None:
        current = self.transfer.status
        if status not in TRANSITIONS.get(current, frozenset()):
            raise InvalidStateTransition(
                f"Transfer {self.transfer.public_id or ''} is {current}; it cannot become {status}."
            )
        self.steps.append(
            TransferStatusChange(previous_status=current, status=status, reason=reason, actor=self.actor, at=self.now)
        )
        self.transfer.status = status

    def write(self, *, created: bool = False, previous: dict[str, Any] | None = None) -> None:
        """Save the history rows and record the events: ``transfer.created`` (as created, ``pending``) when
        ``created``, then one event per step that has one."""
        transfer = self.transfer
        for step in self.steps:
            step.transfer = transfer
        TransferStatusChange.objects.bulk_create(self.steps)
        env = transfer.environment
        if created:
            record_event(
                type="transfer.created",
                partner=transfer.partner,
                environment=env,
                obj=transfer,
                data=transfer_snapshot(transfer, status=S.PENDING),
            )
        snapshot = transfer_snapshot(transfer)
        last = len(self.steps) - 1
        # The status a receiver last heard of: steps without an event (pending, processing) are not announced, so
        # a released transfer's transfer.succeeded follows transfer.held with previous status "held".
        announced = self.steps[0].previous_status if self.steps else transfer.status
        for index, step in enumerate(self.steps):
            event_type = EVENTS.get(step.status)
            if event_type is None:
                continue
            # Each event shows the transfer as the whole transaction left it.
            previous_attributes = {"status": announced or S.PENDING, **((previous or {}) if index == last else {})}
            announced = step.status
            record_event(
                type=event_type,
                partner=transfer.partner,
                environment=env,
                obj=transfer,
                data=snapshot,
                previous_attributes=previous_attributes,
            )


def _actor(principal: Principal) -> str:
    return f"{principal.credential_type}:{principal.credential_id}"


def _book_partner(transfer: Transfer) -> Partner | None:
    """Whose system accounts a posting uses: the partner's own in sandbox, the bank's (no partner) in live."""
    return transfer.partner if transfer.environment.kind == Environment.Kind.SANDBOX else None


def _system(code: str, currency: str, transfer: Transfer) -> LedgerAccount:
    return system_account(
        code=code, currency=currency, environment=transfer.environment.kind, partner=_book_partner(transfer)
    )


def _on_commit_advance(transfer: Transfer, *, delay: float = 0.0) -> None:
    """Ask the worker to run the rail's next step for ``transfer`` once this transaction commits. The broker
    only makes it fast: the sweeper finds the due step in the database if this message is lost."""

    def send() -> None:
        from apps.transfers.tasks import transfer_advance_task

        # Read at commit time: a transfer being created gets its public id only when it is saved, after this.
        public_id = transfer.public_id
        try:
            transfer_advance_task.apply_async(kwargs={"transfer_id": public_id}, countdown=max(0.0, delay))
        except Exception:  # the broker is down: the sweeper will pick the step up
            logger.warning("transfer_advance_enqueue_failed", transfer=public_id, exc_info=True)

    transaction.on_commit(send)


def _rail_delay() -> timedelta:
    return timedelta(seconds=settings.TRANSFER_SETTLEMENT_DELAY_SECONDS)


# --- Resolving what a request names ---------------------------------------------------------------------------
def _lock_named_wallets(principal: Principal, named: dict[str, str]) -> dict[str, Wallet]:
    """Lock the wallets ``named`` (field -> public id) that ``principal`` may move money on, in primary-key order,
    in one query; return them by field. A wallet it cannot see is a 404 naming the field."""
    visible = wallet_visibility(principal)
    wallets = {
        wallet.public_id: wallet
        for wallet in Wallet.objects.select_for_update(of=("self",), no_key=True)
        .select_related("holder", "account")
        .filter(visible, public_id__in=sorted(set(named.values())))
        .order_by("pk")
    }
    result = {}
    for field_name, public_id in named.items():
        wallet = wallets.get(public_id)
        if wallet is None:
            raise NotFound(
                f"No such wallet: {public_id!r}.",
                errors=_field_error(field_name, "resource_missing", "No such wallet."),
            )
        result[field_name] = wallet
    return result


def _by_pk(*wallets: Wallet) -> dict[int, Wallet]:
    return {wallet.pk: wallet for wallet in wallets}


def _holder_funding_source(*, holder: WalletHolder, funding_source_id: str, field_name: str) -> FundingSource:
    source = funding_source_list(holder=holder).filter(public_id=funding_source_id).first()
    if source is None:
        raise NotFound(
            f"No such funding source of this holder: {funding_source_id!r}.",
            errors=_field_error(field_name, "resource_missing", "No such funding source of the wallet's holder."),
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
            errors=_field_error(field_name, "currency_mismatch", f"The wallet holds {wallet.currency}."),
        )
    return currency


def _positive_amount(amount: int | None) -> int:
    if amount is None:
        raise BadRequest(
            "amount is required.",
            code="parameter_missing",
            errors=_field_error("amount", "required", "This field is required."),
        )
    return amount


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
    transfer = Transfer(
        partner=principal.partner,
        environment=environment,
        type=request.type,
        status=S.PENDING,
        description=request.description,
        metadata=request.metadata,
        initiated_at=now,
    )
    change = _Change(transfer=transfer, actor=_actor(principal), now=now)
    change.steps.append(
        TransferStatusChange(previous_status="", status=S.PENDING, reason="created", actor=change.actor, at=now)
    )
    with record_batch():
        create(principal, request, change)
        transfer.save(force_insert=True)
        change.write(created=True)
        if idempotency is not None:
            idempotency.complete(transfer)
    return transfer


def _screen(
    change: _Change, *, holder: WalletHolder, counterparty: WalletHolder | None, counterparty_name: str = ""
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


def _transfer_spec(*, type: str, description: str, counterparty: str) -> TransactionSpec:
    return TransactionSpec(type=type, category="transfer", description=description, counterparty=counterparty)


def _create_p2p(principal: Principal, request: TransferRequest, change: _Change) -> None:
    transfer = change.transfer
    if not request.source or not request.destination:
        raise BadRequest(
            "A p2p transfer needs a source and a destination wallet.",
            code="parameter_missing",
            errors=[
                {"field": name, "code": "required", "message": "Required for p2p."}
                for name in ("source", "destination")
                if not getattr(request, name)
            ],
        )
    if request.source == request.destination:
        raise SameWallet(errors=_field_error("destination", "same_wallet", "Must differ from the source."))
    wallets = _lock_named_wallets(principal, {"source": request.source, "destination": request.destination})
    source, destination = wallets["source"], wallets["destination"]
    transfer.amount = _positive_amount(request.amount)
    transfer.currency = _require_currency(request, source, "currency")
    _require_currency(request, destination, "destination")
    if transfer.currency == currencies.POINTS and source.holder_id != destination.holder_id:
        raise PointsNotTransferable()
    _require_active(source, destination)
    transfer.holder, transfer.source_wallet, transfer.destination_wallet = source.holder, source, destination
    reason = _screen(change, holder=source.holder, counterparty=destination.holder)
    description = request.description
    if reason:
        _hold(change, wallet=source, reason=reason, counterparty=destination.holder.name)
        return
    posting = journal_post(
        kind="transfer",
        lines=_p2p_lines(transfer, description=description),
        environment=transfer.environment.kind,
        partner=_book_partner(transfer),
        description=description or f"Transfer {source.public_id} -> {destination.public_id}",
        locked=_by_pk(source, destination),
        partner_environment=transfer.environment,
    )
    transfer.journal = posting.journal
    change.to(S.SUCCEEDED)


def _p2p_lines(transfer: Transfer, *, description: str) -> list[Line]:
    source, destination = transfer.source_wallet, transfer.destination_wallet
    assert source is not None and destination is not None
    return [
        Line(
            source.account,
            -transfer.amount,
            _transfer_spec(
                type=Transaction.Type.TRANSFER,
                description=description or f"Transfer to {destination.holder.name}",
                counterparty=destination.holder.name,
            ),
        ),
        Line(
            destination.account,
            transfer.amount,
            _transfer_spec(
                type=Transaction.Type.TRANSFER,
                description=description or f"Transfer from {source.holder.name}",
                counterparty=source.holder.name,
            ),
        ),
    ]


def _hold(change: _Change, *, wallet: Wallet, reason: str, counterparty: str, amount: int | None = None) -> None:
    """Set the transfer's money aside on ``wallet`` and hold the transfer for review (``reason``) when there is
    one; a payout's hold is the same, without a review."""
    transfer = change.transfer
    placed = hold_place_inner(
        wallet=wallet,
        amount=amount or transfer.amount,
        spec=_transfer_spec(
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


def _create_top_up(principal: Principal, request: TransferRequest, change: _Change) -> None:
    transfer = change.transfer
    if not request.destination:
        raise BadRequest(
            "A top-up needs a destination wallet.",
            code="parameter_missing",
            errors=_field_error("destination", "required", "Required for top_up."),
        )
    destination = _lock_named_wallets(principal, {"destination": request.destination})["destination"]
    transfer.amount = _positive_amount(request.amount)
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
        source = funding_source_fallback(holder=holder, attempt=lambda fs: _currency_fits(fs, transfer.currency))
        if source is None:
            raise NoFundingSource(errors=_field_error("source", "funding_source_missing", "Add a funding source."))
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


def _currency_fits(source: FundingSource, currency: str) -> bool:
    return not source.currency or source.currency == currency


def _require_funding_currency(source: FundingSource, currency: str, field_name: str) -> None:
    if not _currency_fits(source, currency):
        raise CurrencyMismatch(
            f"Funding source {source.public_id} is in {source.currency}, not {currency}.",
            errors=_field_error(field_name, "currency_mismatch", f"The funding source is in {source.currency}."),
        )


def _enter_rail_or_review(change: _Change, *, reason: str) -> None:
    transfer = change.transfer
    if reason:
        transfer.review_reason = reason
        change.to(S.HELD, reason=reason)
        return
    transfer.next_action_at = change.now
    _on_commit_advance(transfer)


def _create_payout(principal: Principal, request: TransferRequest, change: _Change) -> None:
    transfer = change.transfer
    if not request.source or not request.destination:
        raise BadRequest(
            "A payout needs a source wallet and a destination bank account (funding source).",
            code="parameter_missing",
            errors=[
                {"field": name, "code": "required", "message": "Required for payout."}
                for name in ("source", "destination")
                if not getattr(request, name)
            ],
        )
    source = _lock_named_wallets(principal, {"source": request.source})["source"]
    transfer.amount = _positive_amount(request.amount)
    transfer.currency = _require_currency(request, source, "currency")
    if transfer.currency == currencies.POINTS:
        raise PointsNotTransferable("Points cannot be paid out.")
    _require_active(source)
    holder = source.holder
    bank = _holder_funding_source(holder=holder, funding_source_id=request.destination, field_name="destination")
    if bank.kind != FundingSource.Kind.BANK_ACCOUNT:
        raise FundingSourceUnusable(
            "Payouts go to a bank account, not a card.",
            errors=_field_error("destination", "funding_source_unusable", "Must be a bank account."),
        )
    _require_funding_currency(bank, transfer.currency, "destination")
    transfer.holder, transfer.source_wallet, transfer.funding_source = holder, source, bank
    reason = _screen(change, holder=holder, counterparty=None, counterparty_name=bank.account_holder_name)
    _hold(change, wallet=source, reason="", counterparty=bank.account_holder_name)
    _enter_rail_or_review(change, reason=reason)


def _create_fx(principal: Principal, request: TransferRequest, change: _Change) -> None:
    transfer = change.transfer
    missing = [name for name in ("quote", "source", "destination") if not getattr(request, name)]
    if missing:
        raise BadRequest(
            "An FX transfer needs a quote, a source and a destination wallet.",
            code="parameter_missing",
            errors=[{"field": name, "code": "required", "message": "Required for fx."} for name in missing],
        )
    assert request.quote and request.source and request.destination
    quote = fx_quote_get(principal=principal, quote_id=request.quote)
    if request.source == request.destination:
        raise SameWallet(errors=_field_error("destination", "same_wallet", "Must differ from the source."))
    # System accounts before any wallet lock (docs/ledger.md, lock order).
    accounts = {
        (code, currency): _system(code, currency, transfer)
        for code in (FEES, FX)
        for currency in (quote.source_currency, quote.destination_currency)
    }
    wallets = _lock_named_wallets(principal, {"source": request.source, "destination": request.destination})
    source, destination = wallets["source"], wallets["destination"]
    if source.holder_id != destination.holder_id:
        raise HolderMismatch(errors=_field_error("destination", "holder_mismatch", "Must be the source's holder's."))
    for name, wallet, currency in (
        ("source", source, quote.source_currency),
        ("destination", destination, quote.destination_currency),
    ):
        if wallet.currency != currency:
            raise CurrencyMismatch(
                f"The quote converts {quote.source_currency} to {quote.destination_currency}; wallet "
                f"{wallet.public_id} holds {wallet.currency}.",
                errors=_field_error(name, "currency_mismatch", f"The quote's {name} currency is {currency}."),
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
    _post_fx(transfer, accounts=accounts, locked=_by_pk(source, destination))
    change.to(S.SUCCEEDED)


def _check_quote_terms(request: TransferRequest, quote: FxQuote) -> None:
    if request.amount is not None and request.amount != quote.source_amount:
        raise QuoteMismatch(
            f"The quote is for {quote.source_amount}; omit amount or send the quote's.",
            errors=_field_error("amount", "quote_mismatch", "Differs from the quote's source amount."),
        )
    if request.currency and request.currency.upper() != quote.source_currency:
        raise QuoteMismatch(
            f"The quote converts from {quote.source_currency}.",
            errors=_field_error("currency", "quote_mismatch", "Differs from the quote's source currency."),
        )


def _fx_lines(
    transfer: Transfer,
    *,
    accounts: dict[tuple[str, str], LedgerAccount],
    amount: int,
    destination_amount: int,
    fee: int,
) -> list[Line]:
    """The FX journal for ``amount`` of the source currency (``fee`` of it to fees, the rest to the FX desk) and
    ``destination_amount`` from the FX desk to the destination; signs flip for a reversal (negative amounts)."""
    source, destination = transfer.source_wallet, transfer.destination_wallet
    assert source is not None and destination is not None
    src, dst = transfer.currency, transfer.destination_currency
    description = transfer.description or f"Exchange {src} to {dst}"
    kind = Transaction.Type.FX if amount > 0 else Transaction.Type.REFUND
    spec = TransactionSpec(type=kind, category="transfer", description=description)
    lines = [
        Line(source.account, -amount, spec),
        Line(accounts[(FX, src)], amount - fee),
        Line(accounts[(FX, dst)], -destination_amount),
        Line(destination.account, destination_amount, spec),
    ]
    if fee:
        lines.append(Line(accounts[(FEES, src)], fee))
    return [line for line in lines if line.amount != 0]


def _post_fx(transfer: Transfer, *, accounts: dict[tuple[str, str], LedgerAccount], locked: dict[int, Wallet]) -> None:
    assert transfer.destination_amount is not None
    posting = journal_post(
        kind="fx",
        lines=_fx_lines(
            transfer,
            accounts=accounts,
            amount=transfer.amount,
            destination_amount=transfer.destination_amount,
            fee=transfer.fee_amount,
        ),
        environment=transfer.environment.kind,
        partner=_book_partner(transfer),
        description=transfer.description or f"FX {transfer.currency} -> {transfer.destination_currency}",
        locked=locked,
        partner_environment=transfer.environment,
    )
    transfer.journal = posting.journal


# --- Locking an existing transfer -----------------------------------------------------------------------------
def _wallet_ids(transfer: Transfer) -> list[int]:
    return [pk for pk in (transfer.source_wallet_id, transfer.destination_wallet_id) if pk is not None]


def _lock_transfer(transfer_pk: int) -> tuple[Transfer, dict[int, Wallet]]:
    """Lock a transfer's wallets (primary-key order), then the transfer row, and return both re-read."""
    unlocked = Transfer.objects.only("source_wallet_id", "destination_wallet_id").get(pk=transfer_pk)
    wallets = lock_wallets(_wallet_ids(unlocked))
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("environment__partner", "partner", "funding_source", "fx_quote", "hold", "pending_transaction")
        .get(pk=transfer_pk)
    )
    transfer.source_wallet = wallets.get(transfer.source_wallet_id) if transfer.source_wallet_id else None
    transfer.destination_wallet = (
        wallets.get(transfer.destination_wallet_id) if transfer.destination_wallet_id else None
    )
    return transfer, wallets


def _system_accounts_for(transfer: Transfer) -> dict[tuple[str, str], LedgerAccount]:
    """Every system account a step of ``transfer`` may post to, resolved before any lock is taken."""
    if transfer.type == T.FX:
        pairs = [(code, c) for code in (FEES, FX) for c in (transfer.currency, transfer.destination_currency)]
    elif transfer.type in (T.TOP_UP, T.PAYOUT):
        pairs = [(CLEARING_BANK, transfer.currency)]
    else:
        pairs = []
    return {pair: _system(pair[0], pair[1], transfer) for pair in pairs}


def _release_money(transfer: Transfer) -> None:
    """Undo what a pending or held transfer set aside: its hold goes back to available, a top-up's pending
    credit is dropped."""
    if transfer.hold is not None:
        hold_release_inner(hold=transfer.hold)
    if transfer.pending_transaction is not None:
        pending_credit_cancel_inner(txn=transfer.pending_transaction)


def _finish(change: _Change, *, previous: dict[str, Any] | None = None) -> Transfer:
    transfer = change.transfer
    transfer.save()
    change.write(previous=previous)
    return transfer


# --- Cancel ---------------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transfer_cancel(
    *, principal: Principal, transfer_id: str, idempotency: IdempotencyHandle | None = None
) -> Transfer:
    """Cancel a ``pending`` (not yet at the rail) or ``held`` transfer: its money is released. Raises ``NotFound``
    and ``InvalidStateTransition`` (it is processing or finished)."""
    from apps.transfers.selectors import transfer_get

    found = transfer_get(principal=principal, transfer_id=transfer_id)
    transfer, _ = _lock_transfer(found.pk)
    change = _Change(transfer=transfer, actor=_actor(principal), now=clock.now(environment=transfer.environment))
    with record_batch():
        change.to(S.CANCELED, reason="requested")
        _release_money(transfer)
        transfer.next_action_at = None
        _finish(change)
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
    accounts = _system_accounts_for(found)
    transfer, wallets = _lock_transfer(found.pk)
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
            errors=_field_error("amount", "reversal_exceeds_remaining", f"At most {remaining}."),
            extra={"remaining": remaining},
        )
    now = clock.now(environment=transfer.environment)
    change = _Change(transfer=transfer, actor=_actor(principal), now=now)
    text = description or f"Reversal of {transfer.public_id}"
    with record_batch():
        posting = journal_post(
            kind="transfer_reversal",
            lines=_reversal_lines(transfer, amount=amount, accounts=accounts, description=text),
            environment=transfer.environment.kind,
            partner=_book_partner(transfer),
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
            Transaction.objects.filter(journal_id=transfer.journal_id).update(status=Transaction.Status.REVERSED)
            _finish(change, previous=previous)
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


def _reversal_lines(
    transfer: Transfer, *, amount: int, accounts: dict[tuple[str, str], LedgerAccount], description: str
) -> list[Line]:
    refund = TransactionSpec(type=Transaction.Type.REFUND, category="refund", description=description)
    source, destination = transfer.source_wallet, transfer.destination_wallet
    if transfer.type == T.P2P:
        assert source is not None and destination is not None
        return [Line(destination.account, -amount, refund), Line(source.account, amount, refund)]
    if transfer.type == T.TOP_UP:
        assert destination is not None
        return [Line(destination.account, -amount, refund), Line(accounts[(CLEARING_BANK, transfer.currency)], amount)]
    if transfer.type == T.PAYOUT:
        assert source is not None
        return [Line(accounts[(CLEARING_BANK, transfer.currency)], -amount), Line(source.account, amount, refund)]
    # FX: the reversed share of the destination amount and of the fee, cut so that the shares of all the partial
    # reversals add up exactly to the whole.
    assert transfer.destination_amount is not None

    def share(total: int, upto: int) -> int:
        return total * upto // transfer.amount

    before, after = transfer.amount_reversed, transfer.amount_reversed + amount
    destination_share = share(transfer.destination_amount, after) - share(transfer.destination_amount, before)
    fee_share = share(transfer.fee_amount, after) - share(transfer.fee_amount, before)
    lines = _fx_lines(transfer, accounts=accounts, amount=amount, destination_amount=destination_share, fee=fee_share)
    # The wallet sides are refunds, as for every other type (not a second exchange).
    return [Line(line.account, -line.amount, refund if line.transaction else None) for line in lines]


# --- The rail: settlement steps run by the worker -------------------------------------------------------------
@dataclass(frozen=True)
class RailResult:
    ok: bool
    failure_code: str = ""
    failure_message: str = ""


def _rail_accepts(transfer: Transfer, source: FundingSource) -> RailResult:
    """The simulated bank rail. In sandbox a funding source ending in 0002 is refused (a declined top-up, a
    closed account for a payout); everything else settles."""
    if transfer.environment.kind == Environment.Kind.SANDBOX and source.last4 == SANDBOX_DECLINE_LAST4:
        if transfer.type == T.PAYOUT:
            return RailResult(False, "bank_account_closed", "The receiving bank account is closed.")
        return RailResult(False, "funding_source_declined", "The funding source declined the payment.")
    return RailResult(True)


@transaction.atomic(durable=True)
def transfer_advance(*, transfer_pk: int) -> Transfer | None:
    """Run the rail's next step for a top-up or payout if it is due: ``pending -> processing`` (submitted to the
    rail, which answers after ``TRANSFER_SETTLEMENT_DELAY_SECONDS``), then ``processing -> succeeded`` (the
    journal posts) or ``failed`` (the money is released). The step is decided under the transfer's lock, so a
    task run twice, or killed and run again, settles exactly once. Returns None when nothing was due."""
    accounts = _system_accounts_for(Transfer.objects.select_related("environment", "partner").get(pk=transfer_pk))
    transfer, wallets = _lock_transfer(transfer_pk)
    now = clock.now(environment=transfer.environment)
    due = transfer.next_action_at is not None and transfer.next_action_at <= now
    if transfer.type not in (T.TOP_UP, T.PAYOUT) or transfer.status not in (S.PENDING, S.PROCESSING) or not due:
        return None
    change = _Change(transfer=transfer, actor="system", now=now)
    with record_batch():
        if transfer.status == S.PENDING:
            change.to(S.PROCESSING, reason="submitted")
            transfer.next_action_at = now + _rail_delay()
            # The sweeper leaves it to the countdown message unless that is lost.
            transfer.lease_until = transfer.next_action_at + timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)
            _on_commit_advance(transfer, delay=_rail_delay().total_seconds())
        else:
            _settle(transfer, change, accounts=accounts, wallets=wallets)
            transfer.next_action_at = None
            transfer.lease_until = None
        _finish(change)
    return transfer


def _settle(
    transfer: Transfer, change: _Change, *, accounts: dict[tuple[str, str], LedgerAccount], wallets: dict[int, Wallet]
) -> None:
    source = transfer.funding_source
    assert source is not None
    if transfer.type == T.TOP_UP:
        result = _rail_accepts(transfer, source)
        if not result.ok and not transfer.funding_source_explicit:
            # No source was named: walk the holder's fallback order from the next one.
            holder = transfer.destination_wallet.holder if transfer.destination_wallet else None
            tried = {source.pk}
            fallback = (
                funding_source_fallback(
                    holder=holder,
                    attempt=lambda fs: (
                        fs.pk not in tried and _currency_fits(fs, transfer.currency) and _rail_accepts(transfer, fs).ok
                    ),
                )
                if holder is not None
                else None
            )
            if fallback is not None:
                transfer.funding_source, result = fallback, RailResult(True)
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
                change.to(S.SUCCEEDED)
                return
        pending_credit_cancel_inner(txn=transfer.pending_transaction)  # type: ignore[arg-type]
        _fail(change, result)
        return
    result = _rail_accepts(transfer, source)
    assert transfer.hold is not None
    if result.ok:
        posted = hold_capture_inner(hold=transfer.hold, rail=CLEARING_BANK)
        transfer.journal_id = posted.journal_id
        change.to(S.SUCCEEDED)
        return
    hold_release_inner(hold=transfer.hold)
    _fail(change, result)


def _fail(change: _Change, result: RailResult) -> None:
    change.transfer.failure_code = result.failure_code
    change.transfer.failure_message = result.failure_message
    change.to(S.FAILED, reason=result.failure_code)


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
def _staff_actor(user: Any) -> str:
    return f"staff:{getattr(user, 'email', '') or getattr(user, 'username', '') or user.pk}"


@transaction.atomic(durable=True)
def transfer_review_release(*, transfer_pk: int, staff_user: Any) -> Transfer:
    """Bank staff let a held transfer go on: ``held -> pending``, then a p2p or FX transfer posts at once
    (``succeeded``, or ``failed`` if it can no longer post, its money released) and a top-up or payout goes to
    the rail. Raises ``InvalidStateTransition`` unless it is held."""
    accounts = _system_accounts_for(Transfer.objects.select_related("environment", "partner").get(pk=transfer_pk))
    transfer, wallets = _lock_transfer(transfer_pk)
    change = _Change(transfer=transfer, actor=_staff_actor(staff_user), now=clock.now(environment=transfer.environment))
    with record_batch():
        change.to(S.PENDING, reason="staff_release")
        if transfer.type in (T.TOP_UP, T.PAYOUT):
            transfer.next_action_at = change.now
            _on_commit_advance(transfer)
        else:
            _post_released(transfer, change, accounts=accounts, wallets=wallets)
        _finish(change)
    return transfer


def _post_released(
    transfer: Transfer, change: _Change, *, accounts: dict[tuple[str, str], LedgerAccount], wallets: dict[int, Wallet]
) -> None:
    """Post a released p2p or FX transfer from its hold. If the ledger refuses now (a wallet was frozen during
    the review), the transfer fails instead and its money goes back."""
    assert transfer.hold is not None
    try:
        with transaction.atomic(), record_batch():
            hold_release_inner(hold=transfer.hold)
            # Re-read under the lock: the release changed the source's available balance.
            fresh = lock_wallets(_wallet_ids(transfer))
            transfer.source_wallet = fresh.get(transfer.source_wallet_id)  # type: ignore[arg-type]
            transfer.destination_wallet = fresh.get(transfer.destination_wallet_id)  # type: ignore[arg-type]
            if transfer.type == T.FX:
                _post_fx(transfer, accounts=accounts, locked=fresh)
            else:
                posting = journal_post(
                    kind="transfer",
                    lines=_p2p_lines(transfer, description=transfer.description),
                    environment=transfer.environment.kind,
                    partner=_book_partner(transfer),
                    description=transfer.description or f"Transfer {transfer.public_id}",
                    locked=fresh,
                    partner_environment=transfer.environment,
                )
                transfer.journal = posting.journal
            change.to(S.SUCCEEDED)
    except ApplicationError as error:
        hold_release_inner(hold=transfer.hold)
        _fail(change, RailResult(False, error.code, str(error.detail)[:500]))


@transaction.atomic(durable=True)
def transfer_review_reject(*, transfer_pk: int, staff_user: Any, reason: str = "review_rejected") -> Transfer:
    """Bank staff refuse a held transfer: ``held -> failed`` (``failure_code`` ``review_rejected``), its money
    released. Raises ``InvalidStateTransition`` unless it is held."""
    _system_accounts_for(Transfer.objects.select_related("environment", "partner").get(pk=transfer_pk))
    transfer, _ = _lock_transfer(transfer_pk)
    change = _Change(transfer=transfer, actor=_staff_actor(staff_user), now=clock.now(environment=transfer.environment))
    with record_batch():
        if transfer.status != S.HELD:
            raise InvalidStateTransition(f"Transfer {transfer.public_id} is {transfer.status}, not held.")
        _release_money(transfer)
        _fail(change, RailResult(False, "review_rejected", "The transfer was rejected in review."))
        _finish(change)
    return transfer
