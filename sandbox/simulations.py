"""Simulations a partner runs against its own sandbox (``/v1/sandbox/...``): money arriving by bank transfer,
card payments authorised at a merchant and then posted or reversed (before or after posting). Money moves only
through the wallets services; each function runs inside the caller's transaction (the API's idempotency
transaction) and refuses before writing anything. Wallets and card transactions are looked up through the
principal, so another partner's or environment's id is a 404."""

from django.db import transaction

from apps.core import clock
from apps.core.errors import InvalidStateTransition, NotFound
from apps.core.principal import Principal
from apps.wallets.ledger import CLEARING_BANK, CLEARING_CARD, CurrencyMismatch, TransactionSpec
from apps.wallets.models import Transaction
from apps.wallets.selectors import wallet_get
from apps.wallets.services import (
    external_credit_inner,
    hold_capture_inner,
    hold_place_inner,
    hold_release_inner,
    transaction_reverse_inner,
)
from apps.wallets.store import lock_wallets
from sandbox.models import CardTransaction


def _same_currency(wallet_currency: str, currency: str, field: str = "currency") -> None:
    if wallet_currency != currency:
        raise CurrencyMismatch(
            f"The wallet holds {wallet_currency}, not {currency}.",
            errors=[{"field": field, "code": "currency_mismatch", "message": f"Use {wallet_currency}."}],
        )


@transaction.atomic
def deposit_simulate(
    *,
    principal: Principal,
    wallet_id: str,
    amount: int,
    currency: str,
    description: str = "",
    sender_name: str = "",
    reference: str = "",
) -> Transaction:
    """An incoming bank transfer to a sandbox wallet, posted at once from the bank clearing account (the
    ``transaction.posted`` and ``wallet.balance_updated`` events follow). Raises ``NotFound``,
    ``CurrencyMismatch``, ``InvalidAmount`` and ``WalletFrozen`` (a closed or frozen wallet receives nothing)."""
    wallet = wallet_get(principal=principal, wallet_id=wallet_id)
    _same_currency(wallet.currency, currency)
    sender = sender_name or "Sandbox sender"
    text = description or f"Bank transfer from {sender}"
    if reference:
        text = f"{text} (ref {reference})"
    spec = TransactionSpec(
        type=Transaction.Type.DEPOSIT, category="transfer", description=text[:500], counterparty=sender[:200]
    )
    return external_credit_inner(wallet=wallet, amount=amount, spec=spec, rail=CLEARING_BANK).transactions[0]


@transaction.atomic
def card_authorise(
    *, principal: Principal, wallet_id: str, amount: int, currency: str, merchant_name: str, merchant_category: str
) -> CardTransaction:
    """Authorise a card payment: a hold on the wallet and its pending transaction (``transaction.created``).
    ``merchant_category`` is one of the transaction categories (the serializer checks it). Raises ``NotFound``,
    ``CurrencyMismatch``, ``InvalidAmount``, ``WalletFrozen`` and ``InsufficientFunds``."""
    wallet = wallet_get(principal=principal, wallet_id=wallet_id)
    _same_currency(wallet.currency, currency)
    spec = TransactionSpec(
        type=Transaction.Type.CARD_PAYMENT,
        category=merchant_category,
        description=f"Card payment at {merchant_name}",
        merchant_name=merchant_name,
    )
    placed = hold_place_inner(wallet=wallet, amount=amount, spec=spec)
    return CardTransaction.objects.create(
        partner=principal.partner,
        environment=principal.environment,
        wallet=wallet,
        hold=placed.hold,
        amount=amount,
        currency=wallet.currency,
        merchant_name=merchant_name,
        merchant_category=merchant_category,
        authorized_at=clock.now(environment=principal.environment),
    )


def card_get(*, principal: Principal, card_transaction_id: str) -> CardTransaction:
    card = (
        CardTransaction.objects.select_related("wallet__holder", "hold__transaction")
        .filter(partner=principal.partner, environment=principal.environment, public_id=card_transaction_id)
        .first()
    )
    if card is None:
        raise NotFound(f"No such card transaction: {card_transaction_id!r}.")
    return card


def _lock_card(card: CardTransaction, *allowed: str) -> CardTransaction:
    # Wallets first, then the card row that hangs off them (docs/ledger.md, "Lock order"), as the clock's posting
    # of due card payments does: the card's wallet with the wallets an offer reward of it may pay (companions).
    lock_wallets([card.wallet_id], companions=True)
    locked = (
        CardTransaction.objects.select_for_update(of=("self",)).select_related("wallet__holder", "hold").get(pk=card.pk)
    )
    if locked.status not in allowed:
        raise InvalidStateTransition(f"Card transaction {locked.public_id} is already {locked.status}.")
    return locked


@transaction.atomic
def card_post(*, principal: Principal, card_transaction_id: str) -> CardTransaction:
    """Post a pending card payment: the hold is captured and its transaction posted (``transaction.posted``).
    Raises ``NotFound`` and ``InvalidStateTransition`` (already posted or reversed)."""
    return card_post_inner(card=card_get(principal=principal, card_transaction_id=card_transaction_id))


def card_post_inner(*, card: CardTransaction) -> CardTransaction:
    locked = _lock_card(card, CardTransaction.Status.PENDING)
    hold_capture_inner(hold=locked.hold, rail=CLEARING_CARD)
    locked.status = CardTransaction.Status.POSTED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def card_reverse(*, principal: Principal, card_transaction_id: str) -> CardTransaction:
    """Reverse a card payment. A pending one: the merchant lets the authorisation go (the hold is released, the
    pending transaction becomes ``reversed``). A posted one: the purchase is undone (a refund or chargeback): the
    ledger's reversal journal gives the money back (``transaction.posted`` of the reversal, the payment becomes
    ``reversed``), and an offer reward it earned is clawed back in the same transaction (docs/offers.md). Raises
    ``NotFound`` and ``InvalidStateTransition`` (already reversed)."""
    card = card_get(principal=principal, card_transaction_id=card_transaction_id)
    locked = _lock_card(card, CardTransaction.Status.PENDING, CardTransaction.Status.POSTED)
    if locked.status == CardTransaction.Status.PENDING:
        hold_release_inner(hold=locked.hold)
    else:
        transaction_reverse_inner(txn=locked.hold.transaction, description=f"Reversal at {locked.merchant_name}")
    locked.status = CardTransaction.Status.REVERSED
    locked.save(update_fields=["status", "updated_at"])
    return locked


def card_refresh(card: CardTransaction) -> CardTransaction:
    """The card transaction as its snapshot needs it (its hold's transaction re-read after a change)."""
    return CardTransaction.objects.select_related("wallet__holder", "hold__transaction").get(pk=card.pk)
