"""The partner mix for `make load` / `make faults` (locust). Each simulated partner server reads (balances, wallet,
transfer and event lists) and sends p2p transfers between its own wallets, each with its own ``Idempotency-Key``
(also put in the transfer's metadata, so the audit can count transfers per key). A transfer that fails in a way a
careful client retries (no answer, 5xx, 409 ``idempotency_key_in_use``, 429) is sent again with the same key and
body, with backoff, for up to ``RETRY_SECONDS``. Every transfer's outcome is appended to ``LOAD_OUTCOMES``.

Run by bench/load/run.py with LOAD_SEED (the seed's JSON) and LOAD_OUTCOMES set.
"""

import itertools
import json
import os
import random
import time
import uuid
from collections import Counter
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

SEED = json.loads(Path(os.environ["LOAD_SEED"]).read_text())
RETRY_SECONDS = float(os.environ.get("LOAD_RETRY_SECONDS", "150"))
_partners = itertools.cycle(SEED["partners"])
_outcomes = open(os.environ["LOAD_OUTCOMES"], "a", buffering=1)  # noqa: SIM115 (open for the run)
# Every answer to a transfer attempt, by status (0: no answer at all), over the run.
attempt_statuses: Counter[int] = Counter()
RETRIED = {0, 409, 429, 500, 502, 503, 504}


class PartnerServer(HttpUser):
    wait_time = between(0.05, 0.5)

    def on_start(self) -> None:
        partner = next(_partners)
        self.wallets: list[str] = partner["wallets"]
        self.client.headers["Authorization"] = f"Bearer {partner['key']}"

    @task(4)
    def balance(self) -> None:
        self.client.get(f"/v1/wallets/{random.choice(self.wallets)}/balances", name="/v1/wallets/{id}/balances")

    @task(2)
    def wallets_page(self) -> None:
        self.client.get("/v1/wallets?limit=20", name="/v1/wallets")

    @task(1)
    def transfers_page(self) -> None:
        self.client.get("/v1/transfers?limit=10", name="/v1/transfers (list)")

    @task(1)
    def events_page(self) -> None:
        self.client.get("/v1/events?limit=10", name="/v1/events")

    @task(4)
    def transfer(self) -> None:
        source, destination = random.sample(self.wallets, 2)
        key = str(uuid.uuid4())
        body = {
            "type": "p2p",
            "source": source,
            "destination": destination,
            "amount": random.randint(1, 500),
            "currency": "USD",
            "metadata": {"load_key": key},
        }
        deadline = time.monotonic() + RETRY_SECONDS
        statuses: list[int] = []
        transfer_id = None
        for attempt in itertools.count():
            with self.client.post(
                "/v1/transfers",
                json=body,
                headers={"Idempotency-Key": key},
                name="/v1/transfers",
                catch_response=True,
            ) as response:
                status = response.status_code or 0
                statuses.append(status)
                attempt_statuses[status] += 1
                if status == 201:
                    transfer_id = response.json()["id"]
                    response.success()
                    break
                response.failure(f"{status}")
                if status not in RETRIED or time.monotonic() > deadline:
                    break
            gevent.sleep(min(0.2 * 2**attempt, 5.0))
        _outcomes.write(json.dumps({"key": key, "statuses": statuses, "transfer": transfer_id}) + "\n")


@events.quitting.add_listener
def _write_attempt_statuses(environment: object, **_: object) -> None:
    path = os.environ.get("LOAD_ATTEMPTS")
    if path:
        Path(path).write_text(json.dumps({str(k): v for k, v in sorted(attempt_statuses.items())}))
