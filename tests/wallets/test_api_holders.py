import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.core.principal import Principal
from apps.partners.services import api_key_create
from apps.wallets.selectors import holder_data_scopes, holder_list, transaction_list, wallet_list
from apps.wallets.snapshots import holder_snapshot
from tests.helpers import assert_problem, client_as
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.wallets.factories import make_history, make_holder, make_wallet, oauth_principal

pytestmark = pytest.mark.django_db


class TestWalletHolderRetrieve:
    def test_an_own_sandbox_holder_is_returned_in_the_documented_shape(self, sandbox_client, partner):
        holder = make_holder(partner=partner, name="Grace Hopper", email="grace@example.test", kyc_tier="full")

        response = sandbox_client.get(f"/v1/wallet_holders/{holder.public_id}")

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"id", "object", "environment", "name", "email", "kyc_tier", "status", "created_at"}
        assert body["id"] == holder.public_id and body["id"].startswith("ph_")
        assert body["object"] == "wallet_holder"
        assert body["environment"] == "sandbox"
        assert (body["name"], body["email"], body["kyc_tier"], body["status"]) == (
            "Grace Hopper",
            "grace@example.test",
            "full",
            "active",
        )
        assert body["created_at"].endswith("Z")

    def test_the_response_matches_the_event_payload_of_the_same_holder(self, sandbox_client, partner):
        holder = make_holder(partner=partner)

        body = sandbox_client.get(f"/v1/wallet_holders/{holder.public_id}").json()

        assert body == holder_snapshot(holder)

    def test_another_partners_holder_is_a_404(self, sandbox_client):
        other = make_holder(partner=PartnerFactory())

        assert_problem(sandbox_client.get(f"/v1/wallet_holders/{other.public_id}"), 404, "resource_missing")

    def test_a_live_holder_is_a_404_to_a_sandbox_key(self, sandbox_client, partner):
        LiveEnvironmentFactory(partner=partner)
        live = make_holder(environment="live")

        assert_problem(sandbox_client.get(f"/v1/wallet_holders/{live.public_id}"), 404, "resource_missing")

    def test_an_unknown_id_is_a_404(self, sandbox_client):
        assert_problem(sandbox_client.get("/v1/wallet_holders/ph_doesnotexist"), 404, "resource_missing")

    def test_without_a_credential_it_is_a_401(self, partner):
        holder = make_holder(partner=partner)

        assert_problem(APIClient().get(f"/v1/wallet_holders/{holder.public_id}"), 401, "authentication_required")


class TestWalletHolderList:
    def test_lists_only_this_partners_sandbox_holders_newest_first(self, sandbox_client, partner):
        own = [make_holder(partner=partner, name=f"Holder {i}") for i in range(3)]
        make_holder(partner=PartnerFactory())
        LiveEnvironmentFactory(partner=partner)
        make_holder(environment="live")

        body = sandbox_client.get("/v1/wallet_holders").json()

        assert body["object"] == "list"
        assert [h["id"] for h in body["data"]] == [h.public_id for h in reversed(own)]
        assert body["has_more"] is False and body["next_cursor"] is None

    def test_pages_with_starting_after(self, sandbox_client, partner):
        own = [make_holder(partner=partner, name=f"Holder {i}") for i in range(5)]

        first = sandbox_client.get("/v1/wallet_holders?limit=2").json()
        second = sandbox_client.get(f"/v1/wallet_holders?limit=2&starting_after={first['next_cursor']}").json()
        third = sandbox_client.get(f"/v1/wallet_holders?limit=2&starting_after={second['next_cursor']}").json()

        seen = [h["id"] for page in (first, second, third) for h in page["data"]]
        assert seen == [h.public_id for h in reversed(own)]
        assert (first["has_more"], second["has_more"], third["has_more"]) == (True, True, False)

    def test_another_partners_holder_is_not_a_cursor(self, sandbox_client, partner):
        make_holder(partner=partner)
        other = make_holder(partner=PartnerFactory())

        body = assert_problem(
            sandbox_client.get(f"/v1/wallet_holders?starting_after={other.public_id}"), 404, "resource_missing"
        )
        assert body["errors"][0]["field"] == "starting_after"

    def test_an_unknown_query_parameter_is_refused(self, sandbox_client, partner):
        make_holder(partner=partner)

        body = assert_problem(sandbox_client.get("/v1/wallet_holders?name=Ada"), 400, "parameter_unknown")

        assert body["errors"] == [{"field": "name", "code": "parameter_unknown", "message": "Unknown parameter."}]

    def test_a_limit_out_of_range_is_refused(self, sandbox_client):
        body = assert_problem(sandbox_client.get("/v1/wallet_holders?limit=101"), 400, "parameter_invalid")

        assert body["errors"][0]["field"] == "limit"

    def test_a_page_costs_the_same_queries_for_one_holder_as_for_fifty(
        self, sandbox_client, partner, django_assert_max_num_queries
    ):
        make_holder(partner=partner)
        sandbox_client.get("/v1/wallet_holders")  # warm the key cache
        # One query for the page, plus three for the request log where it shares the database (PostgreSQL).
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(4):
            assert len(sandbox_client.get("/v1/wallet_holders?limit=100").json()["data"]) == 1

        for i in range(49):
            make_holder(partner=partner, name=f"Holder {i}")
        with CaptureQueriesContext(connection) as fifty:
            assert len(sandbox_client.get("/v1/wallet_holders?limit=100").json()["data"]) == 50

        assert len(fifty.captured_queries) == len(one.captured_queries)


class TestHolderDataScopes:
    """The rule for who may read holder data before consents exist, and the OAuth seam it leaves."""

    def test_a_live_secret_key_gets_403_naming_the_consent_it_needs(self, partner, client_for):
        live = LiveEnvironmentFactory(partner=partner)
        make_holder(environment="live")
        key = api_key_create(environment=live, name="Live key")

        for path in ("/v1/wallet_holders", "/v1/wallets", "/v1/transactions/txn_x", "/v1/wallets/wal_x/balances"):
            body = assert_problem(client_for(key.secret).get(path), 403, "insufficient_scope")
            assert "consent" in body["detail"]
        assert assert_problem(client_for(key.secret).get("/v1/wallet_holders"), 403, "insufficient_scope")[
            "required_scopes"
        ] == ["accounts:read"]

    def test_a_restricted_sandbox_key_without_sandbox_write_gets_403(self, partner, sandbox, client_for):
        holder = make_holder(partner=partner)
        events_only = api_key_create(environment=sandbox, name="Events", scopes=["events:read"])

        body = assert_problem(
            client_for(events_only.secret).get(f"/v1/wallet_holders/{holder.public_id}"), 403, "insufficient_scope"
        )
        assert "sandbox:write" in body["detail"]

    def test_a_restricted_sandbox_key_with_sandbox_write_reads_its_holders(self, partner, sandbox, client_for):
        holder = make_holder(partner=partner)
        key = api_key_create(environment=sandbox, name="Sandbox", scopes=["sandbox:write"])

        response = client_for(key.secret).get(f"/v1/wallet_holders/{holder.public_id}")

        assert response.status_code == 200

    def test_an_oauth_principal_has_only_the_scopes_it_was_consented(self, partner, sandbox):
        holder = make_holder(partner=partner)
        principal = oauth_principal(
            partner=partner, environment=sandbox, holder=holder, scopes=frozenset({"accounts:read", "sandbox:write"})
        )

        assert holder_data_scopes(principal) == {"accounts:read", "sandbox:write"}

    def test_an_oauth_token_without_accounts_read_gets_403(self, partner, sandbox):
        holder = make_holder(partner=partner)
        client = client_as(
            oauth_principal(
                partner=partner, environment=sandbox, holder=holder, scopes=frozenset({"transactions:read"})
            )
        )

        body = assert_problem(client.get(f"/v1/wallet_holders/{holder.public_id}"), 403, "insufficient_scope")
        assert body["required_scopes"] == ["accounts:read"]


class TestHolderBoundPrincipal:
    """An OAuth token bound to a holder (and optionally some wallets) sees only those."""

    def test_sees_only_its_holder_and_consented_wallets_and_their_transactions(self, partner, sandbox):
        holder = make_holder(partner=partner, name="Consenting")
        usd = make_wallet(holder=holder, currency="USD", balance=1_000)
        eur = make_wallet(holder=holder, currency="EUR", balance=1_000)
        neighbour = make_holder(partner=partner, name="Neighbour")
        make_wallet(holder=neighbour, currency="USD", balance=1_000)
        principal = oauth_principal(partner=partner, environment=sandbox, holder=holder, wallets=[usd])

        assert list(holder_list(principal=principal)) == [holder]
        assert list(wallet_list(principal=principal)) == [usd]
        assert transaction_list(principal=principal, wallet=eur).count() == 0
        assert transaction_list(principal=principal, wallet=usd).count() == 1

    def test_over_http_another_holder_and_an_unconsented_wallet_are_404(self, partner, sandbox):
        holder = make_holder(partner=partner)
        usd = make_wallet(holder=holder, currency="USD", balance=1_000)
        eur = make_wallet(holder=holder, currency="EUR", balance=1_000)
        (eur_txn,) = eur.transactions.all()
        neighbour = make_holder(partner=partner, name="Neighbour")
        client = client_as(oauth_principal(partner=partner, environment=sandbox, holder=holder, wallets=[usd]))

        assert client.get(f"/v1/wallet_holders/{holder.public_id}").status_code == 200
        assert client.get(f"/v1/wallets/{usd.public_id}").status_code == 200
        assert_problem(client.get(f"/v1/wallet_holders/{neighbour.public_id}"), 404, "resource_missing")
        assert_problem(client.get(f"/v1/wallets/{eur.public_id}"), 404, "resource_missing")
        assert_problem(client.get(f"/v1/wallets/{eur.public_id}/balances"), 404, "resource_missing")
        assert_problem(client.get(f"/v1/wallets/{eur.public_id}/transactions"), 404, "resource_missing")
        assert_problem(client.get(f"/v1/transactions/{eur_txn.public_id}"), 404, "resource_missing")
        assert [w["id"] for w in client.get("/v1/wallets").json()["data"]] == [usd.public_id]

    def test_a_live_token_sees_its_live_holder_though_live_holders_have_no_partner(self, partner):
        live_env = LiveEnvironmentFactory(partner=partner)
        holder = make_holder(environment="live")
        wallet = make_wallet(holder=holder, currency="GBP")
        make_history(wallet=wallet, count=2)
        make_holder(environment="live", name="Someone else")
        principal = oauth_principal(partner=partner, environment=live_env, holder=holder)

        assert list(holder_list(principal=principal)) == [holder]
        assert list(wallet_list(principal=principal)) == [wallet]

    def test_a_sandbox_token_bound_to_another_partners_holder_sees_nothing(self, partner, sandbox):
        foreign = make_holder(partner=PartnerFactory())
        principal = oauth_principal(partner=partner, environment=sandbox, holder=foreign)

        assert list(holder_list(principal=principal)) == []

    def test_a_partner_level_principal_in_live_sees_no_holders_even_past_the_scope_check(self, partner):
        live_env = LiveEnvironmentFactory(partner=partner)
        make_holder(environment="live")
        principal = Principal(partner=partner, environment=live_env, credential_type="api_key", credential_id="key_x")

        assert list(holder_list(principal=principal)) == []
