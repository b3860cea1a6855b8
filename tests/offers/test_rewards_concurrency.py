"""Rewards under real concurrency on PostgreSQL: many holders' card payments post at once against one offer's
small budget (never over-spent, exactly one exhaustion), and one card payment posted from many threads at once
(rewarded exactly once). Every thread has its own connection, as separate requests do."""

import threading

import pytest

from apps.core.errors import ApplicationError
from apps.events.models import Event
from apps.offers.models import Offer, OfferRedemption
from apps.offers.services.activation import offer_activate
from apps.wallets import reconciliation
from sandbox.simulations import card_authorise, card_post
from tests.offers.factories import make_offer, opted_in_holder
from tests.threads import run_threads
from tests.transfers.factories import api_key_principal

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLDERS = 12


def _authorised(principal, holders, amount=2_000):
    return [
        card_authorise(
            principal=principal,
            wallet_id=holder.wallets.get().public_id,
            amount=amount,
            currency="USD",
            merchant_name="Bean There Coffee",
            merchant_category="dining",
        )
        for holder in holders
    ]


def test_concurrent_redemptions_never_overspend_the_budget_and_exhaust_it_once(partner, sandbox):
    principal = api_key_principal(environment=sandbox)
    offer = make_offer(sandbox, budget=1_050, reward_cap=None)  # 200 per payment: five full rewards and one of 50
    holders = [opted_in_holder(partner, name=f"Holder {n}") for n in range(HOLDERS)]
    for holder in holders:
        offer_activate(principal=principal, holder_id=holder.public_id, offer_id=offer.public_id)
    cards = _authorised(principal, holders)
    start = threading.Barrier(len(cards))

    def post(card):
        def run():
            start.wait()
            card_post(principal=principal, card_transaction_id=card.public_id)

        return run

    raised = run_threads({card.public_id: post(card) for card in cards})

    assert raised == {}
    offer.refresh_from_db()
    amounts = sorted(OfferRedemption.objects.values_list("amount", flat=True))
    assert sum(amounts) == offer.spent == offer.budget == 1_050
    assert amounts == [50, 200, 200, 200, 200, 200]
    assert offer.status == Offer.Status.EXHAUSTED
    assert Event.objects.filter(type="offer.budget_exhausted").count() == 1
    assert Event.objects.filter(type="offer.redeemed").count() == 6
    assert reconciliation.reconcile().ok


def test_one_card_payment_posted_from_many_threads_is_rewarded_exactly_once(partner, sandbox):
    principal = api_key_principal(environment=sandbox)
    offer = make_offer(sandbox)
    holder = opted_in_holder(partner)
    offer_activate(principal=principal, holder_id=holder.public_id, offer_id=offer.public_id)
    (card,) = _authorised(principal, [holder])
    start = threading.Barrier(8)

    def post():
        start.wait()
        card_post(principal=principal, card_transaction_id=card.public_id)

    raised = run_threads({f"t{n}": post for n in range(8)})

    assert len(raised) == 7 and all(isinstance(e, ApplicationError) for e in raised.values())
    assert {e.code for e in raised.values()} == {"invalid_state_transition"}
    assert OfferRedemption.objects.get().amount == 200
    assert holder.wallets.get().ledger_balance == 100_000 - 2_000 + 200
    assert reconciliation.reconcile().ok
