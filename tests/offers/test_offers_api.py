"""``/v1/offers`` and ``POST /v1/sandbox/offer_funding``: creating, reading, changing, pausing and resuming offers,
their validation (4xx problem+json, nothing written), tenancy and scopes, and the audience estimate that counts only
opted-in holders, never naming them."""

from datetime import timedelta

import pytest

from apps.core import clock
from apps.core.scopes import OFFERS_WRITE
from apps.offers.models import Offer, OfferFunding
from apps.partners.services import api_key_create
from apps.wallets.preferences import personalisation_set
from tests.helpers import assert_book_balanced, assert_problem, client_as
from tests.offers.factories import fund, make_offer, opted_in_holder
from tests.partners.factories import PartnerFactory
from tests.wallets.factories import make_holder, make_wallet, oauth_principal, post

pytestmark = pytest.mark.django_db

BODY = {
    "merchant": {"name": "Bean There Coffee", "category": "dining"},
    "reward": {"type": "cashback_percent", "value": "10", "cap": 500},
    "min_spend": 300,
    "currency": "USD",
    "per_holder_limit": 5,
    "budget": {"amount": 10_000, "currency": "USD"},
    "targeting": {"categories": ["dining"], "min_spend_90d": 2_000},
    "metadata": {"campaign": "winter"},
}


def create(client, body=None, key="offer-1"):
    return client.post("/v1/offers", body or BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)


class TestFunding:
    def test_sandbox_funding_posts_through_the_ledger_and_is_idempotent(self, sandbox_client):
        body = {"amount": 50_000, "currency": "USD"}
        first = sandbox_client.post("/v1/sandbox/offer_funding", body, format="json", HTTP_IDEMPOTENCY_KEY="f1")
        again = sandbox_client.post("/v1/sandbox/offer_funding", body, format="json", HTTP_IDEMPOTENCY_KEY="f1")

        assert first.status_code == 201, first.content
        assert first.json()["funded"] == 50_000 and first.json()["available"] == 50_000
        assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
        assert OfferFunding.objects.get().funded == 50_000
        assert_book_balanced()

    def test_a_live_key_cannot_fund_through_the_sandbox(self, client_for):
        from tests.partners.factories import LiveEnvironmentFactory

        live = LiveEnvironmentFactory(partner=PartnerFactory())
        client = client_for(api_key_create(environment=live, name="live").secret)
        response = client.post("/v1/sandbox/offer_funding", {"amount": 1, "currency": "USD"}, format="json")
        assert_problem(response, 404, "resource_missing")


class TestCreate:
    def test_a_funded_offer_is_created_active_and_sets_its_budget_aside(self, sandbox, sandbox_client):
        fund(sandbox, 25_000)

        response = create(sandbox_client)

        assert response.status_code == 201, response.content
        body = response.json()
        assert body["id"].startswith("off_") and body["status"] == "active"
        assert body["reward"] == {"type": "cashback_percent", "value": "10", "cap": 500}
        assert body["budget"] == {"amount": 10_000, "currency": "USD"}
        assert body["budget_spent"] == {"amount": 0, "currency": "USD"}
        assert body["targeting"] == {"categories": ["dining"], "min_spend_90d": 2_000}
        funding = OfferFunding.objects.get()
        assert (funding.funded, funding.allocated) == (25_000, 10_000)
        replay = create(sandbox_client)
        assert replay.json() == body and Offer.objects.count() == 1

    @pytest.mark.parametrize(
        "change, status, code, field",
        [
            ({"reward": {"type": "cashback_fixed", "value": 0}}, 400, "parameter_invalid", "reward.value"),
            ({"reward": {"type": "cashback_fixed", "value": -5}}, 400, "parameter_invalid", "reward.value"),
            ({"reward": {"type": "cashback_percent", "value": "120"}}, 400, "parameter_invalid", "reward.value"),
            ({"reward": {"type": "cashback_percent", "value": 10.5}}, 400, "parameter_invalid", "reward.value"),
            ({"reward": {"type": "cashback_percent", "value": "+1e1"}}, 400, "parameter_invalid", "reward.value"),
            ({"reward": {"type": "cashback_fixed", "value": "5.5"}}, 400, "parameter_invalid", "reward.value"),
            ({"merchant": {"name": 0}}, 400, "parameter_invalid", "merchant.name"),
            ({"reward": {"type": "cashback_fixed", "value": 1_000}}, 422, "offer_invalid", "reward.value"),
            ({"budget": {"amount": 10_000, "currency": "EUR"}}, 422, "offer_invalid", "budget.currency"),
            ({"reward": {"type": "points", "value": 50}}, 422, "offer_invalid", "budget.currency"),
            ({"ends_at": "2020-01-01T00:00:00Z"}, 422, "offer_invalid", "ends_at"),
            ({"targeting": {"categories": ["casino"]}}, 400, "parameter_invalid", "targeting.categories.0"),
            ({"colour": "red"}, 400, "parameter_unknown", "colour"),
        ],
    )
    def test_bad_offers_are_refused_and_nothing_is_written(self, sandbox, sandbox_client, change, status, code, field):
        fund(sandbox, 25_000)
        fund(sandbox, 25_000, "EUR")

        body = assert_problem(create(sandbox_client, {**BODY, **change}), status, code)

        assert field in [e["field"] for e in body["errors"]], body
        assert not Offer.objects.exists()
        assert OfferFunding.objects.get(currency="USD").allocated == 0

    def test_a_budget_the_funding_does_not_cover_is_refused(self, sandbox, sandbox_client):
        fund(sandbox, 9_999)

        assert_problem(create(sandbox_client), 422, "offer_funding_insufficient")
        assert not Offer.objects.exists() and OfferFunding.objects.get().allocated == 0

    def test_a_points_offer_is_budgeted_in_points(self, sandbox, sandbox_client):
        fund(sandbox, 5_000, "XPT")
        body = {**BODY, "reward": {"type": "points", "value": 50}, "budget": {"amount": 5_000, "currency": "XPT"}}

        response = create(sandbox_client, body)

        assert response.status_code == 201, response.content
        assert response.json()["reward"] == {"type": "points", "value": 50, "cap": None}


class TestReadChangePause:
    def test_list_retrieve_patch_pause_and_resume(self, sandbox, sandbox_client):
        offer = make_offer(sandbox)
        fund(sandbox, 5_000)

        assert [o["id"] for o in sandbox_client.get("/v1/offers").json()["data"]] == [offer.public_id]
        assert sandbox_client.get(f"/v1/offers/{offer.public_id}").json()["merchant"]["name"] == "Bean There Coffee"
        patched = sandbox_client.patch(
            f"/v1/offers/{offer.public_id}", {"budget": {"amount": 15_000, "currency": "USD"}}, format="json"
        )
        assert patched.json()["budget"]["amount"] == 15_000
        assert OfferFunding.objects.get().allocated == 15_000
        paused = sandbox_client.post(f"/v1/offers/{offer.public_id}/pause")
        assert paused.json()["status"] == "paused"
        assert_problem(sandbox_client.post(f"/v1/offers/{offer.public_id}/pause"), 409, "invalid_state_transition")
        assert sandbox_client.post(f"/v1/offers/{offer.public_id}/resume").json()["status"] == "active"

    def test_a_budget_beyond_the_funding_or_below_zero_is_refused(self, sandbox, sandbox_client):
        offer = make_offer(sandbox)
        url = f"/v1/offers/{offer.public_id}"

        assert_problem(
            sandbox_client.patch(url, {"budget": {"amount": 20_000, "currency": "USD"}}, format="json"),
            422,
            "offer_funding_insufficient",
        )
        assert_problem(
            sandbox_client.patch(url, {"budget": {"amount": 0, "currency": "USD"}}, format="json"),
            400,
            "parameter_invalid",
        )

    def test_another_partners_offer_is_not_found(self, sandbox_client):
        other = PartnerFactory().environments.get(kind="sandbox")
        offer = make_offer(other)

        for response in (
            sandbox_client.get(f"/v1/offers/{offer.public_id}"),
            sandbox_client.post(f"/v1/offers/{offer.public_id}/pause"),
            sandbox_client.get(f"/v1/offers/{offer.public_id}/audience"),
        ):
            assert_problem(response, 404, "resource_missing")
        assert sandbox_client.get("/v1/offers").json()["data"] == []

    def test_a_holders_token_cannot_manage_offers_even_with_offers_write(self, partner, sandbox):
        holder = opted_in_holder(partner)
        principal = oauth_principal(
            partner=partner, environment=sandbox, holder=holder, scopes=frozenset({OFFERS_WRITE})
        )

        assert_problem(create(client_as(principal)), 403, "insufficient_scope")


class TestAudience:
    def test_only_opted_in_holders_who_match_the_targeting_are_counted(self, partner, sandbox, sandbox_client):
        offer = make_offer(sandbox, target_categories=["dining"], target_min_spend_90d=2_000)
        now = clock.now(environment=sandbox)
        fans = [opted_in_holder(partner, name=f"Fan {n}") for n in range(3)]
        for holder in fans:
            post(
                wallet=holder.wallets.get(),
                amount=-2_500,
                category="dining",
                merchant_name="X",
                booked_at=now - timedelta(days=3),
            )
        light = opted_in_holder(partner, name="Light")
        post(
            wallet=light.wallets.get(),
            amount=-500,
            category="dining",
            merchant_name="X",
            booked_at=now - timedelta(days=3),
        )
        stale = opted_in_holder(partner, name="Stale")
        post(
            wallet=stale.wallets.get(),
            amount=-9_000,
            category="dining",
            merchant_name="X",
            booked_at=now - timedelta(days=120),
        )
        private = make_holder(partner=partner, name="Private")
        post(wallet=make_wallet(holder=private, balance=10_000), amount=-5_000, category="dining", merchant_name="X")
        url = f"/v1/offers/{offer.public_id}/audience"

        body = sandbox_client.get(url).json()
        assert (body["object"], body["offer"], body["estimated_holders"]) == ("offer_audience", offer.public_id, 3)
        assert set(body) == {"object", "offer", "estimated_holders", "as_of"}  # a number, never who

        personalisation_set(holder=fans[0], enabled=False)  # opting out counts at once
        assert sandbox_client.get(url).json()["estimated_holders"] == 2
