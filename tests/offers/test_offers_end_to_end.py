"""Offers end to end through the public API only, with webhooks delivered to a receiver on 127.0.0.1.

- The issue's "done when": in a seeded sandbox the partner creates an offer, ``user_good`` (through an app they
  granted the offers, insights and points scopes to) activates it, a simulated card payment earns the reward
  (``offer.redeemed`` received), insights show the spending, and the points are redeemed into the partner's
  programme (``points.redeemed`` received).
- A purchase that posts and is then reversed: the reward is credited, then clawed back, and the ledger reconciles.
"""

import json
from datetime import date

import pytest

from apps.oauth_clients.tokens import new_access_token
from apps.wallets import reconciliation
from apps.wallets.models import WalletHolder
from apps.webhooks.services import delivery
from sandbox.seed import seed_sandbox
from tests.helpers import assert_book_balanced
from tests.oauth_clients.factories import AccessTokenFactory, ApplicationFactory, ConsentFactory
from tests.offers.factories import fund, opted_in_holder

pytestmark = pytest.mark.django_db

HOLDER_SCOPES = ["accounts:read", "balances:read", "insights:read", "offers:read", "offers:write", "points:write"]


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def subscribe(client, receiver) -> None:
    ok(client.post("/v1/webhook_endpoints", {"url": receiver.url + "/hooks", "enabled_events": ["*"]}), 201)


def received(receiver, *types: str) -> list[dict]:
    """Deliver what is due now, then the payloads the receiver got of ``types``, in order."""
    delivery.deliver_batch(delivery_ids=[])
    bodies = [json.loads(r.body) for r in receiver.received]
    return [body for body in bodies if body["type"] in types]


def card_payment(client, wallet: str, amount: int, merchant: str, category: str) -> str:
    body = {"wallet": wallet, "amount": amount, "currency": "USD", "merchant": {"name": merchant, "category": category}}
    card = ok(client.post("/v1/sandbox/card_transactions", body), 201)
    assert ok(client.post(f"/v1/sandbox/card_transactions/{card['id']}/post"))["status"] == "posted"
    return card["id"]


def balance(client, wallet: str) -> int:
    return ok(client.get(f"/v1/wallets/{wallet}/balances"))["ledger"]["amount"]


def holder_token(partner, holder: WalletHolder) -> str:
    """An access token of an app ``holder`` granted ``HOLDER_SCOPES`` to, over all their wallets."""
    sandbox = partner.environments.get(kind="sandbox")
    app = ApplicationFactory(environment=sandbox, allowed_scopes=HOLDER_SCOPES)
    consent = ConsentFactory(application=app, holder=holder, wallets=list(holder.wallets.all()), scopes=HOLDER_SCOPES)
    secret = new_access_token()
    AccessTokenFactory(application=app, consent=consent, user=holder.user, token=secret, scope=" ".join(HOLDER_SCOPES))
    return secret


class TestDoneWhen:
    def test_an_offer_is_created_activated_earned_with_its_webhook_seen_in_insights_and_its_points_redeemed(
        self, partner, sandbox_client, client_for, receiver
    ):
        report = seed_sandbox(partner=partner, holders=0, months=3, anchor=date.today())
        good = next(p for p in report.personas if p["username"].split("@")[0] == "user_good")
        holder = WalletHolder.objects.get(public_id=good["holder"])
        usd = next(w["id"] for w in good["wallets"] if w["currency"] == "USD")
        subscribe(sandbox_client, receiver)
        # The partner funds its points and creates an offer: 250 points for a purchase of 10.00 or more.
        ok(sandbox_client.post("/v1/sandbox/offer_funding", {"amount": 10_000, "currency": "XPT"}), 201)
        offer = ok(
            sandbox_client.post(
                "/v1/offers",
                {
                    "merchant": {"name": "Lantern Books", "category": "shopping"},
                    "reward": {"type": "points", "value": 250},
                    "min_spend": 1_000,
                    "currency": "USD",
                    "per_holder_limit": 3,
                    "budget": {"amount": 5_000, "currency": "XPT"},
                },
            ),
            201,
        )
        app = client_for(holder_token(partner, holder))  # user_good's app: offers, insights and points scopes

        listed = ok(app.get(f"/v1/wallet_holders/{holder.public_id}/offers"))
        assert offer["id"] in [o["id"] for o in listed["data"]]
        activated = ok(app.post(f"/v1/wallet_holders/{holder.public_id}/offers/{offer['id']}/activate"))
        assert activated["activated"] is True
        spent_before = ok(app.get(f"/v1/wallet_holders/{holder.public_id}/insights"))["spending"]

        card_payment(sandbox_client, usd, 4_200, "Lantern Books", "shopping")

        (redeemed,) = received(receiver, "offer.redeemed")
        assert redeemed["data"]["object"]["offer"] == offer["id"]
        assert redeemed["data"]["object"]["reward"] == {"amount": 250, "currency": "XPT"}
        assert ok(sandbox_client.get(f"/v1/offers/{offer['id']}"))["budget_spent"] == {"amount": 250, "currency": "XPT"}
        insights = ok(app.get(f"/v1/wallet_holders/{holder.public_id}/insights"))
        assert insights["spending"] == spent_before + 4_200
        assert next(c for c in insights["by_category"] if c["category"] == "shopping")["amount"] >= 4_200

        ok(sandbox_client.put("/v1/points/programme", {"name": "Story Stars", "rate": "0.5"}))
        redemption = ok(
            app.post(
                "/v1/points/redemptions",
                {"holder": holder.public_id, "points": 250, "reference": "order-7"},
                HTTP_IDEMPOTENCY_KEY="redeem-7",
            ),
            201,
        )
        assert (redemption["points"], redemption["value"], redemption["programme"]) == (250, "125", "Story Stars")
        (points_event,) = received(receiver, "points.redeemed")
        assert points_event["data"]["object"]["id"] == redemption["id"]
        assert reconciliation.reconcile().ok
        assert_book_balanced()


class TestReversedPurchase:
    def test_a_posted_then_reversed_purchase_credits_then_claws_back_the_reward_and_the_ledger_reconciles(
        self, partner, sandbox, sandbox_client, receiver
    ):
        holder = opted_in_holder(partner)
        wallet = holder.wallets.get().public_id
        fund(sandbox, 10_000)
        subscribe(sandbox_client, receiver)
        offer = ok(
            sandbox_client.post(
                "/v1/offers",
                {
                    "merchant": {"name": "Bean There Coffee", "category": "dining"},
                    "reward": {"type": "cashback_percent", "value": "10", "cap": 500},
                    "currency": "USD",
                    "budget": {"amount": 10_000, "currency": "USD"},
                },
            ),
            201,
        )
        ok(sandbox_client.post(f"/v1/wallet_holders/{holder.public_id}/offers/{offer['id']}/activate"))
        before = balance(sandbox_client, wallet)

        card = card_payment(sandbox_client, wallet, 2_000, "Bean There Coffee", "dining")

        (redeemed,) = received(receiver, "offer.redeemed")
        assert redeemed["data"]["object"]["reward"] == {"amount": 200, "currency": "USD"}
        assert balance(sandbox_client, wallet) == before - 2_000 + 200

        reversed_ = ok(sandbox_client.post(f"/v1/sandbox/card_transactions/{card}/reverse"))

        assert reversed_["status"] == "reversed"
        assert balance(sandbox_client, wallet) == before  # the purchase back, the reward taken back
        offer_now = ok(sandbox_client.get(f"/v1/offers/{offer['id']}"))
        assert (offer_now["budget_spent"]["amount"], offer_now["redemptions"]) == (0, 1)
        payment = ok(sandbox_client.get(f"/v1/transactions/{reversed_['transaction']}"))
        assert payment["status"] == "reversed"
        again = sandbox_client.post(f"/v1/sandbox/card_transactions/{card}/reverse")
        assert again.status_code == 409 and again.json()["code"] == "invalid_state_transition"
        assert balance(sandbox_client, wallet) == before
        assert len(received(receiver, "offer.redeemed")) == 1
        assert reconciliation.reconcile().ok
        assert_book_balanced()
