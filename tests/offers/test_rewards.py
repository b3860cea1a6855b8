"""Offers in the wallet end to end: a holder who opted in sees and activates an offer, a sandbox card payment at
the merchant posts and earns the reward through the ledger (once, whatever the retries), a reversal claws it
back, the budget is never over-spent and an exhausted offer pauses itself. The ledger reconciles after each."""

import pytest

from apps.events.models import Event
from apps.offers.models import Offer, OfferRedemption
from apps.wallets import services
from apps.wallets.models import Transaction
from apps.wallets.preferences import personalisation_set
from tests.helpers import assert_book_balanced, assert_problem, reread
from tests.offers.factories import make_offer, opted_in_holder
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def pay(client, wallet, amount, merchant="Bean There Coffee", category="dining"):
    """A sandbox card payment authorised and posted; returns the posted card payment's transaction."""
    created = client.post(
        "/v1/sandbox/card_transactions",
        {
            "wallet": wallet.public_id,
            "amount": amount,
            "currency": wallet.currency,
            "merchant": {"name": merchant, "category": category},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    posted = client.post(f"/v1/sandbox/card_transactions/{created.json()['id']}/post")
    assert posted.status_code == 200, posted.content
    return Transaction.objects.get(public_id=created.json()["transaction"]), created.json()["id"]


def activate(client, holder, offer):
    return client.post(f"/v1/wallet_holders/{holder.public_id}/offers/{offer.public_id}/activate")


@pytest.fixture
def offer(sandbox):
    return make_offer(sandbox)


@pytest.fixture
def ada(partner):
    return opted_in_holder(partner)


class TestEligibleAndActivate:
    def test_the_holder_sees_the_offer_and_activates_it_once(self, sandbox_client, ada, offer):
        listed = sandbox_client.get(f"/v1/wallet_holders/{ada.public_id}/offers").json()["data"]
        assert [(o["id"], o["activated"]) for o in listed] == [(offer.public_id, False)]

        first = activate(sandbox_client, ada, offer)
        again = activate(sandbox_client, ada, offer)

        assert first.status_code == 200, first.content
        assert first.json()["activated"] and first.json()["redemptions_left"] == 5
        assert again.json()["activated_at"] == first.json()["activated_at"]
        assert offer.activations.count() == 1

    def test_targeting_hides_the_offer_from_holders_who_did_not_spend_there(self, sandbox, sandbox_client, ada):
        targeted = make_offer(sandbox, target_categories=["groceries"], target_min_spend_90d=1_000)

        assert sandbox_client.get(f"/v1/wallet_holders/{ada.public_id}/offers").json()["data"] == []
        assert_problem(activate(sandbox_client, ada, targeted), 422, "offer_not_available")

    def test_a_holder_who_has_not_opted_in_sees_nothing_and_cannot_activate(self, sandbox_client, ada, offer):
        personalisation_set(holder=ada, enabled=False)

        assert_problem(sandbox_client.get(f"/v1/wallet_holders/{ada.public_id}/offers"), 403, "personalisation_off")
        assert_problem(activate(sandbox_client, ada, offer), 403, "personalisation_off")
        assert not offer.activations.exists()

    def test_a_paused_offer_cannot_be_activated(self, sandbox_client, ada, offer):
        sandbox_client.post(f"/v1/offers/{offer.public_id}/pause")

        assert_problem(activate(sandbox_client, ada, offer), 422, "offer_not_available")

    def test_another_partners_holder_or_offer_is_not_found(self, sandbox_client, ada, offer):
        other_sandbox = PartnerFactory().environments.get(kind="sandbox")
        stranger = opted_in_holder(other_sandbox.partner)
        foreign = make_offer(other_sandbox)

        assert_problem(activate(sandbox_client, stranger, offer), 404, "resource_missing")
        assert_problem(activate(sandbox_client, ada, foreign), 404, "resource_missing")


class TestRewards:
    def test_a_posted_card_payment_earns_the_reward_once_with_its_event(self, sandbox_client, ada, offer):
        activate(sandbox_client, ada, offer)
        wallet = ada.wallets.get()

        card, ctx = pay(sandbox_client, wallet, 2_000)

        redemption = OfferRedemption.objects.get()
        assert (redemption.card_transaction, redemption.amount, redemption.currency) == (card, 200, "USD")
        assert reread(wallet).ledger_balance == 100_000 - 2_000 + 200
        assert redemption.reward_transaction.journal.kind == "offer_reward"
        assert (reread(offer).spent, reread(offer).redemptions) == (200, 1)
        event = Event.objects.get(type="offer.redeemed")
        assert event.data["object"]["reward"] == {"amount": 200, "currency": "USD"}
        assert event.data["object"]["card_transaction"] == card.public_id
        # A retried post is refused and pays nothing more.
        assert_problem(
            sandbox_client.post(f"/v1/sandbox/card_transactions/{ctx}/post"), 409, "invalid_state_transition"
        )
        assert OfferRedemption.objects.count() == 1
        assert_book_balanced()

    def test_the_cap_the_minimum_spend_the_merchant_and_the_per_holder_limit_apply(self, sandbox, sandbox_client, ada):
        offer = make_offer(sandbox, per_holder_limit=2)
        activate(sandbox_client, ada, offer)
        wallet = ada.wallets.get()

        pay(sandbox_client, wallet, 299)  # under the minimum spend
        pay(sandbox_client, wallet, 2_000, merchant="Other Café")  # another merchant
        pay(sandbox_client, wallet, 9_000)  # 10% is 900, capped at 500
        pay(sandbox_client, wallet, 1_000, merchant="bean there coffee")  # names match ignoring case
        pay(sandbox_client, wallet, 1_000)  # the limit of 2 is reached

        assert list(OfferRedemption.objects.order_by("pk").values_list("amount", flat=True)) == [500, 100]
        assert_book_balanced()

    def test_points_rewards_go_to_the_holders_points_wallet(self, sandbox, sandbox_client, ada):
        offer = make_offer(
            sandbox, reward_type="points", reward_value=75, reward_cap=None, budget=1_000, budget_currency="XPT"
        )
        activate(sandbox_client, ada, offer)

        pay(sandbox_client, ada.wallets.get(currency="USD"), 500)

        points = ada.wallets.get(currency="XPT")
        assert points.ledger_balance == 75
        assert OfferRedemption.objects.get().wallet == points
        assert_book_balanced()

    def test_opting_out_or_pausing_after_activation_stops_rewards(self, sandbox_client, ada, offer):
        activate(sandbox_client, ada, offer)
        wallet = ada.wallets.get()

        personalisation_set(holder=ada, enabled=False)
        pay(sandbox_client, wallet, 1_000)
        personalisation_set(holder=ada, enabled=True)
        sandbox_client.post(f"/v1/offers/{offer.public_id}/pause")
        pay(sandbox_client, wallet, 1_000)

        assert not OfferRedemption.objects.exists()
        assert_book_balanced()

    def test_a_reversed_payment_claws_the_reward_back_and_frees_the_budget(self, sandbox_client, ada, offer):
        activate(sandbox_client, ada, offer)
        wallet = ada.wallets.get()
        card, _ = pay(sandbox_client, wallet, 2_000)

        services.transaction_reverse(txn=card)

        redemption = OfferRedemption.objects.get()
        assert redemption.status == "clawed_back"
        assert reread(wallet).ledger_balance == 100_000
        assert reread(offer).spent == 0
        assert redemption.activation.__class__.objects.get(pk=redemption.activation_id).redemptions == 0
        assert_book_balanced()


class TestBudget:
    def test_the_last_reward_is_cut_to_the_budget_and_the_offer_exhausts_itself(self, sandbox, sandbox_client, partner):
        offer = make_offer(sandbox, budget=350, reward_cap=None)
        holders = [opted_in_holder(partner, name=f"Holder {n}") for n in range(3)]
        for holder in holders:
            activate(sandbox_client, holder, offer)

        for holder in holders:
            pay(sandbox_client, holder.wallets.get(), 2_000)

        offer.refresh_from_db()
        assert list(OfferRedemption.objects.order_by("pk").values_list("amount", flat=True)) == [200, 150]
        assert (offer.spent, offer.status) == (350, Offer.Status.EXHAUSTED)
        exhausted = Event.objects.get(type="offer.budget_exhausted")
        assert exhausted.data["object"]["status"] == "exhausted"
        assert exhausted.data["previous_attributes"] == {"status": "active"}
        assert_problem(
            activate(sandbox_client, opted_in_holder(partner, name="Late"), offer), 422, "offer_not_available"
        )
        patched = sandbox_client.patch(
            f"/v1/offers/{offer.public_id}", {"budget": {"amount": 300, "currency": "USD"}}, format="json"
        )
        assert_problem(patched, 422, "offer_invalid")
        assert_book_balanced()
