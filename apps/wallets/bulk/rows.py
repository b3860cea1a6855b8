"""Writing imported history: journals, entries and posted transactions in bulk, then the wallets' balances.

On PostgreSQL the rows go in by binary ``COPY`` with keys drawn from the sequences first (``insert_rows``);
elsewhere by ``bulk_create``. The entries are checked for balance at the end of their ``COPY``
(``ledger.whole_journals``). Callers hand plain values in field order; no SQL text leaves this module.
"""

import re
from collections.abc import Sequence
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model

from apps.core import clock, store
from apps.core.ids import new_public_ids
from apps.partners.models import Partner
from apps.wallets.ledger import CurrencyMismatch, system_account, whole_journals
from apps.wallets.models import Entry, Journal, LedgerAccount, Transaction, Wallet
from apps.wallets.validators import HistoryItem

_TYPE_MODIFIER = re.compile(r"\(.*\)")
BATCH_SIZE = 2000
TRANSACTION_FIELDS = (
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
)


def write_posted(
    items: Sequence[HistoryItem],
    posted: list[int],
    balances: dict[int, tuple[int, int | None]],
    wallets: dict[int, Wallet],
) -> int:
    """Write the posted ``items`` (indexes in booking order) of the locked ``wallets``, each transaction with its
    ``balance_after`` from ``balances``, and the wallets' new balances and newest transaction; returns the number
    of transactions written."""
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
    partner_of = {pk: wallet.holder.partner_id for pk, wallet in wallets.items()}
    currency_of = {pk: wallet.currency for pk, wallet in wallets.items()}
    partners = Partner.objects.in_bulk(set(partner_of.values()))
    by_account: dict[tuple[str, str, int | None], int] = {}
    systems: dict[tuple[str, int], int] = {}  # (rail, wallet) -> the system account the wallet's items meet

    def system(code: str, wallet_pk: int) -> int:
        key = (code, currency_of[wallet_pk], partner_of[wallet_pk])
        if key not in by_account:
            partner = partners[key[2]] if key[2] is not None else None
            by_account[key] = system_account(code=code, currency=key[1], environment="sandbox", partner=partner).pk
        systems[code, wallet_pk] = by_account[key]
        return by_account[key]

    now = clock.now()
    journal_ids = insert_rows(
        Journal,
        ("kind", "description", "environment", "partner_id", "posted_at"),
        [
            (item.type, item.description[:500], "sandbox", partner_of[item.wallet.id], item.booked_at)
            for item in (items[index] for index in posted)
        ],
    )
    entries: list[tuple[Any, ...]] = []
    txns: list[tuple[Any, ...]] = []
    posted_status = Transaction.Status.POSTED.value
    for journal_id, index in zip(journal_ids, posted, strict=True):
        item = items[index]
        after, counter_after = balances[index]
        legs: list[tuple[int, int, int | None]] = [(item.wallet.id, item.amount, after)]
        if item.counter_wallet is not None:
            legs.append((item.counter_wallet.id, item.counter_amount, counter_after))
        description, counterparty, merchant = item.description[:500], item.counterparty[:200], item.merchant_name[:200]
        value_date = item.value_date or item.booked_at.date()
        for wallet_pk, amount, balance_after in legs:
            currency = currency_of[wallet_pk]
            system_pk = systems.get((item.rail, wallet_pk)) or system(item.rail, wallet_pk)
            entries.append((journal_id, accounts[wallet_pk], amount, currency))
            entries.append((journal_id, system_pk, -amount, currency))
            txns.append(
                (
                    wallet_pk,
                    journal_id,
                    item.type,
                    posted_status,
                    amount,
                    currency,
                    description,
                    counterparty,
                    merchant,
                    item.category,
                    balance_after,
                    item.booked_at,
                    value_date,
                    now,
                    now,
                )
            )
    with whole_journals():  # one set-based zero-sum check for the lot, not one per entry at commit
        insert_rows(Entry, ("journal_id", "account_id", "amount", "currency"), entries, returning=False)
    public_ids = new_public_ids("txn", len(txns))
    txn_ids = insert_rows(
        Transaction, TRANSACTION_FIELDS, [(public_id, *row) for public_id, row in zip(public_ids, txns, strict=True)]
    )

    # Rows went in booking order, so each wallet's last row is its newest transaction.
    last = {row[0]: (txn_id, row[10]) for txn_id, row in zip(txn_ids, txns, strict=True)}
    changed = []
    for wallet_pk, (txn_id, balance_after) in last.items():
        wallet = wallets[wallet_pk]
        # Posted history moves the ledger and the available balance alike; holds already placed stay.
        wallet.available_balance += balance_after - wallet.ledger_balance
        wallet.ledger_balance = balance_after
        wallet.last_transaction_id = txn_id
        changed.append(wallet)
    store.write(store.Update(changed, ("ledger_balance", "available_balance", "last_transaction", "updated_at")))
    return len(txns)


def insert_rows(
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
