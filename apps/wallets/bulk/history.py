"""``history_import``: validate the items, lock the wallets, compute the running balances in booking order, then
write the posted history (``apps.wallets.bulk.rows``) and place the pending card payments as holds."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from apps.core import clock
from apps.core.errors import ApplicationError
from apps.partners.models import Environment
from apps.wallets.bulk.rows import write_posted
from apps.wallets.ledger import SYSTEM_CODES, InsufficientFunds, TransactionSpec, WalletFrozen, system_account
from apps.wallets.models import Transaction, Wallet
from apps.wallets.services import holds_place_inner
from apps.wallets.store import lock_wallets
from apps.wallets.validators import HistoryItem, InvalidHistory, history_item_errors


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

    # Per wallet, not per item: a model's ``pk`` property and related-object lookups cost more than the rest of
    # the loop at hundreds of thousands of items, so the hot loops below read the plain ``id`` attribute.
    unlocked = {item.wallet.id: item.wallet for item in items}
    unlocked.update({item.counter_wallet.id: item.counter_wallet for item in items if item.counter_wallet})
    rails = {(item.rail, item.wallet.id) for item in items if not item.pending}
    rails.update((item.rail, item.counter_wallet.id) for item in items if item.counter_wallet)
    # Resolve (creating if needed) the system accounts before locking any wallet: creating one while holding
    # wallet locks could wait on a posting that created the same account and now waits for our wallet.
    needed = {(rail, unlocked[pk].currency, unlocked[pk].holder.partner_id): unlocked[pk] for rail, pk in rails}
    for (rail, currency, _), wallet in needed.items():
        if rail in SYSTEM_CODES and wallet.holder.environment == "sandbox":
            system_account(code=rail, currency=currency, environment="sandbox", partner=wallet.holder.partner)

    wallets = lock_wallets(unlocked)
    for wallet in wallets.values():
        if wallet.holder.environment != "sandbox":
            raise InvalidHistory("History can only be imported into sandbox wallets.")
        if wallet.status != Wallet.Status.ACTIVE:
            raise WalletFrozen(f"Wallet {wallet.public_id} is {wallet.status}.")
    if len(wallets) != len(unlocked):
        raise InvalidHistory("A wallet of the history does not exist.")

    order = sorted(range(len(items)), key=lambda i: items[i].booked_at)
    _check_times(items, order, wallets)

    running = {pk: _Running(ledger=w.ledger_balance, available=w.available_balance) for pk, w in wallets.items()}
    posted = [i for i in order if not items[i].pending]
    pending = [i for i in order if items[i].pending]
    balances: dict[int, tuple[int, int | None]] = {}
    for index in posted:
        item = items[index]
        after = _apply(index, running, item.wallet.id, item.amount, wallets)
        counter_after = None
        if item.counter_wallet is not None:
            counter_after = _apply(index, running, item.counter_wallet.id, item.counter_amount, wallets)
        balances[index] = (after, counter_after)
    for index in pending:  # a hold lowers only the available balance
        item = items[index]
        if running[item.wallet.id].available + item.amount < 0:
            raise _overdraw(index, wallets[item.wallet.id], running[item.wallet.id].available, -item.amount)
        running[item.wallet.id].available += item.amount

    written = write_posted(items, posted, balances, wallets)
    # The pending card payments, newest of their wallets, become real holds (one write for all of them).
    holds_place_inner(
        placements=[
            (
                wallets[item.wallet.id],
                -item.amount,
                TransactionSpec(
                    type=item.type,
                    category=item.category,
                    description=item.description,
                    counterparty=item.counterparty,
                    merchant_name=item.merchant_name,
                    value_date=item.value_date,
                    booked_at=item.booked_at,
                ),
            )
            for item in (items[index] for index in pending)
        ]
    )
    return written + len(pending)


def _check_times(items: Sequence[HistoryItem], order: list[int], wallets: dict[int, Wallet]) -> None:
    """Nothing in the future, nothing before a wallet's newest transaction (the feed's order is the booking
    order), and pending items last in each wallet."""
    # One "now" per sandbox for the whole check (its clock only matters to the second), read once per wallet.
    nows: dict[int | None, datetime] = {}
    for partner_id in {wallet.holder.partner_id for wallet in wallets.values()}:
        environment = None
        if partner_id is not None:
            environment = Environment.objects.filter(partner_id=partner_id, kind="sandbox").first()
        nows[partner_id] = clock.now(environment=environment)
    now_of = {pk: nows[wallet.holder.partner_id] for pk, wallet in wallets.items()}
    # One index probe per wallet (its newest row in ``wallets_txn_booked``), whatever its history or the table's
    # statistics: a grouped MAX over the wallets' rows reads every row of theirs, or the whole table when the
    # planner, misled by a table that grew during the seed, scans it.
    latest = Transaction.objects.filter(wallet=OuterRef("pk")).order_by("-booked_at").values("booked_at")[:1]
    newest = {
        pk: moment
        for pk, moment in Wallet.objects.filter(pk__in=list(wallets))
        .annotate(newest=Subquery(latest))
        .values_list("pk", "newest")
        if moment is not None
    }
    errors: list[dict[str, str]] = []
    seen_pending: set[int] = set()
    for index in order:
        item = items[index]
        wallet_pk = item.wallet.id
        if item.booked_at > now_of[wallet_pk]:
            errors.append(
                {
                    "field": f"items[{index}].booked_at",
                    "code": "booked_in_future",
                    "message": "History cannot be in the future.",
                }
            )
        for pk in (wallet_pk, item.counter_wallet.id) if item.counter_wallet else (wallet_pk,):
            if pk in newest and item.booked_at < newest[pk]:
                errors.append(
                    {
                        "field": f"items[{index}].booked_at",
                        "code": "booked_before_newest",
                        "message": "History cannot be older than the wallet's newest transaction.",
                    }
                )
            if pk in seen_pending and not item.pending:
                errors.append(
                    {
                        "field": f"items[{index}].pending",
                        "code": "pending_not_last",
                        "message": "Pending items must be the newest of their wallet.",
                    }
                )
        if item.pending:
            seen_pending.add(wallet_pk)
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
