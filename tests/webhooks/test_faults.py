"""At-least-once with real processes: a Celery worker and beat against a redis-server this test starts on
loopback, a receiver on 127.0.0.1, PostgreSQL. Heavy, so ``slow``: they run in the PostgreSQL pass only.

The delivery tests record events directly; the broker outage and the settlement go through
``POST /v1/transfers``.
"""

import json
import random
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import standardwebhooks
from django.db import connection

from apps.events.models import Event
from apps.transfers.models import Transfer
from apps.webhooks.models import WebhookDelivery
from tests.events.factories import make_events
from tests.helpers import post_transfer
from tests.wallets.factories import add_bank_account, make_holder, make_wallet
from tests.webhooks.live import live_stack, wait_until
from tests.webhooks.receiver import Answer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.real_broker,
    pytest.mark.django_db(transaction=True),
]


def received_ids(receiver) -> list[str]:
    return [r.headers["webhook-id"] for r in list(receiver.received)]


def assert_all_received_and_signed(receiver, endpoint, event_ids):
    verifier = standardwebhooks.Webhook(endpoint.secret)
    got = list(receiver.received)
    assert set(event_ids) <= {r.headers["webhook-id"] for r in got}
    for r in got:
        verifier.verify(r.body, r.headers)
        # A duplicate is the same event under the same webhook-id, never a new id.
        assert json.loads(r.body)["id"] == r.headers["webhook-id"]


class TestRealWorker:
    def test_500_events_are_all_delivered(self, receiver, make_endpoint, partner, sandbox):
        endpoint = make_endpoint(receiver.url + "/hooks")
        with live_stack():
            events = []
            for _ in range(500):
                events += make_events(partner=partner, environment=sandbox, count=1)
            ids = {e.public_id for e in events}

            assert wait_until(lambda: ids <= set(received_ids(receiver)), timeout=60), (
                f"{len(ids - set(received_ids(receiver)))} of 500 not delivered"
            )
            assert wait_until(lambda: WebhookDelivery.objects.filter(status="delivered").count() == 500, timeout=20)
        assert_all_received_and_signed(receiver, endpoint, ids)

    def test_a_worker_sigkilled_mid_delivery_ten_times_loses_nothing(self, receiver, make_endpoint, partner, sandbox):
        """Half the kills take the whole worker (main process and pool: its messages stay unacked and its leases
        run out), half the pool process running the task (the main process requeues the message and forks)."""
        # Each answer takes a moment, so a kill right after a request arrives lands mid-delivery.
        receiver.default = Answer(delay=0.05)
        endpoint = make_endpoint(receiver.url + "/hooks")
        stop = threading.Event()
        produced: list[str] = []

        def produce() -> None:
            try:
                while not stop.is_set():
                    produced.extend(e.public_id for e in make_events(partner=partner, environment=sandbox, count=1))
                    time.sleep(0.05)
            finally:
                connection.close()

        with live_stack(concurrency=1) as (_redis, (worker,), _beat, _var):
            producer = threading.Thread(target=produce, daemon=True)
            producer.start()
            try:
                for kill in range(10):
                    seen = len(receiver.received)
                    assert wait_until(lambda seen=seen: len(receiver.received) > seen, timeout=30, interval=0.01)
                    time.sleep(random.uniform(0, 0.04))
                    if kill % 2 or not worker.kill_pool_process():
                        worker.kill()
                        worker.start()
            finally:
                stop.set()
                producer.join(10)

            ids = set(produced)
            assert len(ids) > 50
            # Leases of the killed workers run out (8 s here) and the sweeper sends their rows again.
            assert wait_until(lambda: ids <= set(received_ids(receiver)), timeout=90), (
                f"{len(ids - set(received_ids(receiver)))} of {len(ids)} never arrived"
            )
            assert wait_until(lambda: not WebhookDelivery.objects.exclude(status="delivered").exists(), timeout=30)
        assert_all_received_and_signed(receiver, endpoint, ids)

    def test_with_redis_stopped_for_30_s_100_transfers_answer_201_and_every_event_arrives_after(
        self, receiver, make_endpoint, partner, sandbox_client, transfer_reference_data
    ):
        endpoint = make_endpoint(receiver.url + "/hooks", enabled_events=["transfer.succeeded"])
        # Two funded holders pay each other in turn: 50 transfers each, well within their limits.
        ada, grace = (
            make_wallet(holder=make_holder(partner=partner, name=name, kyc_tier="full"), balance=1_000_000)
            for name in ("Ada Lovelace", "Grace Hopper")
        )
        transfer_ids: list[str] = []

        def pay(source, destination, key: str):
            response = post_transfer(
                sandbox_client,
                {
                    "type": "p2p",
                    "source": source.public_id,
                    "destination": destination.public_id,
                    "amount": 100,
                    "currency": "USD",
                },
                key=key,
            )
            assert response.status_code == 201, response.content
            assert response.json()["status"] == "succeeded"
            transfer_ids.append(response.json()["id"])

        with live_stack() as (redis, _workers, _beat, _var):
            pay(ada, grace, key="warm-up")
            assert wait_until(lambda: len(receiver.received) == 1, timeout=30)

            redis.stop()
            outage_started = time.monotonic()
            slowest = 0.0
            for n in range(100):
                started = time.monotonic()
                pay(*((ada, grace) if n % 2 else (grace, ada)), key=f"outage-{n}")
                slowest = max(slowest, time.monotonic() - started)
                # Spread over the outage: one transfer every 0.25 s or so.
                time.sleep(max(0.0, outage_started + (n + 1) * 0.25 - time.monotonic()))
            time.sleep(max(0.0, 30 - (time.monotonic() - outage_started)))
            assert receiver.wait_for(2, timeout=0.1)[1:] == []  # nothing could be sent meanwhile
            redis.start()

            events = dict(
                Event.objects.filter(type="transfer.succeeded").values_list("object_id", "public_id").order_by("pk")
            )
            assert len(transfer_ids) == len(set(transfer_ids)) == 101
            assert set(events) == set(transfer_ids)  # one transfer.succeeded for each transfer, and no other
            assert Event.objects.filter(type="transfer.succeeded").count() == 101
            ids = set(events.values())
            assert wait_until(lambda: ids <= set(received_ids(receiver)), timeout=60), (
                f"{len(ids - set(received_ids(receiver)))} of {len(ids)} never arrived after Redis came back"
            )
        assert slowest < 2.0, f"a transfer took {slowest:.2f} s to answer while the broker was down"
        assert_all_received_and_signed(receiver, endpoint, ids)
        # Each transfer's event arrived under its own webhook-id.
        arrived = {r.headers["webhook-id"]: json.loads(r.body)["data"]["object"]["id"] for r in receiver.received}
        assert arrived == {event_id: transfer_id for transfer_id, event_id in events.items()}
        ada.refresh_from_db()
        assert ada.ledger_balance == 1_000_000 - 100  # 51 transfers out, 50 in

    def test_a_top_up_settles_in_the_worker_and_its_transfer_succeeded_event_arrives_signed(
        self, receiver, make_endpoint, partner, sandbox_client, transfer_reference_data
    ):
        endpoint = make_endpoint(receiver.url + "/hooks", enabled_events=["transfer.succeeded"])
        holder = make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full")
        wallet = make_wallet(holder=holder)
        bank = add_bank_account(holder=holder)

        with live_stack(TRANSFER_SETTLEMENT_DELAY_SECONDS="1") as (_redis, _workers, _beat, var_dir):
            response = post_transfer(
                sandbox_client,
                {
                    "type": "top_up",
                    "source": bank.public_id,
                    "destination": wallet.public_id,
                    "amount": 2_500,
                    "currency": "USD",
                },
                key="top-up",
            )
            assert response.status_code == 201, response.content
            assert response.json()["status"] == "pending"
            transfer_id = response.json()["id"]

            log = Path(var_dir, "celery.log")
            assert wait_until(lambda: len(receiver.received) >= 1, timeout=30), log.read_text()[-4000:]
            assert receiver.wait_for(2, timeout=1)[1:] == []  # once

        (received,) = receiver.received
        (event,) = Event.objects.filter(type="transfer.succeeded", object_id=transfer_id)
        payload = standardwebhooks.Webhook(endpoint.secret).verify(received.body, received.headers)
        assert received.headers["webhook-id"] == payload["id"] == event.public_id
        assert payload["type"] == "transfer.succeeded"
        obj = payload["data"]["object"]
        assert (obj["id"], obj["type"], obj["status"], obj["amount"]) == (transfer_id, "top_up", "succeeded", 2_500)
        assert payload["data"]["previous_attributes"]["status"] == "processing"
        # The worker ran both rail steps: submitted, then settled its TRANSFER_SETTLEMENT_DELAY_SECONDS (1 s) later.
        transfer = Transfer.objects.get(public_id=transfer_id)
        steps = list(transfer.status_changes.order_by("pk").values_list("status", "at"))
        assert [status for status, _ in steps] == ["pending", "processing", "succeeded"]
        assert steps[2][1] - steps[1][1] >= timedelta(seconds=1)
        wallet.refresh_from_db()
        assert (wallet.ledger_balance, wallet.available_balance) == (2_500, 2_500)
