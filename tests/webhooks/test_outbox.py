"""Outbox atomicity with a transfer: a transfer whose transaction rolls back emits nothing and owes nothing; a
committed one records each of its events once and owes each to every subscribed endpoint exactly once."""

import json
from collections import Counter
from contextlib import contextmanager

import pytest

from apps.events import services as event_services
from apps.events.models import Event
from apps.transfers.models import Transfer
from apps.transfers.services import TransferRequest, transfer_create
from apps.wallets.models import Journal, Wallet
from apps.webhooks.models import WebhookDelivery
from apps.webhooks.services import delivery
from tests.transfers.factories import table_counts
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.usefixtures("transfer_reference_data")


@pytest.fixture
def ada(partner):
    return make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=10_000)


@pytest.fixture
def grace(partner):
    return make_wallet(holder=make_holder(partner=partner, name="Grace Hopper", kyc_tier="full"))


def p2p(principal, source, destination, amount=100, idempotency=None):
    return transfer_create(
        principal=principal,
        idempotency=idempotency,
        request=TransferRequest(
            type="p2p", source=source.public_id, destination=destination.public_id, amount=amount, currency="USD"
        ),
    )


def balances(*wallets):
    return [(w.ledger_balance, w.available_balance) for w in (Wallet.objects.get(pk=w.pk) for w in wallets)]


class _FailingIdempotency:
    """An ``Idempotency-Key`` record whose completion, the transfer's last step before its commit, fails."""

    def completion(self, transfer):
        self.transfer = transfer

    def written(self):
        assert Transfer.objects.filter(public_id=self.transfer.public_id).exists()  # written inside the transaction
        assert Journal.objects.filter(kind="transfer").exists()
        raise RuntimeError("the transfer fails after posting its journal")


def fail_after_the_journal_posts(monkeypatch):
    """The transfer's row and journal are written, then its last step fails (its events are not written yet).
    Returns the idempotency handle to pass."""
    return _FailingIdempotency()


def fail_after_the_events_are_written(monkeypatch):
    """The whole transfer is written, its events and the deliveries they owe included; then, before the commit,
    the transaction fails."""

    def then_fail(events):
        if any(event.type.startswith("transfer.") for event in events):
            assert Event.objects.filter(type="transfer.succeeded").exists()  # recorded inside the transaction
            assert WebhookDelivery.objects.exists()  # and owed to the endpoint, in it too
            raise RuntimeError("the transfer fails after recording its events")

    # After the webhooks' fan-out hook, so its rows are written first.
    monkeypatch.setattr(event_services, "_record_hooks", [*event_services._record_hooks, then_fail])
    return None  # no idempotency handle


@pytest.mark.django_db(transaction=True)
class TestOutboxAtomicity:
    @pytest.mark.parametrize("fail", [fail_after_the_journal_posts, fail_after_the_events_are_written])
    def test_a_rolled_back_transfer_records_no_event_no_delivery_and_sends_nothing(
        self, fail, principal, ada, grace, make_endpoint, receiver, enqueued, monkeypatch
    ):
        make_endpoint(receiver.url + "/hooks")
        idempotency = fail(monkeypatch)
        before = table_counts()
        money = balances(ada, grace)

        with pytest.raises(RuntimeError, match="the transfer fails"):
            p2p(principal, ada, grace, idempotency=idempotency)

        assert table_counts() == before
        assert not Transfer.objects.exists()
        assert not Journal.objects.filter(kind="transfer").exists()
        assert not Event.objects.filter(type__startswith="transfer.").exists()
        assert not WebhookDelivery.objects.exists()
        assert balances(ada, grace) == money
        assert enqueued == []
        delivery.deliver_batch(delivery_ids=[])
        assert receiver.wait_for(1, timeout=0.3) == []

    def test_a_committed_transfer_records_each_event_once_and_owes_it_once_to_each_subscribed_endpoint(
        self, principal, ada, grace, make_endpoint, receiver, enqueued
    ):
        created_only = make_endpoint(receiver.url + "/created", enabled_events=["transfer.created"])
        transfers_only = make_endpoint(
            receiver.url + "/transfers", enabled_events=["transfer.created", "transfer.succeeded"]
        )
        everything = make_endpoint(receiver.url + "/all")
        endpoints = [created_only, transfers_only, everything]
        last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        transfer = p2p(principal, ada, grace)

        assert transfer.status == "succeeded"
        assert balances(ada, grace) == [(9_900, 9_900), (100, 100)]
        types = Counter(Event.objects.filter(object_id=transfer.public_id).values_list("type", flat=True))
        assert types == {"transfer.created": 1, "transfer.succeeded": 1}
        created = Event.objects.get(object_id=transfer.public_id, type="transfer.created")
        # Every event the transfer's transaction recorded (its wallets' ones too) is owed once to each endpoint
        # that subscribes to it, and to no other.
        recorded = list(Event.objects.filter(pk__gt=last_event))
        expected = sorted(
            (event.pk, endpoint.pk)
            for event in recorded
            for endpoint in endpoints
            if endpoint.subscribes_to(event.type)
        )
        owed = sorted(WebhookDelivery.objects.values_list("event_id", "endpoint_id"))
        assert owed == expected
        assert [pair for pair in owed if pair[1] == created_only.pk] == [(created.pk, created_only.pk)]
        assert len([pair for pair in owed if pair[1] == transfers_only.pk]) == 2

        assert len(enqueued) == 1  # one task for the whole transaction
        (ids,) = enqueued
        assert sorted(ids) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
        assert delivery.deliver_batch(delivery_ids=ids).delivered == len(owed)
        received = receiver.wait_for(len(owed))
        assert Counter(r.path for r in received) == {"/created": 1, "/transfers": 2, "/all": len(recorded)}
        (to_created_only,) = [r for r in received if r.path == "/created"]
        assert to_created_only.headers["webhook-id"] == created.public_id
        body = json.loads(to_created_only.body)
        assert body["type"] == "transfer.created"
        assert body["data"]["object"]["id"] == transfer.public_id
        assert body["data"]["object"]["status"] == "pending"  # as created
        assert delivery.deliver_batch(delivery_ids=ids).claimed == 0
        assert len(receiver.wait_for(len(owed) + 1, timeout=0.3)) == len(owed)


@pytest.mark.django_db
class TestEndpointsReadAhead:
    def test_a_transfers_events_go_to_the_endpoints_enabled_when_it_began(self, principal, ada, grace, monkeypatch):
        from django.db import transaction

        from tests.webhooks.factories import WebhookEndpointFactory

        before = WebhookEndpointFactory(partner=principal.partner, environment=principal.environment)
        late: list = []
        original = event_services.reads_ahead

        def then_add_an_endpoint(*, environment_id):
            # The transfer has read the endpoints and not yet locked its wallets: an endpoint added now is too
            # late for its events.
            with original(environment_id=environment_id), transaction.atomic():
                late.append(WebhookEndpointFactory(partner=principal.partner, environment=principal.environment))
                yield

        monkeypatch.setattr(event_services, "reads_ahead", contextmanager(then_add_an_endpoint))

        transfer = p2p(principal, ada, grace)

        created = Event.objects.get(object_id=transfer.public_id, type="transfer.created")
        assert list(WebhookDelivery.objects.filter(event=created).values_list("endpoint_id", flat=True)) == [before.pk]
        later = p2p(principal, ada, grace)
        owed = WebhookDelivery.objects.filter(event__object_id=later.public_id, event__type="transfer.created")
        assert sorted(owed.values_list("endpoint_id", flat=True)) == sorted([before.pk, late[0].pk])
