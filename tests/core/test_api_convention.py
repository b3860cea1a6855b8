"""One API convention (docs/architecture.md "API convention"): every response body is the dictionary of a snapshot
function in the app's ``snapshots.py``; the app's output serializers only describe those bodies for OpenAPI. Run
as serializers, they must give byte for byte what the snapshots send, so the schema cannot drift from the API."""

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from apps.core import clock
from apps.events.serializers import EventSerializer
from apps.events.snapshots import event_snapshot
from apps.partners.serializers import PartnerWhoamiSerializer
from apps.partners.snapshots import whoami_snapshot
from apps.wallets import services as wallets
from apps.wallets.apis.funding_sources import FundingSourceSerializer
from apps.wallets.selectors import wallet_balance
from apps.wallets.serializers import BalanceSerializer, TransactionSerializer, WalletHolderSerializer, WalletSerializer
from apps.wallets.snapshots import (
    balance_snapshot,
    funding_source_snapshot,
    holder_snapshot,
    transaction_snapshot,
    wallet_snapshot,
)
from apps.webhooks import services as webhooks
from apps.webhooks.serializers import (
    DeliverySerializer,
    EndpointDeletedSerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    ReplaySerializer,
)
from apps.webhooks.snapshots import (
    delivery_snapshot,
    endpoint_deleted_snapshot,
    endpoint_snapshot,
    replay_snapshot,
    with_secret,
)
from tests.events.factories import EventFactory
from tests.transfers.factories import api_key_principal
from tests.wallets.factories import add_bank_account, add_card, make_holder, make_wallet, post
from tests.webhooks.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


def assert_same_bytes(described: Any, sent: dict[str, Any]) -> None:
    assert json.dumps(described) == json.dumps(sent)  # keys, their order and every value


class TestEvents:
    def test_event(self):
        event = EventFactory()

        assert_same_bytes(EventSerializer(event).data, event_snapshot(event))


class TestPartner:
    def test_whoami(self, sandbox):
        principal = api_key_principal(environment=sandbox)
        whoami = SimpleNamespace(
            partner=principal.partner,
            environment=principal.environment,
            environments=["sandbox"],
            credential={"type": "api_key", "id": principal.credential_id, "scopes": sorted(principal.scopes)},
        )

        assert_same_bytes(PartnerWhoamiSerializer(whoami).data, whoami_snapshot(principal, environments=["sandbox"]))


class TestWebhooks:
    def test_endpoint_with_and_without_its_secret(self):
        endpoint = WebhookEndpointFactory(description="Ledger sync", metadata={"team": "payments"})
        webhooks.endpoint_update(endpoint=endpoint, changes={"disabled": True})
        endpoint.refresh_from_db()
        endpoint.secret = "whsec_x"

        assert_same_bytes(EndpointSerializer(endpoint).data, endpoint_snapshot(endpoint))
        assert_same_bytes(
            EndpointWithSecretSerializer(endpoint).data, with_secret(endpoint_snapshot(endpoint), "whsec_x")
        )

    def test_deleted_endpoint(self):
        assert_same_bytes(EndpointDeletedSerializer({"id": "we_x"}).data, endpoint_deleted_snapshot("we_x"))

    def test_delivery_pending_and_failed(self):
        delivery = WebhookDeliveryFactory()
        assert_same_bytes(DeliverySerializer(delivery).data, delivery_snapshot(delivery))

        delivery.last_attempt_at, delivery.last_status_code, delivery.last_error = clock.now(), 500, "HTTP 500"
        assert_same_bytes(DeliverySerializer(delivery).data, delivery_snapshot(delivery))

    def test_replay(self):
        endpoint = WebhookEndpointFactory()
        replay = webhooks.endpoint_replay(
            endpoint=endpoint, since=clock.now() - timedelta(hours=1), until=None, types=["transfer.succeeded"]
        )

        assert_same_bytes(ReplaySerializer(replay).data, replay_snapshot(replay))


class TestWallets:
    @pytest.fixture
    def holder(self, partner):
        return make_holder(partner=partner, email="ada@example.com")

    @pytest.mark.parametrize("show_balances", [True, False])
    def test_holder_wallet_and_transactions_with_and_without_balances(self, holder, show_balances):
        wallet = make_wallet(holder=holder, balance=1_000)
        posted = post(wallet=wallet, amount=-250, merchant_name="Shell", category="transport")
        pending = wallets.hold_place(wallet=wallet, amount=100, description="Card authorisation").transaction
        context = {"show_balances": show_balances}

        assert_same_bytes(WalletHolderSerializer(holder).data, holder_snapshot(holder))
        assert_same_bytes(
            WalletSerializer(wallet, context=context).data, wallet_snapshot(wallet, show_balances=show_balances)
        )
        for txn in (posted, pending):
            assert_same_bytes(
                TransactionSerializer(txn, context=context).data,
                transaction_snapshot(txn, show_balances=show_balances),
            )

    def test_balance(self, holder, sandbox):
        wallet = make_wallet(holder=holder, balance=1_000)
        balance = wallet_balance(principal=api_key_principal(environment=sandbox), wallet_id=wallet.public_id)

        assert_same_bytes(BalanceSerializer(balance).data, balance_snapshot(balance))

    def test_funding_sources(self, holder):
        for source in (add_bank_account(holder=holder), add_card(holder=holder), add_card(holder=holder, name="A L")):
            assert_same_bytes(FundingSourceSerializer(source).data, funding_source_snapshot(source))
