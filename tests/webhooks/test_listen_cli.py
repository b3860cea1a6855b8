"""``causeway listen`` end to end: the CLI (a subprocess, public API only) follows the feed of a live server and
forwards a fired event to a local receiver, signed with the session secret it printed."""

import json
import queue
import subprocess
import sys
import threading

import httpx
import pytest
import standardwebhooks

from apps.partners.models import RequestLog
from apps.partners.services import api_key_create
from tests.events.factories import make_events


def start_listen(*args: str, env: dict[str, str]) -> tuple[subprocess.Popen, "queue.Queue[str]"]:
    import os

    process = subprocess.Popen(
        [sys.executable, "-m", "causeway_cli", "listen", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **env},
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return process, lines


def next_line(lines: "queue.Queue[str]", timeout: float = 20) -> str:
    return lines.get(timeout=timeout)


@pytest.mark.django_db(transaction=True)
class TestListen:
    def test_a_fired_event_is_forwarded_signed_with_the_printed_secret(self, live_server, receiver, partner, sandbox):
        key = api_key_create(environment=sandbox, name="CLI")
        make_events(partner=partner, environment=sandbox, count=2)  # from before: not forwarded
        process, lines = start_listen(
            "--forward-to",
            receiver.url + "/webhooks",
            "--api-base",
            live_server.url,
            "--interval",
            "0.2",
            env={"CAUSEWAY_API_KEY": key.secret},
        )
        try:
            ready = next_line(lines)
            assert ready.startswith("Ready! Your webhook signing secret is whsec_"), ready
            secret = ready.split("is ", 1)[1].split()[0]
            next_line(lines)  # "Forwarding events to ..."

            (event,) = make_events(partner=partner, environment=sandbox, count=1, type="transaction.posted")

            (received,) = receiver.wait_for(1, timeout=20)
            assert "--> transaction.posted" in next_line(lines)
        finally:
            process.terminate()
            process.wait(10)

        assert received.path == "/webhooks"
        assert received.headers["webhook-id"] == event.public_id
        standardwebhooks.Webhook(secret).verify(received.body, received.headers)
        assert json.loads(received.body)["id"] == event.public_id
        assert receiver.wait_for(2, timeout=0.5)[1:] == []

    def test_its_polls_stay_out_of_the_request_log_and_other_calls_to_the_feed_do_not(
        self, live_server, receiver, partner, sandbox
    ):
        key = api_key_create(environment=sandbox, name="CLI")
        args = ("--forward-to", receiver.url, "--api-base", live_server.url, "--interval", "0.1")
        process, lines = start_listen(*args, env={"CAUSEWAY_API_KEY": key.secret})
        try:
            assert next_line(lines).startswith("Ready!")
            make_events(partner=partner, environment=sandbox, count=1, type="transaction.posted")
            receiver.wait_for(1, timeout=20)  # the CLI has polled several times by now
        finally:
            process.terminate()
            process.wait(10)
        auth = {"Authorization": f"Bearer {key.secret}"}
        assert httpx.get(f"{live_server.url}/v1/events", headers={**auth, "User-Agent": "my-app/1.0"}).is_success

        logged = RequestLog.objects.filter(partner_id_public=partner.public_id)
        assert list(logged.values_list("path", flat=True)) == ["/v1/events"]  # only the partner's own call

    def test_a_bad_key_is_refused_with_a_message(self, live_server, receiver):
        process, lines = start_listen(
            "--forward-to",
            receiver.url,
            "--api-base",
            live_server.url,
            env={"CAUSEWAY_API_KEY": "cw_sk_sandbox_nope"},
        )

        assert process.wait(20) == 1
        assert "refused the key" in next_line(lines)
