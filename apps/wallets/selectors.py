"""Reads of holders, wallets, balances and transactions. Every read takes the ``Principal``: what it may see is
decided here and nowhere else, and anything it may not see does not exist (``NotFound``, 404).

Visibility:

- Always the principal's environment (a sandbox credential never sees live holders, and the reverse).
- A partner-level credential (a secret key; later a client-credentials token) sees the holders of its own
  partner. Live holders have no partner, so in live it sees none: live holder data needs the holder's consent.
- A holder-bound credential (an OAuth access token, once consents exist) sees only ``principal.holder`` and,
  when ``principal.wallet_ids`` is set, only those wallets and their transactions.

Scopes are the view's business, except for the rule of who counts as holding the holder-data read scopes,
which is ``holder_data_scopes`` below.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from apps.core import clock
from apps.core.errors import NotFound, referenced_object_missing
from apps.core.principal import Principal
from apps.core.scopes import SANDBOX_WRITE, USER_DELEGATED
from apps.wallets.models import Transaction, Wallet, WalletHolder


def holder_data_scopes(principal: Principal) -> frozenset[str]:
    """The scopes ``principal`` holds over holder data (reading it, and moving its money).

    Holder-bound credentials (OAuth tokens) carry what the holder consented to. A partner-level credential
    carries no user-delegated scope, except in sandbox: there the holders are the partner's own fake personas,
    so a credential allowed to manage the sandbox (``sandbox:write``, which every unrestricted secret key has)
    acts on them as if it held every user-delegated scope (``apps.core.scopes.USER_DELEGATED``:
    ``accounts:read``, ``balances:read``, ``transactions:read``, ``transfers:read`` and ``transfers:write``).
    In live it gets none: live holders are reached only with a token bound to the holder's consent. That holds for
    the scopes that are both partner-level and holder-delegated (``offers:write``, ``points:write``) too: a secret
    key holds them for the partner's own offers and points programme, never over a holder's data.
    """
    if principal.holder is not None:
        return principal.scopes
    if principal.is_sandbox and SANDBOX_WRITE in principal.scopes:
        return principal.scopes | USER_DELEGATED
    return principal.scopes - USER_DELEGATED


def _holders_q(principal: Principal, prefix: str = "") -> Q:
    """The holders ``principal`` may see, as a filter on a model reached through ``prefix`` (``"holder__"``)."""
    q = Q(**{f"{prefix}environment": principal.environment.kind})
    if principal.holder is not None:
        q &= Q(**{f"{prefix}pk": principal.holder.pk})
        if principal.is_sandbox:
            q &= Q(**{f"{prefix}partner": principal.partner})
    else:
        # Live holders have no partner, so this matches nothing in live.
        q &= Q(**{f"{prefix}partner": principal.partner})
    return q


def _wallets_q(principal: Principal, prefix: str = "") -> Q:
    """The wallets ``principal`` may see, as a filter on a model reached through ``prefix`` (``"wallet__"``)."""
    q = _holders_q(principal, f"{prefix}holder__")
    if principal.wallet_ids is not None:
        q &= Q(**{f"{prefix}public_id__in": sorted(principal.wallet_ids)})
    return q


def wallet_visibility(principal: Principal, prefix: str = "") -> Q:
    """The wallets ``principal`` may see, as a filter on a model reached through ``prefix``: for other apps'
    selectors (transfers) that must agree with these."""
    return _wallets_q(principal, prefix)


def payee_visibility(principal: Principal) -> Q:
    """The wallets a holder-bound ``principal`` may name as a payment's destination, whether or not it may read
    them: every wallet of its environment (in sandbox, of its partner's holders). Whether a payment to one is
    allowed is its consent's mandates' business (``apps.oauth_clients`` payment authorisation)."""
    q = Q(holder__environment=principal.environment.kind)
    if principal.is_sandbox:
        q &= Q(holder__partner=principal.partner)
    return q


def payment_wallet_keys(*, principal: Principal, source: str, destination: str) -> dict[str, int]:
    """The primary keys of the wallets a holder-bound principal's payment names, by public id: ``source`` among
    those it may see, ``destination`` among those it may pay (``payee_visibility``). One it may not is missing.
    For the caller to lock them in key order."""
    rows = Wallet.objects.filter(
        (wallet_visibility(principal) & Q(public_id=source)) | (payee_visibility(principal) & Q(public_id=destination))
    ).values_list("public_id", "pk")
    return dict(rows)


# --- Holders ----------------------------------------------------------------------------------------------------
def holder_list(*, principal: Principal) -> QuerySet[WalletHolder]:
    return WalletHolder.objects.filter(_holders_q(principal))


def holder_get(*, principal: Principal, holder_id: str) -> WalletHolder:
    holder = holder_list(principal=principal).filter(public_id=holder_id).first()
    if holder is None:
        raise NotFound(f"No such wallet holder: {holder_id!r}.")
    return holder


# --- Wallets ----------------------------------------------------------------------------------------------------
def wallet_list(*, principal: Principal, holder_id: str | None = None) -> QuerySet[Wallet]:
    """Visible wallets, optionally only those of the holder ``holder_id``. A filter naming a holder the
    principal cannot see is a mistake in the request, not an empty result: ``NotFound`` on ``holder``."""
    wallets = Wallet.objects.filter(_wallets_q(principal)).select_related("holder")
    if holder_id:
        holder_pk = holder_list(principal=principal).filter(public_id=holder_id).values_list("pk", flat=True).first()
        if holder_pk is None:
            raise referenced_object_missing("holder", f"No such wallet holder: {holder_id!r}.")
        wallets = wallets.filter(holder_id=holder_pk)
    return wallets


def wallet_get(*, principal: Principal, wallet_id: str) -> Wallet:
    wallet = wallet_list(principal=principal).filter(public_id=wallet_id).first()
    if wallet is None:
        raise NotFound(f"No such wallet: {wallet_id!r}.")
    return wallet


@dataclass(frozen=True)
class Balance:
    """A wallet's balances read from one row, so ``ledger == available + pending`` always holds."""

    wallet: Wallet
    ledger: int
    available: int
    pending: int
    as_of: datetime
    last_transaction: str | None

    @property
    def currency(self) -> str:
        return self.wallet.currency


def wallet_balance(*, principal: Principal, wallet_id: str) -> Balance:
    """The wallet's cached balances. ``pending`` is what holds set aside (ledger minus available: the two
    cached figures change together under the wallet's lock, and reconciliation checks them against the
    entries and the open holds). ``last_transaction`` is the transaction whose posting or hold last changed
    them."""
    wallet = wallet_list(principal=principal).select_related("last_transaction").filter(public_id=wallet_id).first()
    if wallet is None:
        raise NotFound(f"No such wallet: {wallet_id!r}.")
    return Balance(
        wallet=wallet,
        ledger=wallet.ledger_balance,
        available=wallet.available_balance,
        pending=wallet.ledger_balance - wallet.available_balance,
        as_of=clock.now(environment=principal.environment),
        last_transaction=wallet.last_transaction.public_id if wallet.last_transaction else None,
    )


# --- Transactions -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TransactionFilters:
    """Validated filters of a wallet's transaction list. Bounds are inclusive; amounts are absolute values in
    minor units (a 25.00 payment and a 25.00 refund both match ``min_amount=2500``); the sets match any of
    their values."""

    booked_from: datetime | None = None
    booked_to: datetime | None = None
    types: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    min_amount: int | None = None
    max_amount: int | None = None
    q: str | None = None


def transaction_list(
    *,
    principal: Principal,
    wallet: Wallet,
    filters: TransactionFilters | None = None,
    starting_after: str | None = None,
) -> QuerySet[Transaction]:
    """The transactions of ``wallet`` (which the caller got from ``wallet_get``), filtered, after the cursor
    ``starting_after``. Pages are cut on the primary key, the posting sequence: a transaction keeps its place
    when it posts or is reversed, and new ones arrive at the front.

    The cursor is looked up among all the wallet's transactions, not only the filtered ones: the transaction
    that ended the previous page may have left the filter since (a pending one that posted, under
    ``status=pending``), and the next page must still follow it. ``NotFound`` on ``starting_after`` for a
    cursor that is not one of the wallet's transactions."""
    transactions = Transaction.objects.filter(_wallets_q(principal, "wallet__"), wallet=wallet).select_related(
        "wallet__holder"
    )
    if starting_after:
        cursor_pk = transactions.filter(public_id=starting_after).values_list("pk", flat=True).first()
        if cursor_pk is None:
            raise referenced_object_missing("starting_after", f"No transaction {starting_after!r} on this wallet.")
        transactions = transactions.filter(pk__lt=cursor_pk)
    f = filters or TransactionFilters()
    if f.booked_from is not None:
        transactions = transactions.filter(booked_at__gte=f.booked_from)
    if f.booked_to is not None:
        transactions = transactions.filter(booked_at__lte=f.booked_to)
    if f.types:
        transactions = transactions.filter(type__in=sorted(f.types))
    if f.statuses:
        transactions = transactions.filter(status__in=sorted(f.statuses))
    if f.categories:
        transactions = transactions.filter(category__in=sorted(f.categories))
    # On the absolute amount, without a computed column, so the wallet index still narrows the scan.
    if f.min_amount is not None:
        transactions = transactions.filter(Q(amount__gte=f.min_amount) | Q(amount__lte=-f.min_amount))
    if f.max_amount is not None:
        transactions = transactions.filter(amount__gte=-f.max_amount, amount__lte=f.max_amount)
    if f.q:
        transactions = transactions.filter(Q(description__icontains=f.q) | Q(merchant_name__icontains=f.q))
    return transactions


def transaction_get(*, principal: Principal, transaction_id: str) -> Transaction:
    txn = (
        Transaction.objects.filter(_wallets_q(principal, "wallet__"), public_id=transaction_id)
        .select_related("wallet__holder")
        .first()
    )
    if txn is None:
        raise NotFound(f"No such transaction: {transaction_id!r}.")
    return txn
