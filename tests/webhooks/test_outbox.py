"""Outbox atomicity with a money-moving write (an external credit, which records its events in its own durable
transaction): a rolled-back write emits nothing and owes nothing; a committed one emits its events once and each
reaches the endpoint once."""

import json

import pytest

from apps.events.models import Event
from apps.wallets import ledger, services
from apps.webhooks import delivery
from apps.webhooks.models import WebhookDelivery
from tests.wallets.factories import make_holder, make_wallet


@pytest.fixture
def wallet(partner):
    return make_wallet(holder=make_holder(partner=partner))


def credit(wallet, amount=1500):
    return services.external_credit(wallet=wallet, amount=amount, type="deposit", category="income")


@pytest.mark.django_db(transaction=True)
class TestOutboxAtomicity:
    def test_a_rolled_back_credit_records_no_event_no_delivery_and_sends_nothing(
        self, wallet, make_endpoint, receiver, enqueued, monkeypatch
    ):
        make_endpoint(receiver.url + "/hooks")
        original = ledger._record_posting_events

        def then_fail(*args, **kwargs):
            original(*args, **kwargs)
            assert Event.objects.filter(type="transaction.posted").exists()  # recorded inside the transaction
            raise RuntimeError("the write fails after recording its events")

        monkeypatch.setattr(ledger, "_record_posting_events", then_fail)
        before = Event.objects.count()

        with pytest.raises(RuntimeError):
            credit(wallet)

        assert Event.objects.count() == before
        assert not WebhookDelivery.objects.exists()
        assert enqueued == []
        delivery.deliver_batch(delivery_ids=[])
        assert receiver.wait_for(1, timeout=0.3) == []

    def test_a_committed_credit_emits_one_transaction_posted_event_delivered_once(
        self, wallet, make_endpoint, receiver, enqueued
    ):
        make_endpoint(receiver.url + "/hooks", enabled_events=["transaction.posted"])

        txn = credit(wallet)

        (event,) = Event.objects.filter(type="transaction.posted", object_id=txn.public_id)
        assert len(enqueued) == 1
        (ids,) = enqueued
        assert delivery.deliver_batch(delivery_ids=ids).delivered == 1
        (received,) = receiver.wait_for(1)
        assert received.headers["webhook-id"] == event.public_id
        assert json.loads(received.body)["data"]["object"]["id"] == txn.public_id
        assert delivery.deliver_batch(delivery_ids=ids).claimed == 0
        assert len(receiver.wait_for(2, timeout=0.3)) == 1
