from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.partners.services import api_key_create
from apps.wallets import services
from apps.wallets.snapshots import wallet_snapshot
from tests.helpers import assert_problem, client_as
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.wallets.factories import make_holder, make_wallet, oauth_principal, post

pytestmark = pytest.mark.django_db


class TestWalletRetrieve:
    def test_an_own_wallet_is_returned_in_the_documented_shape(self, sandbox_client, holder):
        wallet = make_wallet(holder=holder, currency="JPY", balance=1_500)

        response = sandbox_client.get(f"/v1/wallets/{wallet.public_id}")

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {
            "id",
            "object",
            "environment",
            "holder",
            "currency",
            "status",
            "ledger_balance",
            "available_balance",
            "created_at",
        }
        assert body["id"] == wallet.public_id and body["id"].startswith("wal_")
        assert (body["object"], body["environment"], body["holder"]) == ("wallet", "sandbox", holder.public_id)
        assert (body["currency"], body["status"]) == ("JPY", "active")
        assert body["ledger_balance"] == {"amount": 1_500, "currency": "JPY"}
        assert body["available_balance"] == {"amount": 1_500, "currency": "JPY"}

    def test_the_response_matches_the_event_payload_of_the_same_wallet(self, sandbox_client, holder):
        wallet = make_wallet(holder=holder, balance=700)

        assert sandbox_client.get(f"/v1/wallets/{wallet.public_id}").json() == wallet_snapshot(wallet)

    def test_another_partners_wallet_is_a_404(self, sandbox_client):
        other = make_wallet(holder=make_holder(partner=PartnerFactory()))

        assert_problem(sandbox_client.get(f"/v1/wallets/{other.public_id}"), 404, "resource_missing")

    def test_a_live_wallet_is_a_404_to_a_sandbox_key(self, sandbox_client, partner):
        LiveEnvironmentFactory(partner=partner)
        live = make_wallet(holder=make_holder(environment="live"))

        assert_problem(sandbox_client.get(f"/v1/wallets/{live.public_id}"), 404, "resource_missing")

    def test_balances_are_null_for_a_token_without_balances_read(self, partner, sandbox, holder):
        wallet = make_wallet(holder=holder, balance=700)
        client = client_as(
            oauth_principal(partner=partner, environment=sandbox, holder=holder, scopes=frozenset({"accounts:read"}))
        )

        body = client.get(f"/v1/wallets/{wallet.public_id}").json()

        assert body["ledger_balance"] is None and body["available_balance"] is None
        assert body["currency"] == "USD"


class TestWalletList:
    def test_lists_this_partners_wallets_newest_first(self, sandbox_client, holder):
        usd = make_wallet(holder=holder, currency="USD")
        other_holder = make_holder(partner=holder.partner, name="Other")
        eur = make_wallet(holder=other_holder, currency="EUR")
        make_wallet(holder=make_holder(partner=PartnerFactory()), currency="USD")

        body = sandbox_client.get("/v1/wallets").json()

        assert [w["id"] for w in body["data"]] == [eur.public_id, usd.public_id]
        assert body["has_more"] is False

    def test_filters_by_holder(self, sandbox_client, holder):
        usd = make_wallet(holder=holder, currency="USD")
        points = make_wallet(holder=holder, currency="XPT")
        make_wallet(holder=make_holder(partner=holder.partner, name="Other"), currency="USD")

        body = sandbox_client.get(f"/v1/wallets?holder={holder.public_id}").json()

        assert [w["id"] for w in body["data"]] == [points.public_id, usd.public_id]
        assert {w["holder"] for w in body["data"]} == {holder.public_id}

    @pytest.mark.parametrize("foreign", ["other_partner", "unknown", "live"])
    def test_a_holder_filter_naming_a_holder_it_cannot_see_is_a_400(self, sandbox_client, partner, foreign):
        if foreign == "other_partner":
            holder_id = make_holder(partner=PartnerFactory()).public_id
        elif foreign == "live":
            LiveEnvironmentFactory(partner=partner)
            holder_id = make_holder(environment="live").public_id
        else:
            holder_id = "ph_doesnotexist"

        body = assert_problem(sandbox_client.get(f"/v1/wallets?holder={holder_id}"), 404, "resource_missing")

        assert body["errors"][0]["field"] == "holder"

    def test_an_unknown_query_parameter_is_refused(self, sandbox_client):
        body = assert_problem(sandbox_client.get("/v1/wallets?currency=USD"), 400, "parameter_unknown")

        assert body["errors"][0]["field"] == "currency"

    def test_a_repeated_holder_filter_is_refused(self, sandbox_client, holder):
        body = assert_problem(
            sandbox_client.get(f"/v1/wallets?holder={holder.public_id}&holder={holder.public_id}"),
            400,
            "parameter_invalid",
        )

        assert body["errors"][0]["field"] == "holder"

    def test_a_page_costs_the_same_queries_for_one_wallet_as_for_fifty(
        self, sandbox_client, partner, django_assert_max_num_queries
    ):
        make_wallet(holder=make_holder(partner=partner))
        sandbox_client.get("/v1/wallets")  # warm the key cache
        # One query for the page, plus three for the request log where it shares the database (PostgreSQL).
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(4):
            assert len(sandbox_client.get("/v1/wallets?limit=100").json()["data"]) == 1

        for i in range(49):
            make_wallet(holder=make_holder(partner=partner, name=f"Holder {i}"))
        with CaptureQueriesContext(connection) as fifty:
            assert len(sandbox_client.get("/v1/wallets?limit=100").json()["data"]) == 50

        assert len(fifty.captured_queries) == len(one.captured_queries)


class TestWalletBalance:
    def test_the_balance_has_exactly_the_documented_shape(self, sandbox_client, holder):
        wallet = make_wallet(holder=holder, currency="KWD", balance=12_345)

        response = sandbox_client.get(f"/v1/wallets/{wallet.public_id}/balances")

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"object", "wallet", "ledger", "available", "pending", "as_of", "last_transaction"}
        assert (body["object"], body["wallet"]) == ("balance", wallet.public_id)
        assert body["ledger"] == {"amount": 12_345, "currency": "KWD"}
        assert body["available"] == {"amount": 12_345, "currency": "KWD"}
        assert body["pending"] == {"amount": 0, "currency": "KWD"}
        assert body["last_transaction"] == wallet.transactions.get().public_id

    def test_holds_show_as_pending_and_leave_the_ledger_alone_until_captured(self, sandbox_client, holder):
        wallet = make_wallet(holder=holder, balance=10_000)
        fuel = services.hold_place(wallet=wallet, amount=4_500, category="transport", merchant_name="Shell")
        hotel = services.hold_place(wallet=wallet, amount=2_000, category="travel", merchant_name="Ibis")
        url = f"/v1/wallets/{wallet.public_id}/balances"

        held = sandbox_client.get(url).json()
        assert (held["ledger"]["amount"], held["available"]["amount"], held["pending"]["amount"]) == (
            10_000,
            3_500,
            6_500,
        )
        assert held["last_transaction"] == hotel.transaction.public_id

        services.hold_capture(hold=fuel.hold, amount=4_000)
        services.hold_release(hold=hotel.hold)
        settled = sandbox_client.get(url).json()
        assert (settled["ledger"]["amount"], settled["available"]["amount"], settled["pending"]["amount"]) == (
            6_000,
            6_000,
            0,
        )

    def test_last_transaction_is_the_transaction_list_head_after_postings(self, sandbox_client, holder):
        wallet = make_wallet(holder=holder, balance=1_000)
        post(wallet=wallet, amount=-250, category="dining", merchant_name="Pret")

        balance = sandbox_client.get(f"/v1/wallets/{wallet.public_id}/balances").json()
        head = sandbox_client.get(f"/v1/wallets/{wallet.public_id}/transactions?limit=1").json()["data"][0]

        assert balance["last_transaction"] == head["id"]
        assert balance["ledger"]["amount"] == head["balance_after"] == 750

    def test_a_new_wallet_has_no_last_transaction(self, sandbox_client, holder):
        wallet = make_wallet(holder=holder)

        assert sandbox_client.get(f"/v1/wallets/{wallet.public_id}/balances").json()["last_transaction"] is None

    def test_as_of_follows_the_sandbox_clock(self, holder, sandbox, client_for):
        wallet = make_wallet(holder=holder)
        sandbox.clock_offset = timedelta(days=3)
        sandbox.save(update_fields=["clock_offset"])
        key = api_key_create(environment=sandbox, name="After the clock moved")
        frozen = timezone.now().replace(microsecond=0)

        with time_machine.travel(frozen, tick=False):
            body = client_for(key.secret).get(f"/v1/wallets/{wallet.public_id}/balances").json()

        assert body["as_of"] == (frozen + timedelta(days=3)).isoformat().replace("+00:00", "Z")

    def test_another_partners_wallet_balance_is_a_404(self, sandbox_client):
        other = make_wallet(holder=make_holder(partner=PartnerFactory()), balance=100)

        assert_problem(sandbox_client.get(f"/v1/wallets/{other.public_id}/balances"), 404, "resource_missing")

    def test_a_token_without_balances_read_gets_403(self, partner, sandbox, holder):
        wallet = make_wallet(holder=holder)
        client = client_as(
            oauth_principal(partner=partner, environment=sandbox, holder=holder, scopes=frozenset({"accounts:read"}))
        )

        body = assert_problem(client.get(f"/v1/wallets/{wallet.public_id}/balances"), 403, "insufficient_scope")

        assert body["required_scopes"] == ["balances:read"]
