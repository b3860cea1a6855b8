"""The ledger store: the two things the money path asks of the database, behind a narrow interface.

- ``lock_wallets(ids)`` / ``lock_visible_wallets(principal, public_ids)``: lock wallets in primary-key order
  (``FOR NO KEY UPDATE``), each returned with its holder and ledger account, re-read under the lock. Who may see a
  wallet is the selectors' rule (``apps.wallets.selectors.wallet_visibility``), compiled by the ORM once per shape
  of principal and number of ids and cached; a call fills the cached statement in with its own values.
- ``post(posting, rows=..., updates=..., events=...)``: write a posting (a journal, its entries, the wallets'
  transactions and new balances, built by ``apps.wallets.ledger``) together with the caller's own rows and guarded
  updates and the events that describe them, in one ``apps.core.store.write`` (one round trip on PostgreSQL), then
  let the layers above the outbox act on the events (webhook deliveries) in the same transaction, and the hooks
  registered with ``add_posted_hook`` note the posting (transaction monitoring, after commit).

Everything else on the money path reads and writes through the ORM.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Model

from apps.core import store
from apps.core.principal import Principal
from apps.events import services as events
from apps.events.models import Event
from apps.partners.models import Partner
from apps.wallets.models import Entry, Journal, LedgerAccount, Transaction, Wallet, WalletHolder
from apps.wallets.selectors import wallet_visibility

# What a posting changes on each wallet it touches, and on a pending transaction it posts.
WALLET_BALANCE_FIELDS = ("ledger_balance", "available_balance", "last_transaction", "updated_at")
POSTED_TRANSACTION_FIELDS = ("journal", "status", "amount", "balance_after", "updated_at")


@dataclass
class Posting:
    """A balanced journal ready to be written: what ``post`` writes, in this order."""

    journal: Journal
    transactions: list[Transaction]  # every transaction the journal posts, in line order
    entries: list[Entry] = field(default_factory=list)
    new_transactions: list[Transaction] = field(default_factory=list)  # those of them created by this posting
    wallets: list[Wallet] = field(default_factory=list)  # their balances changed
    events: list[Event] = field(default_factory=list)


def post(
    posting: Posting | None = None,
    *,
    rows: Sequence[Sequence[Model]] = (),
    updates: Sequence[store.Update | store.Increment] = (),
    events_: Sequence[Event] = (),
) -> None:
    """Write ``posting`` (if any), then ``rows`` (groups of new instances of one model each, in order), then
    ``updates`` (guarded updates, counters), then the posting's events and ``events_``, all at once; then run the
    outbox's hooks for the events. Must run inside the transaction that locked the posting's wallets.
    ``store.Update.on_miss`` errors and database errors are raised here."""
    changes: list[store.Insert | store.Update | store.Increment] = []
    recorded = list(events_)
    if posting is not None:
        existing = [txn for txn in posting.transactions if txn not in posting.new_transactions]
        changes += [
            store.Insert([posting.journal]),
            store.Insert(posting.entries),
            store.Insert(posting.new_transactions),
            store.Update(existing, POSTED_TRANSACTION_FIELDS),
            store.Update(posting.wallets, WALLET_BALANCE_FIELDS),
        ]
        recorded = posting.events + recorded
    changes += [store.Insert(group) for group in rows]
    changes += updates
    if events.hand_to_batch(recorded):
        recorded = []  # the open events.batch() writes them when it ends
    changes.append(events.insert_of(recorded))
    store.write(*changes)
    events.written(recorded)
    if posting is not None:
        for hook in _posted_hooks:
            hook(posting)


# A layer above acts on every posting once it commits (apps.risk's transaction monitoring) without the wallets
# importing it: a hook registered at start-up sees each posting right after it is written, inside the writer's
# transaction, and must do no more than note it (an ``on_commit`` callback): it runs while the wallets are locked.
PostedHook = Callable[[Posting], object]
_posted_hooks: list[PostedHook] = []


def add_posted_hook(hook: PostedHook) -> None:
    """Register ``hook(posting)`` (at start-up): called for every posting ``post`` writes, in its transaction."""
    if hook not in _posted_hooks:
        _posted_hooks.append(hook)


# --- Locks ------------------------------------------------------------------------------------------------------
# Sentinels stand for a call's values while a lock is compiled for its shape (apps.core.store.compile).
_KEY = -(10**15)
_WALLET_NAMES = tuple(f.attname for f in Wallet._meta.concrete_fields)
_HOLDER_NAMES = tuple(f.attname for f in WalletHolder._meta.concrete_fields)
_ACCOUNT_NAMES = tuple(f.attname for f in LedgerAccount._meta.concrete_fields)


def _locking(queryset: Any) -> Any:
    columns = (
        *_WALLET_NAMES,
        *(f"holder__{name}" for name in _HOLDER_NAMES),
        *(f"account__{name}" for name in _ACCOUNT_NAMES),
    )
    return queryset.select_for_update(of=("self",), no_key=True).order_by("pk").values_list(*columns)


@lru_cache(maxsize=256)
def _by_key(count: int) -> store.Compiled:
    keys = [_KEY - n for n in range(count)]
    return store.compile(_locking(Wallet.objects.filter(pk__in=keys)), keys)


@dataclass(frozen=True)
class _Environment:
    kind: str


@lru_cache(maxsize=256)
def _visible(kind: str, partner: bool, holder: bool, consented: int | None, count: int) -> store.Compiled:
    """The lock of ``count`` wallets by public id among those a principal of this shape may see: in an environment
    of ``kind``, with or without a partner and a holder, limited to ``consented`` wallets (None: not limited)."""
    sentinels: list[Any] = []

    def stand_in(value: Any) -> Any:
        sentinels.append(value)
        return value

    principal = Principal(
        partner=Partner(pk=stand_in(_KEY)) if partner else None,
        environment=_Environment(kind),
        credential_type="",
        credential_id="",
        holder=WalletHolder(pk=stand_in(_KEY - 1)) if holder else None,
        wallet_ids=None if consented is None else frozenset(stand_in(f"\x01c{n:06d}") for n in range(consented)),
    )
    ids = [stand_in(f"\x01w{n:06d}") for n in range(count)]
    return store.compile(_locking(Wallet.objects.filter(wallet_visibility(principal), public_id__in=ids)), sentinels)


# A layer above may post to more wallets inside a posting's transaction (an offer's points reward into the holder's
# points wallet, from the card payment's record hook). Those wallets must be locked with the posting's own, in the
# one primary-key order, not after them: a hook registered here names them for the postings that ask
# (``lock_wallets(..., companions=True)``: card captures and reversals).
LockCompanions = Callable[[list[int]], Iterable[int]]
_companions: list[LockCompanions] = []


def add_lock_companions(hook: LockCompanions) -> None:
    """Register ``hook(wallet_ids) -> more wallet ids`` (at start-up): the wallets a posting of ``wallet_ids`` may
    also touch through the layers above, locked together with them."""
    if hook not in _companions:
        _companions.append(hook)


def lock_wallets(ids: Iterable[int], *, companions: bool = False) -> dict[int, Wallet]:
    """Lock the wallets with primary keys ``ids`` in key order; return them re-read under the lock, by key. With
    ``companions``, the registered hooks' wallets for them are locked in the same statement (and returned too)."""
    keys = sorted(set(ids))
    if companions and keys:
        named = {pk for hook in _companions for pk in hook(keys)}
        keys = sorted(named.union(keys))
    if not keys:
        return {}
    return {wallet.pk: wallet for wallet in _lock(_by_key(len(keys)), keys)}


def lock_visible_wallets(principal: Principal, public_ids: Iterable[str]) -> dict[str, Wallet]:
    """Lock the wallets among ``public_ids`` that ``principal`` may see, in key order; return them by public id
    (one it may not see is simply missing)."""
    ids = sorted(set(public_ids))
    consented = None if principal.wallet_ids is None else sorted(principal.wallet_ids)
    if not ids or consented == []:
        return {}
    compiled = _visible(
        principal.environment.kind,
        principal.partner is not None,
        principal.holder is not None,
        None if consented is None else len(consented),
        len(ids),
    )
    values: list[Any] = []
    if principal.partner is not None:
        values.append(principal.partner.pk)
    if principal.holder is not None:
        values.append(principal.holder.pk)
    values += (consented or []) + ids
    return {wallet.public_id: wallet for wallet in _lock(compiled, values)}


def _lock(compiled: store.Compiled, values: list[Any]) -> list[Wallet]:
    alias = connection.alias
    ends = (len(_WALLET_NAMES), len(_WALLET_NAMES) + len(_HOLDER_NAMES))
    holder_field, account_field = Wallet._meta.get_field("holder"), Wallet._meta.get_field("account")
    wallet_field = LedgerAccount._meta.get_field("wallet")
    wallets = []
    for row in store.run(compiled, values):
        wallet = Wallet.from_db(alias, _WALLET_NAMES, row[: ends[0]])
        holder_field.set_cached_value(wallet, WalletHolder.from_db(alias, _HOLDER_NAMES, row[ends[0] : ends[1]]))
        account = None
        if row[ends[1]] is not None:
            account = LedgerAccount.from_db(alias, _ACCOUNT_NAMES, row[ends[1] :])
            wallet_field.set_cached_value(account, wallet)
        account_field.set_cached_value(wallet, account)
        wallets.append(wallet)
    return wallets
