"""Each persona behaves as docs/sandbox.md says, through the public API with the partner's sandbox key."""

from datetime import date

import pytest

from sandbox.seed import seed_sandbox
from tests.helpers import assert_problem, post_transfer
from tests.transfers.factories import fresh_reference_tables

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables():
    with fresh_reference_tables(seed=True):
        yield


@pytest.fixture
def personas(partner):
    report = seed_sandbox(partner=partner, holders=0, anchor=date(2025, 6, 15))
    return {p["username"].split("@")[0]: p for p in report.personas}


def usd(persona) -> str:
    return next(w["id"] for w in persona["wallets"] if w["currency"] == "USD")


def p2p(client, source: str, destination: str, amount: int):
    body = {"type": "p2p", "source": source, "destination": destination, "amount": amount, "currency": "USD"}
    return post_transfer(client, body)


class TestPersonas:
    def test_every_persona_is_seeded_with_its_published_password(self, personas, client):
        assert set(personas) == {
            "user_good",
            "user_low_balance",
            "user_unverified",
            "user_frozen",
            "user_multi_currency",
            "user_sanctions_hit",
            "user_mfa",
            "user_consent_expiring",
        }
        for key, persona in personas.items():
            assert persona["password"] == f"pass_{key.removeprefix('user_')}"
            assert client.login(username=persona["username"], password=persona["password"])

    def test_user_low_balance_has_12_50_and_cannot_pay_20(self, personas, sandbox_client):
        wallet = usd(personas["user_low_balance"])

        balance = sandbox_client.get(f"/v1/wallets/{wallet}/balances").json()

        assert balance["available"] == {"amount": 1250, "currency": "USD"}
        response = p2p(sandbox_client, wallet, usd(personas["user_good"]), 2000)
        assert_problem(response, 422, "insufficient_funds")

    def test_user_unverified_hits_the_unverified_tier_limit(self, personas, sandbox_client):
        holder = personas["user_unverified"]["holder"]
        assert sandbox_client.get(f"/v1/wallet_holders/{holder}").json()["kyc_tier"] == "unverified"

        response = p2p(sandbox_client, usd(personas["user_unverified"]), usd(personas["user_good"]), 60_000)

        assert_problem(response, 422, "limit_exceeded")

    def test_user_frozen_wallet_is_frozen_and_moves_nothing(self, personas, sandbox_client):
        wallet = usd(personas["user_frozen"])

        assert sandbox_client.get(f"/v1/wallets/{wallet}").json()["status"] == "frozen"
        assert_problem(p2p(sandbox_client, wallet, usd(personas["user_good"]), 100), 422, "wallet_frozen")
        deposit = {"wallet": wallet, "amount": 100, "currency": "USD"}
        assert_problem(sandbox_client.post("/v1/sandbox/deposits", deposit, format="json"), 422, "wallet_frozen")

    def test_user_multi_currency_holds_five_currencies(self, personas, sandbox_client):
        holder = personas["user_multi_currency"]["holder"]

        wallets = sandbox_client.get(f"/v1/wallets?holder={holder}").json()["data"]

        assert sorted(w["currency"] for w in wallets) == ["EUR", "GBP", "JPY", "USD", "XPT"]

    def test_user_sanctions_hit_transfers_are_held(self, personas, sandbox_client):
        response = p2p(sandbox_client, usd(personas["user_sanctions_hit"]), usd(personas["user_good"]), 500)

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["status"], body["review_reason"]) == ("held", "compliance_hold")

    def test_user_sanctions_hit_is_frozen_by_screening_when_seeded(self, personas):
        from apps.risk.models import ScreeningHit
        from apps.wallets.models import WalletHolder

        holder = WalletHolder.objects.get(public_id=personas["user_sanctions_hit"]["holder"])
        assert holder.status == "frozen"
        assert ScreeningHit.objects.get(holder=holder, subject="holder").matched_name == "TESTNAME, Ofac"
        assert WalletHolder.objects.get(public_id=personas["user_good"]["holder"]).status == "active"
