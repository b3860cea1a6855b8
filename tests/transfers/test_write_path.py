"""The statements of a p2p transfer on PostgreSQL (docs/architecture.md, "The write path"): the claim, then one
transaction of the read of the webhook endpoints owed its events (before the wallets are locked), the lock, the
limits query, the keys of the new rows and one statement of writes (the holder's usage buckets among them), and
nothing else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.events.models import Event
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _post(client, source, destination, key):
    body = {"type": "p2p", "source": source.public_id, "destination": destination.public_id, "amount": 100}
    return client.post("/v1/transfers", {**body, "currency": "USD"}, format="json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture
def wallets(partner):
    ada = make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full")
    grace = make_holder(partner=partner, name="Grace Hopper", kyc_tier="full")
    return make_wallet(holder=ada, currency="USD", balance=10_000), make_wallet(holder=grace, currency="USD")


def _kinds(captured):
    """The first word of each statement, without the request log's row (the tests write it at once; a deployment's
    background writer batches it)."""
    return [
        query["sql"].split(None, 1)[0].upper()
        for query in captured.captured_queries
        if '"partners_requestlog"' not in query["sql"]
    ]


def test_a_p2p_transfer_is_the_claim_and_one_transaction_of_five_statements(sandbox_client, wallets):
    source, destination = wallets
    assert _post(sandbox_client, source, destination, "warm-up").status_code == 201  # caches the key
    with CaptureQueriesContext(connection) as captured:
        response = _post(sandbox_client, source, destination, "measured")
    assert response.status_code == 201, response.content
    assert _kinds(captured) == ["INSERT", "BEGIN", "SELECT", "SELECT", "SELECT", "SELECT", "WITH", "COMMIT"]
    endpoints, lock = (query["sql"] for query in captured.captured_queries[2:4])
    assert '"webhooks_webhookendpoint"' in endpoints
    assert "FOR NO KEY UPDATE" in lock


def test_with_an_endpoint_the_deliveries_follow_the_writes_in_the_same_transaction(sandbox_client, sandbox, wallets):
    source, destination = wallets
    endpoint = WebhookEndpoint.objects.create(
        partner=sandbox.partner,
        environment=sandbox,
        url="https://example.com/hook",
        enabled_events=["transfer.created", "transfer.succeeded"],
    )
    assert _post(sandbox_client, source, destination, "warm-up").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = _post(sandbox_client, source, destination, "measured")
    assert response.status_code == 201, response.content
    expected = ["INSERT", "BEGIN", "SELECT", "SELECT", "SELECT", "SELECT", "WITH", "INSERT", "COMMIT"]
    assert _kinds(captured) == expected
    owed = WebhookDelivery.objects.filter(endpoint=endpoint, event__object_id=response.json()["id"])
    assert sorted(owed.values_list("event__type", flat=True)) == ["transfer.created", "transfer.succeeded"]
    assert Event.objects.filter(object_id=response.json()["id"]).count() == 2
