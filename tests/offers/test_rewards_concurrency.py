"""Rewards under real concurrency on PostgreSQL: many holders' card payments post at once against one offer's
small budget (never over-spent, exactly one exhaustion), and one card payment posted from many threads at once
(rewarded exactly once). Every thread has its own connection, as separate requests do."""

import threading
import time

import pytest
from django.db import connection, transaction

from apps.core.errors import ApplicationError
from apps.events.models import Event
from apps.offers.models import Offer, OfferRedemption
from apps.offers.services.activation import offer_activate
from apps.wallets import reconciliation
from apps.wallets.models import Wallet
from apps.wallets.preferences import personalisation_set
from apps.wallets.store import lock_wallets
from sandbox.simulations import card_authorise, card_post, card_reverse
from tests.offers.factories import fund, make_offer, opted_in_holder
from tests.threads import run_threads
from tests.transfers.factories import api_key_principal
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLDERS = 12


def _authorised(principal, holders, amount=2_000):
    return [
        card_authorise(
            principal=principal,
            wallet_id=holder.wallets.get(currency="USD").public_id,
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


def _blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.parametrize("change", ["post", "reverse"])
def test_a_points_reward_locks_the_points_wallet_in_key_order_with_the_paying_wallet(partner, sandbox, change):
    """The points wallet is older than the paying one (a lower key). Another writer locks both in key order,
    points first, then the paying wallet once the card posting (or its reversal) is waiting on it. Had the posting
    locked the paying wallet first and the points wallet from its reward hook, the two would deadlock."""
    principal = api_key_principal(environment=sandbox)
    holder = make_holder(partner=partner)
    points = make_wallet(holder=holder, currency="XPT")
    paying = make_wallet(holder=holder, currency="USD", balance=100_000)
    personalisation_set(holder=holder, enabled=True)
    assert points.pk < paying.pk
    fund(sandbox, 1_000, "XPT")
    offer = make_offer(
        sandbox,
        reward_type="points",
        reward_value=100,
        reward_cap=None,
        budget_currency="XPT",
        budget=1_000,
        fund_it=False,
    )
    offer_activate(principal=principal, holder_id=holder.public_id, offer_id=offer.public_id)
    (card,) = _authorised(principal, [holder])
    if change == "reverse":
        card_post(principal=principal, card_transaction_id=card.public_id)
    simulate = card_post if change == "post" else card_reverse
    points_locked = threading.Event()

    def other_writer():
        with transaction.atomic(durable=True):
            lock_wallets([points.pk])
            points_locked.set()
            deadline = time.monotonic() + 10
            while not _blocked_on_a_lock() and time.monotonic() < deadline:
                time.sleep(0.02)
            lock_wallets([paying.pk])

    def card_change():
        points_locked.wait(10)
        simulate(principal=principal, card_transaction_id=card.public_id)

    raised = run_threads({"other writer": other_writer, "card": card_change})

    assert raised == {}
    expected = 100 if change == "post" else 0
    assert Wallet.objects.get(pk=points.pk).ledger_balance == expected
    assert OfferRedemption.objects.get().status == ("credited" if change == "post" else "clawed_back")
    assert reconciliation.reconcile().ok
