"""``/v1/fx/quotes``: create and retrieve, idempotency, bad input, tenancy and scopes."""

from datetime import UTC, datetime

import pytest
import time_machine

from apps.core.models import IdempotencyKey
from apps.core.scopes import TRANSFERS_READ, TRANSFERS_WRITE
from apps.partners.services import api_key_create
from apps.transfers.fx import fx_quote_snapshot
from apps.transfers.models import FxQuote
from apps.transfers.serializers import FxQuoteSerializer
from tests.helpers import assert_problem, client_as
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.transfers.factories import make_quote
from tests.wallets.factories import make_holder, oauth_principal

pytestmark = pytest.mark.django_db

URL = "/v1/fx/quotes"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
BODY = {"source_currency": "USD", "destination_currency": "EUR", "source_amount": 100_000}


def create(client, body=BODY, key: str | None = "key-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **headers)


class TestFxQuoteCreateApi:
    @time_machine.travel(NOW, tick=False)
    def test_a_quote_is_created_and_returned(self, sandbox_client):
        response = create(sandbox_client)

        assert response.status_code == 201, response.content
        quote = FxQuote.objects.get()
        assert response.json() == {
            "id": quote.public_id,
            "object": "fx_quote",
            "environment": "sandbox",
            "source": {"amount": 100_000, "currency": "USD"},
            "destination": {"amount": 91_878, "currency": "EUR"},
            "fee": {"amount": 500, "currency": "USD"},
            "rate": "0.9234",
            "expires_at": "2026-11-22T09:31:00Z",
            "used": False,
            "created_at": "2026-11-22T09:30:00Z",
        }

    def test_a_destination_amount_is_priced_backwards(self, sandbox_client):
        body = {"source_currency": "USD", "destination_currency": "JPY", "destination_amount": 10_000}

        response = create(sandbox_client, body)

        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["source"], data["destination"], data["fee"]) == (
            {"amount": 6_709, "currency": "USD"},
            {"amount": 10_000, "currency": "JPY"},
            {"amount": 34, "currency": "USD"},
        )

    def test_the_same_key_and_body_replay_the_first_quote(self, sandbox_client):
        first = create(sandbox_client)

        second = create(sandbox_client)

        assert second.status_code == 201
        assert second["Idempotent-Replayed"] == "true"
        assert second.json() == first.json()
        assert FxQuote.objects.count() == 1

    def test_the_same_key_with_another_body_is_refused(self, sandbox_client):
        create(sandbox_client)

        assert_problem(create(sandbox_client, {**BODY, "source_amount": 5_000}), 422, "idempotency_key_reused")
        assert FxQuote.objects.count() == 1

    def test_a_new_key_makes_a_new_quote(self, sandbox_client):
        first, second = create(sandbox_client, key="a"), create(sandbox_client, key="b")

        assert first.json()["id"] != second.json()["id"]
        assert FxQuote.objects.count() == 2

    def test_an_idempotency_key_is_required(self, sandbox_client):
        assert_problem(create(sandbox_client, key=None), 400, "idempotency_key_required")
        assert not FxQuote.objects.exists()

    def test_an_unknown_field_is_refused(self, sandbox_client):
        body = assert_problem(create(sandbox_client, {**BODY, "amount": 100}), 400, "parameter_unknown")

        assert body["errors"] == [{"field": "amount", "code": "parameter_unknown", "message": "Unknown parameter."}]
        assert not FxQuote.objects.exists()

    def test_both_amounts_are_refused(self, sandbox_client):
        body = assert_problem(create(sandbox_client, {**BODY, "destination_amount": 100}), 400, "parameter_invalid")

        assert {e["field"] for e in body["errors"]} == {"source_amount", "destination_amount"}
        assert not IdempotencyKey.objects.exists()

    def test_neither_amount_is_refused(self, sandbox_client):
        body = {"source_currency": "USD", "destination_currency": "EUR"}

        problem = assert_problem(create(sandbox_client, body), 400, "parameter_missing")

        assert {e["field"] for e in problem["errors"]} == {"source_amount", "destination_amount"}

    @pytest.mark.parametrize("amount", ["1000", 1000.5, True, 0, -1])
    def test_an_amount_that_is_not_a_positive_json_integer_is_refused(self, sandbox_client, amount):
        problem = assert_problem(create(sandbox_client, {**BODY, "source_amount": amount}), 400, "parameter_invalid")

        assert problem["errors"][0]["field"] == "source_amount"

    def test_a_pair_without_a_rate_is_unavailable_and_frees_the_key(self, sandbox_client):
        body = {**BODY, "destination_currency": "SEK"}

        assert_problem(create(sandbox_client, body), 422, "fx_rate_unavailable")

        assert not FxQuote.objects.exists()
        assert not IdempotencyKey.objects.exists()

    def test_the_same_currency_twice_is_refused(self, sandbox_client):
        assert_problem(create(sandbox_client, {**BODY, "destination_currency": "USD"}), 422, "same_currency")

    def test_an_unsupported_currency_is_refused(self, sandbox_client):
        problem = assert_problem(
            create(sandbox_client, {**BODY, "source_currency": "ZZZ"}), 400, "currency_unsupported"
        )

        assert problem["errors"][0]["field"] == "source_currency"

    def test_an_amount_too_small_to_convert_is_refused(self, sandbox_client):
        assert_problem(create(sandbox_client, {**BODY, "source_amount": 1}), 422, "amount_too_small")

    def test_a_live_secret_key_lacks_the_transfer_scope(self, partner, client_for):
        live_key = api_key_create(environment=LiveEnvironmentFactory(partner=partner), name="Live")

        problem = assert_problem(create(client_for(live_key.secret)), 403, "insufficient_scope")

        assert problem["required_scopes"] == [TRANSFERS_WRITE]

    def test_a_sandbox_key_without_sandbox_write_lacks_the_transfer_scope(self, sandbox, client_for):
        events_only = api_key_create(environment=sandbox, name="Events", scopes=["events:read"])

        assert_problem(create(client_for(events_only.secret)), 403, "insufficient_scope")

    def test_an_oauth_token_needs_transfers_write(self, partner, sandbox):
        holder = make_holder(partner=partner)
        client = client_as(
            oauth_principal(partner=partner, environment=sandbox, holder=holder, scopes=frozenset({TRANSFERS_READ}))
        )

        assert_problem(create(client), 403, "insufficient_scope")

    def test_an_oauth_token_with_transfers_write_creates_a_quote(self, partner, sandbox):
        holder = make_holder(partner=partner)
        client = client_as(
            oauth_principal(partner=partner, environment=sandbox, holder=holder, scopes=frozenset({TRANSFERS_WRITE}))
        )

        assert create(client).status_code == 201

    def test_no_credential_is_401(self, api_client):
        assert create(api_client).status_code == 401


class TestFxQuoteRetrieveApi:
    def test_the_partners_quote_is_returned_as_created(self, sandbox_client):
        created = create(sandbox_client).json()

        response = sandbox_client.get(f"{URL}/{created['id']}")

        assert response.status_code == 200
        assert response.json() == created

    def test_a_used_quote_shows_used(self, sandbox, sandbox_client):
        quote = make_quote(environment=sandbox)
        FxQuote.objects.filter(pk=quote.pk).update(used_at=quote.created_at)

        assert sandbox_client.get(f"{URL}/{quote.public_id}").json()["used"] is True

    def test_an_unknown_id_is_404(self, sandbox_client):
        assert_problem(sandbox_client.get(f"{URL}/fxq_nope"), 404, "resource_missing")

    def test_another_partners_quote_is_404(self, sandbox_client):
        other = make_quote(environment=PartnerFactory().environments.get(kind="sandbox"))

        assert_problem(sandbox_client.get(f"{URL}/{other.public_id}"), 404, "resource_missing")

    def test_a_live_credential_does_not_see_a_sandbox_quote(self, partner, sandbox):
        quote = make_quote(environment=sandbox)
        live = LiveEnvironmentFactory(partner=partner)
        client = client_as(
            oauth_principal(
                partner=partner,
                environment=live,
                holder=make_holder(environment="live"),
                scopes=frozenset({TRANSFERS_READ}),
            )
        )

        assert_problem(client.get(f"{URL}/{quote.public_id}"), 404, "resource_missing")

    def test_a_live_secret_key_lacks_transfers_read(self, partner, client_for):
        live_key = api_key_create(environment=LiveEnvironmentFactory(partner=partner), name="Live")

        problem = assert_problem(client_for(live_key.secret).get(f"{URL}/fxq_any"), 403, "insufficient_scope")

        assert problem["required_scopes"] == [TRANSFERS_READ]


class TestFxQuoteSchema:
    def test_the_documented_shape_is_the_snapshots(self, sandbox):
        documented = set(FxQuoteSerializer().fields)

        assert documented == set(fx_quote_snapshot(make_quote(environment=sandbox)))
        assert set(FxQuoteSerializer().fields["source"].fields) == {"amount", "currency"}
