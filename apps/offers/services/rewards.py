"""Rewards: a posted card payment at a matching merchant earns its activated offer's reward, once; a reversal of
that payment claws it back.

The wallets layer cannot call up into offers, so this runs as an outbox record hook registered at start-up
(``apps.offers.apps``): ``on_events`` sees the ``transaction.posted`` events of every posting, inside the posting's
transaction and under its wallet locks, and acts only on card payments and refunds (any other posting costs it
no query). So the reward commits or rolls back with the card payment itself:

- **Exactly once per card transaction**: the capture that posts a card payment happens once (the hold moves
  ``held -> captured`` under the wallet's lock; a retry is refused), and ``OfferRedemption.card_transaction`` is
  unique, so even a second posting path could not pay twice.
- **Lock order**: the holder's points wallet is locked with the paying wallet, in one primary-key order, by the
  capture or reversal itself (``points_wallets_of``, a lock companion of ``apps.wallets.store``); then the offer.
- **Never over budget**: the offer's row is locked (after the wallets, docs/ledger.md "Lock order"), the reward
  is cut to what is left of the budget, and an offer whose budget is spent becomes ``exhausted`` in the same
  transaction (``offer.budget_exhausted``); the database refuses ``spent > budget`` too.
- **Claw-back**: the reversal of a rewarded card payment posts the reward back from the holder's wallet to the
  funding account (at most what the wallet still holds, so a reversal never fails on it) and gives the budget
  and the holder's per-offer allowance back.

Rewards post from the environment's offers funding account, which offers' budgets never over-commit
(``services.funding``). Points go to the holder's ``XPT`` wallet (opened on the first reward), cashback to the
paying wallet. Live postings record no events (live holders have no partner), so rewards are sandbox-driven.
"""

from typing import Any

from django.db.models import F

from apps.core import clock
from apps.events.models import Event
from apps.events.services import record
from apps.offers.models import Offer, OfferActivation, OfferRedemption
from apps.offers.services.funding import funding_account
from apps.offers.snapshots import offer_snapshot, redemption_snapshot
from apps.wallets import currencies
from apps.wallets.ledger import Line, TransactionSpec, journal_post, wallet_account
from apps.wallets.models import Transaction, Wallet
from apps.wallets.services import wallet_open_inner
from apps.wallets.store import lock_wallets

WATCHED = frozenset({Transaction.Type.CARD_PAYMENT, Transaction.Type.REFUND})


def on_events(events: list[Event]) -> None:
    """The record hook: reward posted card payments and claw back reversed ones among ``events``."""
    ids = [
        event.object_id
        for event in events
        if event.type == "transaction.posted" and event.data.get("object", {}).get("type") in WATCHED
    ]
    if not ids:
        return
    for txn in Transaction.objects.filter(public_id__in=ids).select_related("wallet__holder", "journal"):
        if txn.journal is None:
            continue
        if txn.journal.reverses_id is not None:
            _claw_back(reversed_journal_id=txn.journal.reverses_id)
        elif txn.type == Transaction.Type.CARD_PAYMENT and txn.amount < 0 and txn.merchant_name:
            _reward(txn)


def reward_amount(offer: Offer, purchase: int) -> int:
    """The reward for a purchase of ``purchase`` (minor units), before the budget: never above the purchase for
    cashback."""
    if offer.reward_type == Offer.RewardType.CASHBACK_PERCENT:
        amount = purchase * offer.reward_value // 10_000
        if offer.reward_cap is not None:
            amount = min(amount, offer.reward_cap)
        return min(amount, purchase)
    if offer.reward_type == Offer.RewardType.CASHBACK_FIXED:
        return min(offer.reward_value, purchase)
    return offer.reward_value


def _candidate(txn: Transaction) -> OfferActivation | None:
    holder = txn.wallet.holder
    if not holder.personalisation or holder.partner_id is None:
        return None
    now = clock.now(environment=_environment_of(txn))
    activations = (
        OfferActivation.objects.filter(
            holder=holder,
            redemptions__lt=F("offer__per_holder_limit"),
            offer__status=Offer.Status.ACTIVE,
            offer__currency=txn.currency,
            offer__merchant_name__iexact=txn.merchant_name,
            offer__min_spend__lte=-txn.amount,
            offer__starts_at__lte=now,
        )
        .select_related("offer")
        .order_by("pk")
    )
    for activation in activations:
        offer = activation.offer
        if offer.ends_at is not None and offer.ends_at <= now:
            continue
        if offer.merchant_category and offer.merchant_category != txn.category:
            continue
        return activation
    return None


def _environment_of(txn: Transaction) -> Any:
    holder = txn.wallet.holder
    return holder.partner.environments.filter(kind=holder.environment).first() if holder.partner else None


def _reward(txn: Transaction) -> None:
    activation = _candidate(txn)
    if activation is None or OfferRedemption.objects.filter(card_transaction=txn).exists():
        return
    points = activation.offer.reward_type == Offer.RewardType.POINTS
    # Wallets before the offer's row (docs/ledger.md, "Lock order"). The capture locked the points wallet with the
    # paying one (``points_wallets_of``), so this lock is already held; a points wallet opened here is new, so
    # no other transaction can hold it.
    wallet = _points_wallet(txn.wallet) if points else txn.wallet
    locked = lock_wallets([wallet.pk])[wallet.pk]
    offer = Offer.objects.select_for_update().get(pk=activation.offer_id)
    activation = OfferActivation.objects.select_for_update().get(pk=activation.pk)
    left = offer.budget - offer.spent
    if offer.status != Offer.Status.ACTIVE or left <= 0 or activation.redemptions >= offer.per_holder_limit:
        return
    amount = min(reward_amount(offer, -txn.amount), left)
    if amount <= 0:
        return
    environment = offer.environment
    funding = funding_account(environment=environment, currency=offer.budget_currency)
    if points:
        spec = TransactionSpec(
            type=Transaction.Type.POINTS, category="points", description=f"Points: {offer.merchant_name} offer"
        )
    else:
        spec = TransactionSpec(
            type=Transaction.Type.REFUND, category="refund", description=f"Cashback: {offer.merchant_name} offer"
        )
    posting = journal_post(
        kind="offer_reward",
        lines=[Line(funding, -amount), Line(wallet_account(locked), amount, spec)],
        environment=environment.kind,
        partner=offer.partner,
        description=f"Offer {offer.public_id} reward for {txn.public_id}",
        locked={locked.pk: locked},
        partner_environment=environment,
    )
    redemption = OfferRedemption.objects.create(
        offer=offer,
        activation=activation,
        holder=txn.wallet.holder,
        card_transaction=txn,
        reward_transaction=posting.transactions[0],
        wallet=locked,
        amount=amount,
        currency=offer.budget_currency,
    )
    activation.redemptions += 1
    activation.save(update_fields=["redemptions", "updated_at"])
    offer.spent += amount
    offer.redemptions += 1
    fields = ["spent", "redemptions", "updated_at"]
    if offer.spent >= offer.budget:
        offer.status = Offer.Status.EXHAUSTED
        fields.append("status")
    offer.save(update_fields=fields)
    now = clock.now(environment=environment)
    record(
        type="offer.redeemed",
        partner=offer.partner,
        environment=environment,
        obj=redemption,
        data=redemption_snapshot(redemption),
    )
    if offer.status == Offer.Status.EXHAUSTED:
        record(
            type="offer.budget_exhausted",
            partner=offer.partner,
            environment=environment,
            obj=offer,
            data=offer_snapshot(offer, now=now),
            previous_attributes={"status": "active"},
        )


def points_wallets_of(wallet_ids: list[int]) -> list[int]:
    """The open points wallets of the holders of ``wallet_ids``: what a card posting of those wallets may pay an
    offer's points reward into (or claw one back from), locked with them (``apps.wallets.store``'s lock
    companions, registered in ``apps.offers.apps``)."""
    return list(
        Wallet.objects.filter(holder__wallets__in=wallet_ids, currency=currencies.POINTS)
        .exclude(status=Wallet.Status.CLOSED)
        .exclude(pk__in=wallet_ids)
        .values_list("pk", flat=True)
    )


def _points_wallet(paying: Wallet) -> Wallet:
    wallet = (
        Wallet.objects.filter(holder_id=paying.holder_id, currency=currencies.POINTS)
        .exclude(status=Wallet.Status.CLOSED)
        .first()
    )
    return wallet if wallet is not None else wallet_open_inner(holder=paying.holder, currency=currencies.POINTS)


def _claw_back(*, reversed_journal_id: int) -> None:
    redemption = (
        OfferRedemption.objects.filter(
            card_transaction__journal_id=reversed_journal_id, status=OfferRedemption.Status.CREDITED
        )
        .select_related("offer__environment", "wallet")
        .first()
    )
    if redemption is None:
        return
    wallet = lock_wallets([redemption.wallet_id])[redemption.wallet_id]
    offer = Offer.objects.select_for_update().get(pk=redemption.offer_id)
    environment = offer.environment
    amount = min(redemption.amount, wallet.available_balance)
    points = redemption.currency == currencies.POINTS
    if amount > 0:
        journal_post(
            kind="offer_reward_clawback",
            lines=[
                Line(
                    wallet_account(wallet),
                    -amount,
                    TransactionSpec(
                        type=Transaction.Type.POINTS if points else Transaction.Type.REFUND,
                        category="points" if points else "refund",
                        description=f"Offer reward taken back: {offer.merchant_name} payment reversed",
                    ),
                ),
                Line(funding_account(environment=environment, currency=redemption.currency), amount),
            ],
            environment=environment.kind,
            partner=offer.partner,
            description=f"Offer {offer.public_id} reward {redemption.public_id} clawed back",
            locked={wallet.pk: wallet},
            partner_environment=environment,
        )
    redemption.status = OfferRedemption.Status.CLAWED_BACK
    redemption.save(update_fields=["status", "updated_at"])
    OfferActivation.objects.filter(pk=redemption.activation_id, redemptions__gt=0).update(
        redemptions=F("redemptions") - 1
    )
    offer.spent -= amount
    offer.save(update_fields=["spent", "updated_at"])
