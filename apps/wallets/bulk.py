"""Bulk history import: many past journals posted in one transaction, with the invariants of ``journal_post``.

Seeding a sandbox writes months of history for many wallets at once; posting it one ``journal_post`` at a time
costs a dozen queries per transaction. ``history_import`` validates everything first, computes the running
balances in memory and then writes journals, entries and transactions with a few ``bulk_create`` calls:

- every journal balances per currency against a system account (``clearing:card``, ``clearing:bank``, ``fees``,
  ``fx``, ``points_issuance``), so ``reconcile()`` stays clean; PostgreSQL checks them all at the end of the
  entries' ``COPY`` (``ledger.whole_journals``), not once per entry at commit;
- the wallets are locked in primary-key order (``ledger.lock_wallets``) and re-read under the lock; no item may
  take a wallet's ledger or available balance below zero, in booking order;
- transactions are written in booking order, so the posting sequence (the feed's keyset) matches ``booked_at``;
  each carries its ``balance_after``; ``Journal.posted_at`` is the item's booking time;
- pending card payments (the newest items of a wallet) become real holds through ``hold_place_inner``, so they
  can be captured or released later like any other hold.

Imported posted history records no events. Events announce changes as they happen; history is the state a
sandbox starts from. Replaying months of ``transaction.posted`` and ``wallet.balance_updated`` would flood the
partner's webhook endpoints with notifications about the past (hundreds of thousands for a full seed) and double
the rows written; partners read the history through the API. The holds at the end are current state and
record their events like any hold.

History is a sandbox thing: live wallets are refused, because backdated money without events has no place in a
real customer's book.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field, Max, Model

from apps.core import clock
from apps.core.errors import ApplicationError
from apps.core.ids import new_public_ids
from apps.events import services as events
from apps.partners.models import Environment, Partner
from apps.wallets.ledger import (
    SYSTEM_CODES,
    CurrencyMismatch,
    InsufficientFunds,
    TransactionSpec,
    WalletFrozen,
    system_account,
    whole_journals,
)
from apps.wallets.models import Entry, Journal, LedgerAccount, Transaction, Wallet
from apps.wallets.services import hold_place_inner
from apps.wallets.store import lock_wallets
from apps.wallets.validators import HistoryItem, InvalidHistory, history_item_errors

_TYPE_MODIFIER = re.compile(r"\(.*\)")
BATCH_SIZE = 2000


@dataclass(slots=True)
class _Running:
    ledger: int
    available: int


@transaction.atomic(durable=True)
def history_import(*, items: Sequence[HistoryItem]) -> int:
    """Import ``items`` (any number of wallets) in one transaction; returns the number of transactions written.

    Raises ``InvalidHistory`` (400: bad amounts, types, categories, rails, dates in the future or before a
    wallet's newest transaction, pending items that are not the newest of their wallet, a live wallet),
    ``WalletFrozen`` (a wallet is not active), ``InsufficientFunds`` (an item would take a wallet below zero) and
    writes nothing when it raises."""
    return history_import_inner(items=items)


def history_import_inner(*, items: Sequence[HistoryItem]) -> int:
    """``history_import`` inside the caller's transaction (the sandbox seeder imports many holders in one)."""
    if not connection.in_atomic_block:
        raise RuntimeError("history_import_inner must run inside the caller's transaction")
    if not items:
        return 0
    errors = [error for index, item in enumerate(items) for error in history_item_errors(index, item)]
    if errors:
        raise InvalidHistory(f"{len(errors)} problem(s) in the history.", errors=errors)

    wallet_ids = {item.wallet.pk for item in items} | {
        item.counter_wallet.pk for item in items if item.counter_wallet is not None
    }
    # Resolve (creating if needed) the system accounts before locking any wallet: creating one while holding
    # wallet locks could wait on a posting that created the same account and now waits for our wallet.
    needed = {
        (item.rail, wallet.currency, wallet.holder.partner_id): wallet
        for item in items
        if not item.pending
        for wallet in (item.wallet, item.counter_wallet)
        if wallet is not None
    }
    for (rail, currency, _), wallet in needed.items():
        if rail in SYSTEM_CODES and wallet.holder.environment == "sandbox":
            system_account(code=rail, currency=currency, environment="sandbox", partner=wallet.holder.partner)

    wallets = lock_wallets(wallet_ids)
    for wallet in wallets.values():
        if wallet.holder.environment != "sandbox":
            raise InvalidHistory("History can only be imported into sandbox wallets.")
        if wallet.status != Wallet.Status.ACTIVE:
            raise WalletFrozen(f"Wallet {wallet.public_id} is {wallet.status}.")
    if len(wallets) != len(wallet_ids):
        raise InvalidHistory("A wallet of the history does not exist.")

    order = sorted(range(len(items)), key=lambda i: items[i].booked_at)
    _check_times(items, order, wallets)

    running = {pk: _Running(ledger=w.ledger_balance, available=w.available_balance) for pk, w in wallets.items()}
    posted = [i for i in order if not items[i].pending]
    pending = [i for i in order if items[i].pending]
    balances: dict[int, tuple[int, int | None]] = {}
    for index in posted:
        item = items[index]
        after = _apply(index, running, item.wallet.pk, item.amount, wallets)
        counter_after = None
        if item.counter_wallet is not None:
            counter_after = _apply(index, running, item.counter_wallet.pk, item.counter_amount, wallets)
        balances[index] = (after, counter_after)
    for index in pending:  # a hold lowers only the available balance
        item = items[index]
        if running[item.wallet.pk].available + item.amount < 0:
            raise _overdraw(index, wallets[item.wallet.pk], running[item.wallet.pk].available, -item.amount)
        running[item.wallet.pk].available += item.amount

    written = _write_posted(items, posted, balances, wallets)
    with events.batch():  # the holds' events are written together at the end, not two inserts a hold
        for index in pending:
            item = items[index]
            hold_place_inner(
                wallet=wallets[item.wallet.pk],
                amount=-item.amount,
                spec=TransactionSpec(
                    type=item.type,
                    category=item.category,
                    description=item.description,
                    counterparty=item.counterparty,
                    merchant_name=item.merchant_name,
                    value_date=item.value_date,
                    booked_at=item.booked_at,
                ),
            )
    return written + len(pending)


def _check_times(items: Sequence[HistoryItem], order: list[int], wallets: dict[int, Wallet]) -> None:
    """Nothing in the future, nothing before a wallet's newest transaction (the feed's order is the booking
    order), and pending items last in each wallet."""
    nows: dict[int | None, datetime] = {}

    def now_for(partner_id: int | None) -> datetime:
        # One "now" per sandbox for the whole check: its clock only matters to the second.
        if partner_id not in nows:
            environment = None
            if partner_id is not None:
                environment = Environment.objects.filter(partner_id=partner_id, kind="sandbox").first()
            nows[partner_id] = clock.now(environment=environment)
        return nows[partner_id]

    newest = dict(
        Transaction.objects.filter(wallet_id__in=list(wallets))
        .values_list("wallet_id")
        .annotate(newest=Max("booked_at"))
        .values_list("wallet_id", "newest")
    )
    errors: list[dict[str, str]] = []
    seen_pending: set[int] = set()
    for index in order:
        item = items[index]
        if item.booked_at > now_for(wallets[item.wallet.pk].holder.partner_id):
            errors.append(
                {
                    "field": f"items[{index}].booked_at",
                    "code": "booked_in_future",
                    "message": "History cannot be in the future.",
                }
            )
        for wallet_pk in (item.wallet.pk, item.counter_wallet.pk if item.counter_wallet else None):
            if wallet_pk is None:
                continue
            if newest.get(wallet_pk) is not None and item.booked_at < newest[wallet_pk]:
                errors.append(
                    {
                        "field": f"items[{index}].booked_at",
                        "code": "booked_before_newest",
                        "message": "History cannot be older than the wallet's newest transaction.",
                    }
                )
            if wallet_pk in seen_pending and not item.pending:
                errors.append(
                    {
                        "field": f"items[{index}].pending",
                        "code": "pending_not_last",
                        "message": "Pending items must be the newest of their wallet.",
                    }
                )
        if item.pending:
            seen_pending.add(item.wallet.pk)
    if errors:
        raise InvalidHistory(f"{len(errors)} problem(s) in the history.", errors=errors)


def _overdraw(index: int, wallet: Wallet, available: int, required: int) -> ApplicationError:
    return InsufficientFunds(
        f"Item {index} would take wallet {wallet.public_id} below zero: {available} available, {required} needed.",
        extra={"item": index, "wallet": wallet.public_id, "available": available, "required": required},
    )


def _apply(index: int, running: dict[int, _Running], wallet_pk: int, amount: int, wallets: dict[int, Wallet]) -> int:
    state = running[wallet_pk]
    if amount < 0 and (state.available + amount < 0 or state.ledger + amount < 0):
        raise _overdraw(index, wallets[wallet_pk], state.available, -amount)
    state.ledger += amount
    state.available += amount
    return state.ledger


def _write_posted(
    items: Sequence[HistoryItem],
    posted: list[int],
    balances: dict[int, tuple[int, int | None]],
    wallets: dict[int, Wallet],
) -> int:
    if not posted:
        return 0
    accounts: dict[int, int] = {}
    for wallet_pk, account_pk, currency in LedgerAccount.objects.filter(
        kind=LedgerAccount.Kind.WALLET, wallet_id__in=list(wallets)
    ).values_list("wallet_id", "pk", "currency"):
        if currency != wallets[wallet_pk].currency:
            raise CurrencyMismatch(f"Wallet {wallets[wallet_pk].public_id}'s ledger account is in {currency}.")
        accounts[wallet_pk] = account_pk
    missing = [wallet.public_id for pk, wallet in wallets.items() if pk not in accounts]
    if missing:
        raise CurrencyMismatch(f"Wallet {missing[0]} has no ledger account.")
    partners = Partner.objects.in_bulk({wallet.holder.partner_id for wallet in wallets.values()})
    systems: dict[tuple[str, str, int | None], int] = {}

    def system(code: str, wallet: Wallet) -> int:
        key = (code, wallet.currency, wallet.holder.partner_id)
        if key not in systems:
            systems[key] = system_account(
                code=code,
                currency=wallet.currency,
                environment="sandbox",
                partner=partners[wallet.holder.partner_id],
            ).pk
        return systems[key]

    now = clock.now()
    journal_ids = _insert(
        Journal,
        ("kind", "description", "environment", "partner_id", "posted_at"),
        [
            (
                items[i].type,
                items[i].description[:500],
                "sandbox",
                wallets[items[i].wallet.pk].holder.partner_id,
                items[i].booked_at,
            )
            for i in posted
        ],
    )
    entries: list[tuple[Any, ...]] = []
    txns: list[tuple[Any, ...]] = []
    txn_wallets: list[int] = []
    for journal_id, index in zip(journal_ids, posted, strict=True):
        item = items[index]
        after, counter_after = balances[index]
        legs: list[tuple[Wallet, int, int | None]] = [(wallets[item.wallet.pk], item.amount, after)]
        if item.counter_wallet is not None:
            legs.append((wallets[item.counter_wallet.pk], item.counter_amount, counter_after))
        for wallet, amount, balance_after in legs:
            entries.append((journal_id, accounts[wallet.pk], amount, wallet.currency))
            entries.append((journal_id, system(item.rail, wallet), -amount, wallet.currency))
            txns.append(
                (
                    wallet.pk,
                    journal_id,
                    item.type,
                    Transaction.Status.POSTED.value,
                    amount,
                    wallet.currency,
                    item.description[:500],
                    item.counterparty[:200],
                    item.merchant_name[:200],
                    item.category,
                    balance_after,
                    item.booked_at,
                    item.value_date or item.booked_at.date(),
                    now,
                    now,
                )
            )
            txn_wallets.append(wallet.pk)
    with whole_journals():  # one set-based zero-sum check for the lot, not one per entry at commit
        _insert(Entry, ("journal_id", "account_id", "amount", "currency"), entries, returning=False)
    public_ids = new_public_ids("txn", len(txns))
    txn_ids = _insert(
        Transaction,
        (
            "public_id",
            "wallet_id",
            "journal_id",
            "type",
            "status",
            "amount",
            "currency",
            "description",
            "counterparty",
            "merchant_name",
            "category",
            "balance_after",
            "booked_at",
            "value_date",
            "created_at",
            "updated_at",
        ),
        [(public_id, *row) for public_id, row in zip(public_ids, txns, strict=True)],
    )

    # Rows went in booking order, so each wallet's last row is its newest transaction.
    last: dict[int, tuple[int, int]] = {}
    for wallet_pk, txn_id, row in zip(txn_wallets, txn_ids, txns, strict=True):
        last[wallet_pk] = (txn_id, row[10])
    changed = []
    for wallet_pk, (txn_id, balance_after) in last.items():
        wallet = wallets[wallet_pk]
        # Posted history moves the ledger and the available balance alike; holds already placed stay.
        wallet.available_balance += balance_after - wallet.ledger_balance
        wallet.ledger_balance = balance_after
        wallet.last_transaction_id = txn_id
        wallet.updated_at = now
        changed.append(wallet)
    Wallet.objects.bulk_update(
        changed, ["ledger_balance", "available_balance", "last_transaction", "updated_at"], batch_size=BATCH_SIZE
    )
    return len(txns)


def _insert(
    model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]], *, returning: bool = True
) -> list[int]:
    """Insert ``rows`` (values in ``fields`` order) and return their primary keys in row order.

    PostgreSQL: ``COPY`` (several times faster than ``bulk_create``: no model instances, no per-field
    preparation) with keys drawn from the table's sequence first, in ascending order, so keys follow the rows.
    Elsewhere: ``bulk_create``, which returns keys where the backend can (SQLite 3.35+); otherwise one insert a
    row.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy(model, fields, rows, returning=returning)
    objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        for obj in objects:
            obj.save(force_insert=True)
    else:
        model._default_manager.bulk_create(objects, batch_size=BATCH_SIZE)
    return [obj.pk for obj in objects] if returning else []


def _copy(model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]], *, returning: bool) -> list[int]:
    meta = model._meta
    quote = connection.ops.quote_name
    model_fields = [cast(Field, meta.get_field(name)) for name in fields]
    columns = [str(field.column) for field in model_fields]
    # Binary COPY (several times faster than text) needs each column's type: "varchar(20)" -> "varchar".
    types = [_TYPE_MODIFIER.sub("", field.db_type(connection) or "") for field in model_fields]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            assert meta.pk is not None
            pk = str(meta.pk.column)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk, len(rows)],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
            columns.insert(0, pk)
            types.insert(0, _TYPE_MODIFIER.sub("", meta.pk.db_type(connection) or ""))
        # Identifiers come from the model's metadata, quoted; the values travel in COPY's data stream.
        statement = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
        with cursor.cursor.copy(statement) as copy:
            copy.set_types(types)
            if returning:
                for key, row in zip(ids, rows, strict=True):
                    copy.write_row((key, *row))
            else:
                for row in rows:
                    copy.write_row(row)
    return ids
