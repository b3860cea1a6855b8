"""At-least-once with real processes: a Celery worker and beat against a redis-server this test starts on
loopback, a receiver on 127.0.0.1, PostgreSQL. Heavy, so ``slow``: they run in the PostgreSQL pass only.

The brief's "transfers" are stood in for by event-producing writes that exist today (recorded events, and
``POST /v1/webhook_endpoints/{id}/test`` for the API); they switch to ``POST /v1/transfers`` once it exists.
"""

import json
import random
import threading
import time

import pytest
import standardwebhooks
from django.db import connection

from apps.events.models import Event
from apps.webhooks.models import WebhookDelivery
from tests.events.factories import make_events
from tests.webhooks.live import live_stack
from tests.webhooks.receiver import Answer, Receiver

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.real_broker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def wait_until(condition, *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


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

    def test_with_redis_stopped_for_30_s_the_api_answers_and_every_event_arrives_after(
        self, receiver, make_endpoint, sandbox_client
    ):
        endpoint = make_endpoint(receiver.url + "/hooks")
        with live_stack() as (redis, _workers, _beat, _var):
            warm = sandbox_client.post(f"/v1/webhook_endpoints/{endpoint.public_id}/test")
            assert warm.status_code == 202
            assert wait_until(lambda: len(receiver.received) == 1, timeout=30)

            redis.stop()
            outage_started = time.monotonic()
            slowest = 0.0
            for _ in range(100):
                started = time.monotonic()
                response = sandbox_client.post(f"/v1/webhook_endpoints/{endpoint.public_id}/test")
                slowest = max(slowest, time.monotonic() - started)
                assert response.status_code == 202, response.content
                time.sleep(0.25)
            time.sleep(max(0.0, 30 - (time.monotonic() - outage_started)))
            assert receiver.wait_for(2, timeout=0.1)[1:] == []  # nothing could be sent meanwhile
            redis.start()

            ids = set(Event.objects.filter(type="webhook_endpoint.test").values_list("public_id", flat=True))
            assert len(ids) == 101
            assert wait_until(lambda: ids <= set(received_ids(receiver)), timeout=60), (
                f"{len(ids - set(received_ids(receiver)))} of 100 never arrived after Redis came back"
            )
        assert slowest < 2.0, f"an API call took {slowest:.2f} s while the broker was down"
        assert_all_received_and_signed(receiver, endpoint, ids)
