"""The book: posting balanced journals, holds, reversals and reconciliation.

``journal_post`` is the one way money moves. It runs inside the caller's transaction (entry-point services
open it with ``durable=True``), locks every wallet it touches in primary-key order with
``select_for_update(of=("self",), no_key=True)``, re-reads their balances under the lock, refuses to take a
holder wallet below zero, writes the journal, its entries and the wallets' transactions, updates the cached
balances and records the events: all in that one transaction.
"""

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction

from apps.core import clock
from apps.core import store as rows
from apps.core.errors import InvalidStateTransition as InvalidStateTransition  # callers import it from here too
from apps.core.errors import error_type
from apps.events.models import Event
from apps.events.services import build as build_event
from apps.partners.models import Environment, Partner
from apps.wallets import currencies, store
from apps.wallets.models import Entry, Journal, LedgerAccount, Transaction, Wallet
from apps.wallets.store import Posting

# System account codes: clearing per external rail, fees, FX, points issuance.
CLEARING_BANK = "clearing:bank"
CLEARING_CARD = "clearing:card"
FEES = "fees"
FX = "fx"
POINTS_ISSUANCE = "points_issuance"
# Offers (apps.offers): a partner environment's reward budget, and the points it took back into its programme.
OFFERS_FUNDING = "offers_funding"
POINTS_REDEMPTION = "points_redemption"
SYSTEM_CODES = frozenset({CLEARING_BANK, CLEARING_CARD, FEES, FX, POINTS_ISSUANCE, OFFERS_FUNDING, POINTS_REDEMPTION})


InsufficientFunds = error_type(
    "InsufficientFunds",
    "insufficient_funds",
    422,
    "Insufficient funds",
    "The wallet's available balance does not cover this amount.",
)
WalletFrozen = error_type("WalletFrozen", "wallet_frozen", 422, "Wallet not active", "The wallet is frozen or closed.")
UnbalancedJournal = error_type(
    "UnbalancedJournal",
    "journal_unbalanced",
    422,
    "Unbalanced journal",
    doc="A programming error surfaced as a domain error: the lines do not sum to zero per currency.",
)
CurrencyMismatch = error_type("CurrencyMismatch", "currency_mismatch", 422, "Currency mismatch")
PointsNotTransferable = error_type(
    "PointsNotTransferable",
    "points_not_transferable",
    422,
    "Points cannot be sent",
    "Loyalty points (XPT) stay with their holder: they cannot be sent to another holder.",
)


# --- The sandbox purge switch ---------------------------------------------------------------------------------
_purge = threading.local()


def sqlite_purge_allowed() -> int:
    """SQL function for the SQLite delete trigger: 1 only inside ``sandbox_purge_allowed()``."""
    return 1 if getattr(_purge, "allowed", False) else 0


@contextmanager
def sandbox_purge_allowed() -> Iterator[None]:
    """Let this transaction delete ledger entries: the sandbox reset path only, never anything else."""
    if not connection.in_atomic_block:
        raise RuntimeError("the ledger purge switch is per transaction: open one first")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL causeway.ledger_purge = 'on'")
    _purge.allowed = True
    try:
        yield
    finally:
        _purge.allowed = False
        if connection.vendor == "postgresql" and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL causeway.ledger_purge = 'off'")


@contextmanager
def whole_journals() -> Iterator[None]:
    """The statements run inside write entries that balance on their own, journal by journal (whole journals): on
    PostgreSQL each statement's rows are checked at its end, set-based (zero per currency and two or more per
    journal), instead of one deferred check per entry at commit (migration ``wallets.0005``, which explains why
    every committed journal still balances)."""
    if not connection.in_atomic_block:
        raise RuntimeError("the whole-journal switch is per transaction: open one first")
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL causeway.ledger_whole_journals = 'on'")
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL causeway.ledger_whole_journals = 'off'")


# --- Accounts ---------------------------------------------------------------------------------------------------
def system_account(*, code: str, currency: str, environment: str, partner: Partner | None) -> LedgerAccount:
    """The system account ``code`` in ``currency`` (created on first use; safe against a concurrent creator)."""
    if code not in SYSTEM_CODES:
        raise ValueError(f"unknown system account {code!r}")
    lookup = {"kind": LedgerAccount.Kind.SYSTEM, "code": code, "currency": currency, "environment": environment}
    account = LedgerAccount.objects.filter(partner=partner, **lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(partner=partner, **lookup)
    except IntegrityError:
        return LedgerAccount.objects.get(partner=partner, **lookup)


# --- Posting ----------------------------------------------------------------------------------------------------
@dataclass
class Line:
    """One entry to post: ``amount`` (signed, minor units) on ``account``. ``transaction`` describes how a
    wallet line appears to partners; system lines have none."""

    account: LedgerAccount
    amount: int
    transaction: "TransactionSpec | None" = None


@dataclass
class TransactionSpec:
    type: str
    category: str
    description: str = ""
    counterparty: str = ""
    merchant_name: str = ""
    value_date: date | None = None
    booked_at: datetime | None = None
    # An existing pending transaction (a captured hold) to post instead of creating a new one.
    existing: Transaction | None = None


def _wallet_id(line: Line) -> int:
    wallet_id = line.account.wallet_id
    if wallet_id is None:
        raise ValueError("not a wallet line")
    return wallet_id


def _check_balanced(lines: list[Line]) -> None:
    if len(lines) < 2:
        raise UnbalancedJournal("A journal needs at least two entries.")
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.amount == 0:
            raise UnbalancedJournal("Entries must not be zero.")
        if not currencies.is_supported(line.account.currency):
            raise CurrencyMismatch(f"Unsupported currency {line.account.currency!r}.")
        totals[line.account.currency] += line.amount
    unbalanced = sorted(c for c, total in totals.items() if total != 0)
    if unbalanced:
        raise UnbalancedJournal(f"The entries do not sum to zero in {', '.join(unbalanced)}.")


def _partner_environment(partner: Partner | None, environment: str) -> Environment | None:
    if partner is None:
        return None
    return partner.environments.filter(kind=environment).first()


def journal_post(
    *,
    kind: str,
    lines: list[Line],
    environment: str,
    partner: Partner | None,
    description: str = "",
    reverses: Journal | None = None,
    record_events: bool = True,
    allow_inactive: bool = False,
    locked: dict[int, Wallet] | None = None,
    partner_environment: Environment | None = None,
) -> Posting:
    """Post one balanced journal: ``journal_build``, then write it at once (``apps.wallets.store.post``). Must run
    inside a transaction (it is an inner helper: callers are durable entry-point services). Raises what
    ``journal_build`` raises."""
    posting = journal_build(
        kind=kind,
        lines=lines,
        environment=environment,
        partner=partner,
        description=description,
        reverses=reverses,
        record_events=record_events,
        allow_inactive=allow_inactive,
        locked=locked,
        partner_environment=partner_environment,
    )
    store.post(posting)
    return posting


def journal_build(
    *,
    kind: str,
    lines: list[Line],
    environment: str,
    partner: Partner | None,
    description: str = "",
    reverses: Journal | None = None,
    record_events: bool = True,
    allow_inactive: bool = False,
    locked: dict[int, Wallet] | None = None,
    partner_environment: Environment | None = None,
) -> Posting:
    """Check and build one balanced journal, unwritten: the caller hands it to ``apps.wallets.store.post`` (with
    rows of its own) in the same transaction. Raises ``UnbalancedJournal``, ``CurrencyMismatch``,
    ``InsufficientFunds`` (a holder wallet would go below zero, or below its holds on a debit) and
    ``WalletFrozen`` before building anything.

    The wallets are locked here in primary-key order, unless the caller already locked them (``locked``, by
    primary key, from ``apps.wallets.store``); their balances are changed on the locked instances.
    ``partner_environment``: the partner's ``Environment`` row, when the caller has it, so it is not looked up."""
    if not connection.in_atomic_block:
        raise RuntimeError("a journal is posted inside the caller's transaction")
    _check_balanced(lines)
    wallet_lines = [line for line in lines if line.account.kind == LedgerAccount.Kind.WALLET]
    wallet_ids = {_wallet_id(line) for line in wallet_lines}
    if locked is not None and wallet_ids <= locked.keys():
        wallets = {pk: locked[pk] for pk in sorted(wallet_ids)}
    else:
        wallets = store.lock_wallets(wallet_ids)
    deltas: dict[int, int] = defaultdict(int)
    for line in wallet_lines:
        wallet = wallets[_wallet_id(line)]
        if line.account.currency != wallet.currency:
            raise CurrencyMismatch("An entry's currency differs from its wallet's.")
        deltas[wallet.pk] += line.amount
    points_holders = {
        wallets[_wallet_id(line)].holder_id for line in wallet_lines if line.account.currency == currencies.POINTS
    }
    if len(points_holders) > 1:
        raise PointsNotTransferable()
    for wallet_pk, delta in deltas.items():
        wallet = wallets[wallet_pk]
        if wallet.status != Wallet.Status.ACTIVE and not allow_inactive:
            raise WalletFrozen(f"Wallet {wallet.public_id} is {wallet.status}.")
        if delta < 0 and wallet.available_balance + delta < 0:
            raise InsufficientFunds(
                f"Wallet {wallet.public_id} has {wallet.available_balance} available; {-delta} is needed.",
                extra={"wallet": wallet.public_id, "available": wallet.available_balance, "required": -delta},
            )
        if wallet.ledger_balance + delta < 0:
            raise InsufficientFunds(f"Wallet {wallet.public_id} would go below zero.")

    env = partner_environment if partner_environment is not None else _partner_environment(partner, environment)
    now = clock.now(environment=env)
    journal = rows.new(
        Journal,
        kind=kind,
        description=description[:500],
        environment=environment,
        partner=partner,
        reverses=reverses,
        posted_at=now,
    )
    entries = [
        rows.new(Entry, journal=journal, account=line.account, amount=line.amount, currency=line.account.currency)
        for line in lines
    ]
    posted: list[Transaction] = []
    new: list[Transaction] = []
    for line in wallet_lines:
        wallet = wallets[_wallet_id(line)]
        wallet.ledger_balance += line.amount
        wallet.available_balance += line.amount
        spec = line.transaction or TransactionSpec(type=Transaction.Type.ADJUSTMENT, category="other")
        txn = _post_transaction(wallet=wallet, journal=journal, amount=line.amount, spec=spec, now=now)
        if spec.existing is None:
            new.append(txn)
        wallet.last_transaction = txn
        posted.append(txn)
    posting = Posting(
        journal=journal, entries=entries, transactions=posted, new_transactions=new, wallets=list(wallets.values())
    )
    if record_events and partner is not None and env is not None:
        posting.events = _posting_events(partner=partner, environment=env, posting=posting)
    return posting


def _post_transaction(
    *, wallet: Wallet, journal: Journal, amount: int, spec: TransactionSpec, now: datetime
) -> Transaction:
    """The existing pending transaction ``spec.existing``, now posted, or a new posted transaction (both
    unwritten)."""
    if spec.existing is not None:
        txn = spec.existing
        txn.journal, txn.status, txn.amount = journal, Transaction.Status.POSTED, amount
        txn.balance_after = wallet.ledger_balance
        return txn
    return build_transaction(
        wallet=wallet,
        amount=amount,
        spec=spec,
        status=Transaction.Status.POSTED,
        now=now,
        journal=journal,
        balance_after=wallet.ledger_balance,
    )


def build_transaction(
    *,
    wallet: Wallet,
    amount: int,
    spec: TransactionSpec,
    status: str,
    now: datetime,
    journal: Journal | None = None,
    balance_after: int | None = None,
) -> Transaction:
    """An unsaved transaction of ``wallet`` as ``spec`` describes it, booked at ``spec.booked_at`` or ``now``
    (texts cut to their columns)."""
    booked_at = spec.booked_at or now
    return rows.new(
        Transaction,
        wallet=wallet,
        journal=journal,
        type=spec.type,
        status=status,
        amount=amount,
        currency=wallet.currency,
        description=spec.description[:500],
        counterparty=spec.counterparty[:200],
        merchant_name=spec.merchant_name[:200],
        category=spec.category,
        balance_after=balance_after,
        booked_at=booked_at,
        value_date=spec.value_date or booked_at.date(),
    )


def _posting_events(*, partner: Partner, environment: Environment, posting: Posting) -> list[Event]:
    from apps.wallets.snapshots import transaction_snapshot, wallet_snapshot

    built = []
    for txn in posting.transactions:
        snapshot = transaction_snapshot(txn)
        # A transaction that appears already posted is announced as created, then as posted (a captured hold
        # was announced as created when it was placed).
        if txn in posting.new_transactions:
            built.append(
                build_event(
                    type="transaction.created", partner=partner, environment=environment, obj=txn, data=snapshot
                )
            )
        built.append(
            build_event(type="transaction.posted", partner=partner, environment=environment, obj=txn, data=snapshot)
        )
    for wallet in posting.wallets:
        built.append(
            build_event(
                type="wallet.balance_updated",
                partner=partner,
                environment=environment,
                obj=wallet,
                data=wallet_snapshot(wallet),
            )
        )
    return built


def wallet_account(wallet: Wallet) -> LedgerAccount:
    """The wallet's ledger account (no query when the wallet came from the ledger store's locks, which join it)."""
    return wallet.account
