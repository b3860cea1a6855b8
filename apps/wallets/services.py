"""Writes for holders, wallets and money. Entry points are ``transaction.atomic(durable=True)``; they call the
ledger's inner helpers (``apps.wallets.ledger``) inside that one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from apps.core import clock
from apps.core import store as rows
from apps.core.errors import InvalidStateTransition, error_type
from apps.events.models import Event
from apps.events.services import build as build_event
from apps.events.services import record as record_event
from apps.wallets.categories import is_category
from apps.wallets.ledger import (
    CLEARING_BANK,
    CLEARING_CARD,
    InsufficientFunds,
    Line,
    TransactionSpec,
    WalletFrozen,
    _partner_environment,
    build_transaction,
    journal_post,
    system_account,
    wallet_account,
)
from apps.wallets.models import Hold, LedgerAccount, Transaction, Wallet, WalletHolder
from apps.wallets.opening import UnsupportedCurrency as UnsupportedCurrency  # callers import these from services
from apps.wallets.opening import WalletExists as WalletExists
from apps.wallets.opening import holder_create as holder_create
from apps.wallets.opening import wallet_open as wallet_open
from apps.wallets.opening import wallet_open_inner as wallet_open_inner
from apps.wallets.snapshots import transaction_snapshot, wallet_snapshot
from apps.wallets.store import Posting, lock_wallets, post

WalletNotEmpty = error_type("WalletNotEmpty", "wallet_not_empty", 409, "Wallet not empty")
InvalidAmount = error_type("InvalidAmount", "amount_invalid", 400, "Invalid amount")
InvalidCategory = error_type("InvalidCategory", "category_invalid", 400, "Invalid category")


def _environment_of(holder: WalletHolder):
    return _partner_environment(holder.partner, holder.environment)


def _record(type: str, *, holder: WalletHolder, obj: object, data: dict) -> None:
    environment = _environment_of(holder)
    if holder.partner is not None and environment is not None:
        record_event(type=type, partner=holder.partner, environment=environment, obj=obj, data=data)


# --- Holders and wallets (opening: apps.wallets.opening) -------------------------------------------------------
@transaction.atomic(durable=True)
def wallet_close(*, wallet: Wallet) -> Wallet:
    """Close a wallet; only possible at zero with no money held."""
    locked = lock_wallets([wallet.pk])[wallet.pk]
    if locked.status == Wallet.Status.CLOSED:
        raise InvalidStateTransition("The wallet is already closed.")
    if locked.ledger_balance != 0 or locked.available_balance != 0:
        raise WalletNotEmpty("Only an empty wallet can be closed.")
    locked.status = Wallet.Status.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    return locked


# --- Money from and to outside rails ----------------------------------------------------------------------------
def _positive(amount: int) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        message = "The amount must be a positive integer in minor units."
        raise InvalidAmount(message, errors=[{"field": "amount", "code": "amount_invalid", "message": message}])
    return amount


def _spec(*, type: str, category: str, **kwargs: object) -> TransactionSpec:
    if not is_category(category):
        raise InvalidCategory(f"Unknown category {category!r}.")
    return TransactionSpec(type=type, category=category, **kwargs)  # type: ignore[arg-type]


def external_credit_inner(*, wallet: Wallet, amount: int, spec: TransactionSpec, rail: str = CLEARING_BANK) -> Posting:
    """Money arriving from an outside rail (bank transfer in, salary, refund): clearing -> wallet."""
    return _external_move(wallet=wallet, amount=_positive(amount), spec=spec, rail=rail)


@transaction.atomic(durable=True)
def external_credit(
    *,
    wallet: Wallet,
    amount: int,
    type: str,
    category: str,
    description: str = "",
    counterparty: str = "",
    rail: str = CLEARING_BANK,
) -> Transaction:
    """Credit a wallet from an outside rail; returns the posted transaction."""
    spec = _spec(type=type, category=category, description=description, counterparty=counterparty)
    return external_credit_inner(wallet=wallet, amount=amount, spec=spec, rail=rail).transactions[0]


def external_debit_inner(*, wallet: Wallet, amount: int, spec: TransactionSpec, rail: str = CLEARING_CARD) -> Posting:
    """Money leaving to an outside rail (a card payment that settles at once, a bank payment): wallet -> clearing."""
    return _external_move(wallet=wallet, amount=-_positive(amount), spec=spec, rail=rail)


def _external_move(*, wallet: Wallet, amount: int, spec: TransactionSpec, rail: str) -> Posting:
    """Post ``amount`` (signed, from the wallet's point of view) between the wallet and ``rail``'s clearing account."""
    holder = wallet.holder
    clearing = system_account(
        code=rail, currency=wallet.currency, environment=holder.environment, partner=holder.partner
    )
    return journal_post(
        kind=spec.type,
        lines=[
            Line(account=wallet_account(wallet), amount=amount, transaction=spec),
            Line(account=clearing, amount=-amount),
        ],
        environment=holder.environment,
        partner=holder.partner,
        description=spec.description,
    )


@transaction.atomic(durable=True)
def external_debit(
    *,
    wallet: Wallet,
    amount: int,
    type: str,
    category: str,
    description: str = "",
    counterparty: str = "",
    merchant_name: str = "",
    rail: str = CLEARING_CARD,
) -> Transaction:
    spec = _spec(
        type=type, category=category, description=description, counterparty=counterparty, merchant_name=merchant_name
    )
    return external_debit_inner(wallet=wallet, amount=amount, spec=spec, rail=rail).transactions[0]


# --- Holds ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlacedHold:
    hold: Hold
    transaction: Transaction


@transaction.atomic(durable=True)
def hold_place(
    *,
    wallet: Wallet,
    amount: int,
    type: str = Transaction.Type.CARD_PAYMENT,
    category: str = "other",
    description: str = "",
    merchant_name: str = "",
    counterparty: str = "",
) -> PlacedHold:
    """Set ``amount`` aside: the available balance drops now, the ledger balance when the hold is captured.
    A pending transaction shows it to partners."""
    return hold_place_inner(
        wallet=wallet,
        amount=amount,
        spec=_spec(
            type=type,
            category=category,
            description=description,
            merchant_name=merchant_name,
            counterparty=counterparty,
        ),
    )


def hold_place_inner(*, wallet: Wallet, amount: int, spec: TransactionSpec) -> PlacedHold:
    return holds_place_inner(placements=[(wallet, amount, spec)])[0]


def holds_place_inner(*, placements: Sequence[tuple[Wallet, int, TransactionSpec]]) -> list[PlacedHold]:
    """Place holds in the order given (several may share a wallet), written together: the wallets are locked in
    primary-key order and re-read; each hold needs its wallet active and its available balance, less the holds
    placed before it, to cover it. Each shows as a pending transaction (booked at ``spec.booked_at`` or now) and
    records ``transaction.created`` and ``wallet.balance_updated``. Raises ``InvalidAmount``, ``WalletFrozen`` or
    ``InsufficientFunds`` before anything is written."""
    if not placements:
        return []
    amounts = [_positive(amount) for _, amount, _ in placements]
    locked = lock_wallets({wallet.pk for wallet, _, _ in placements})
    environments: dict[int | None, Any] = {}
    placed: list[PlacedHold] = []
    touched: dict[int, Wallet] = {}
    built: list[Event] = []
    for (wallet, _, spec), amount in zip(placements, amounts, strict=True):
        target = locked[wallet.pk]
        if target.status != Wallet.Status.ACTIVE:
            raise WalletFrozen(f"Wallet {target.public_id} is {target.status}.")
        if target.available_balance < amount:
            raise InsufficientFunds(
                f"Wallet {target.public_id} has {target.available_balance} available; {amount} is needed.",
                extra={"wallet": target.public_id, "available": target.available_balance, "required": amount},
            )
        holder = target.holder
        if holder.partner_id not in environments:
            environments[holder.partner_id] = _environment_of(holder)
        environment = environments[holder.partner_id]
        now = clock.now(environment=environment)
        txn = build_transaction(wallet=target, amount=-amount, spec=spec, status=Transaction.Status.PENDING, now=now)
        placed.append(PlacedHold(hold=rows.new(Hold, wallet=target, amount=amount, transaction=txn), transaction=txn))
        target.available_balance -= amount
        target.last_transaction = txn
        touched[target.pk] = target
        if holder.partner is not None and environment is not None:
            for type, obj, data in (
                ("transaction.created", txn, transaction_snapshot(txn)),
                ("wallet.balance_updated", target, wallet_snapshot(target)),
            ):
                built.append(
                    build_event(type=type, partner=holder.partner, environment=environment, obj=obj, data=data)
                )
    post(
        rows=[[p.transaction for p in placed], [p.hold for p in placed]],
        updates=[rows.Update(list(touched.values()), ("available_balance", "last_transaction", "updated_at"))],
        events_=built,
    )
    return placed


def _pending_transaction(*, wallet: Wallet, amount: int, spec: TransactionSpec) -> Transaction:
    """A saved ``pending`` transaction without a journal (money on its way in), booked now."""
    now = clock.now(environment=_environment_of(wallet.holder))
    txn = build_transaction(wallet=wallet, amount=amount, spec=spec, status=Transaction.Status.PENDING, now=now)
    txn.save(force_insert=True)
    return txn


def _lock_hold(hold: Hold, *, companions: bool = False) -> tuple[Hold, Wallet]:
    wallet = lock_wallets([hold.wallet_id], companions=companions)[hold.wallet_id]
    locked = Hold.objects.select_for_update(of=("self",)).select_related("transaction").get(pk=hold.pk)
    if locked.status != Hold.Status.HELD:
        raise InvalidStateTransition(f"Hold {locked.public_id} is already {locked.status}.")
    return locked, wallet


@transaction.atomic(durable=True)
def hold_release(*, hold: Hold) -> Hold:
    """Give the held amount back to the available balance; the pending transaction is reversed."""
    return hold_release_inner(hold=hold)


def hold_release_inner(*, hold: Hold) -> Hold:
    locked, wallet = _lock_hold(hold)
    wallet.available_balance += locked.amount
    wallet.save(update_fields=["available_balance", "updated_at"])
    locked.status = Hold.Status.RELEASED
    locked.save(update_fields=["status", "updated_at"])
    txn = locked.transaction
    txn.status = Transaction.Status.REVERSED
    txn.save(update_fields=["status", "updated_at"])
    _record("wallet.balance_updated", holder=wallet.holder, obj=wallet, data=wallet_snapshot(wallet))
    return locked


@transaction.atomic(durable=True)
def hold_capture(*, hold: Hold, amount: int | None = None, rail: str = CLEARING_CARD) -> Transaction:
    """Post a held amount (or less of it): the journal moves the money, the pending transaction becomes posted."""
    return hold_capture_inner(hold=hold, amount=amount, rail=rail)


def hold_capture_inner(*, hold: Hold, amount: int | None = None, rail: str = CLEARING_CARD) -> Transaction:
    # The clearing account is resolved before any wallet lock, as every other posting path does: on first use it
    # is created, and a transaction that inserts it while holding a wallet lock deadlocks against one that
    # inserted it first and now waits for that wallet.
    unlocked = Wallet.objects.select_related("holder").get(pk=hold.wallet_id)
    clearing = system_account(
        code=rail, currency=unlocked.currency, environment=unlocked.holder.environment, partner=unlocked.holder.partner
    )
    # A card capture may earn an offer reward here: the wallets it may pay are locked now, in key order (ledger.md).
    locked, wallet = _lock_hold(hold, companions=rail == CLEARING_CARD)
    captured = locked.amount if amount is None else _positive(amount)
    if captured > locked.amount:
        raise InvalidAmount("A capture cannot exceed the held amount.")
    # The hold's money goes back to "available" first; the journal then takes what is captured.
    wallet.available_balance += locked.amount
    wallet.save(update_fields=["available_balance", "updated_at"])
    locked.status = Hold.Status.CAPTURED
    locked.save(update_fields=["status", "updated_at"])
    txn = locked.transaction
    spec = TransactionSpec(type=txn.type, category=txn.category, existing=txn)
    holder = wallet.holder
    posting = journal_post(
        kind="hold_capture",
        lines=[
            Line(account=wallet_account(wallet), amount=-captured, transaction=spec),
            Line(account=clearing, amount=captured),
        ],
        environment=holder.environment,
        partner=holder.partner,
        description=txn.description,
        allow_inactive=True,
    )
    return posting.transactions[0]


# --- Reversals --------------------------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def transaction_reverse(*, txn: Transaction, description: str = "") -> Transaction:
    """Reverse a posted transaction with a new journal mirroring its journal; the original is marked reversed."""
    return transaction_reverse_inner(txn=txn, description=description)


def transaction_reverse_inner(*, txn: Transaction, description: str = "") -> Transaction:
    current = Transaction.objects.select_related("journal").get(pk=txn.pk)
    if current.status != Transaction.Status.POSTED or current.journal is None:
        raise InvalidStateTransition(f"Transaction {current.public_id} is {current.status}; only posted ones reverse.")
    journal = current.journal  # a posted transaction's journal never changes
    entries = list(journal.entries.select_related("account"))
    # Lock like every other writer: the journal's wallets first (primary-key order), then the transaction. Locking
    # the transaction first deadlocks two reversals of one two-wallet journal started from its two sides.
    # With the wallets a claw-back of an offer reward may debit (the companions), in the same key order.
    lock_wallets((entry.account.wallet_id for entry in entries if entry.account.wallet_id is not None), companions=True)
    locked = Transaction.objects.select_for_update(of=("self",)).select_related("wallet__holder").get(pk=txn.pk)
    if locked.status != Transaction.Status.POSTED:
        raise InvalidStateTransition(f"Transaction {locked.public_id} is {locked.status}; only posted ones reverse.")
    if journal.reverses_id is not None:
        raise InvalidStateTransition("A reversal cannot be reversed; post a new transaction instead.")
    if journal.reversals.exists():
        raise InvalidStateTransition("This journal was already reversed.")
    lines = []
    for entry in entries:
        spec = None
        if entry.account.kind == LedgerAccount.Kind.WALLET:
            spec = TransactionSpec(
                type=Transaction.Type.REFUND if entry.amount < 0 else Transaction.Type.ADJUSTMENT,
                category="refund",
                description=description or f"Reversal of {locked.description or locked.public_id}",
                counterparty=locked.counterparty,
                merchant_name=locked.merchant_name,
            )
        lines.append(Line(account=entry.account, amount=-entry.amount, transaction=spec))
    holder = locked.wallet.holder
    posting = journal_post(
        kind="reversal",
        lines=lines,
        environment=holder.environment,
        partner=holder.partner,
        description=description or f"Reversal of journal {journal.pk}",
        reverses=journal,
    )
    Transaction.objects.filter(journal=journal).update(status=Transaction.Status.REVERSED)
    return next(t for t in posting.transactions if t.wallet_id == locked.wallet_id)


# --- Money on its way in ----------------------------------------------------------------------------------------
def pending_credit_create_inner(*, wallet: Wallet, amount: int, spec: TransactionSpec) -> Transaction:
    """Show money on its way into ``wallet`` (a top-up the bank rail has not settled yet): a ``pending``
    transaction with no journal. Balances do not change until it posts (``external_credit_inner`` with
    ``spec.existing`` set to it) or is dropped (``pending_credit_cancel_inner``). Locks the wallet (free when the
    caller holds it already), so its events are numbered under the lock like every other writer's."""
    amount = _positive(amount)
    locked = lock_wallets([wallet.pk])[wallet.pk]
    if locked.status != Wallet.Status.ACTIVE:
        raise WalletFrozen(f"Wallet {locked.public_id} is {locked.status}.")
    txn = _pending_transaction(wallet=locked, amount=amount, spec=spec)
    _record("transaction.created", holder=locked.holder, obj=txn, data=transaction_snapshot(txn))
    return txn


def pending_credit_cancel_inner(*, txn: Transaction) -> Transaction:
    """Drop a pending credit that will not arrive: the transaction becomes ``reversed``; balances never
    included it. Refuses (``InvalidStateTransition``) anything but a pending credit without a hold."""
    lock_wallets([txn.wallet_id])
    locked = Transaction.objects.select_for_update(of=("self",)).get(pk=txn.pk)
    if locked.status != Transaction.Status.PENDING or locked.amount <= 0 or hasattr(locked, "hold"):
        raise InvalidStateTransition(f"Transaction {locked.public_id} is not a pending credit.")
    locked.status = Transaction.Status.REVERSED
    locked.save(update_fields=["status", "updated_at"])
    return locked
