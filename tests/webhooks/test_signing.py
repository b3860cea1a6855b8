"""Signatures as receivers check them: with the standardwebhooks and svix libraries from PyPI."""

import json

import pytest
import standardwebhooks
import svix.webhooks
import time_machine
from django.conf import settings

from apps.events.models import Event
from apps.webhooks import services, signing
from apps.webhooks.services import delivery
from tests.events.factories import make_events

pytestmark = pytest.mark.django_db

# The published Standard Webhooks test vector (standard-webhooks spec and its reference libraries).
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "msg_id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "payload": b'{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def verifiers(secret: str):
    return [standardwebhooks.Webhook(secret), svix.webhooks.Webhook(secret)]


class TestSignatureFormat:
    def test_the_published_test_vector_is_reproduced(self):
        signature = signing.sign(
            secrets=[VECTOR["secret"]], msg_id=VECTOR["msg_id"], timestamp=VECTOR["timestamp"], body=VECTOR["payload"]
        )

        assert signature == VECTOR["signature"]

    def test_the_test_vector_verifies_with_both_libraries_at_its_time(self):
        headers = signing.headers(
            secrets=[VECTOR["secret"]], msg_id=VECTOR["msg_id"], timestamp=VECTOR["timestamp"], body=VECTOR["payload"]
        )
        with time_machine.travel(VECTOR["timestamp"], tick=False):
            for verifier in verifiers(VECTOR["secret"]):
                verifier.verify(VECTOR["payload"], headers)

    def test_secrets_are_whsec_and_32_random_bytes(self):
        import base64

        first, second = signing.new_secret(), signing.new_secret()

        assert first.startswith("whsec_") and first != second
        assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32


@pytest.fixture
def delivered(receiver, make_endpoint, partner, sandbox):
    """Deliver one event to the receiver; returns (endpoint, received request, event)."""

    def run(endpoint=None):
        endpoint = endpoint or make_endpoint(receiver.url + "/hooks")
        (event,) = make_events(partner=partner, environment=sandbox, count=1)
        report = delivery.deliver_batch(delivery_ids=[])
        assert report.delivered == 1
        (received,) = receiver.wait_for(1)[-1:]
        return endpoint, received, event

    return run


class TestDeliveredSignatures:
    def test_a_delivery_verifies_with_standardwebhooks_and_svix(self, delivered):
        endpoint, received, event = delivered()

        for verifier in verifiers(endpoint.secret):
            verifier.verify(received.body, received.headers)  # raises unless a signature matches
        assert json.loads(received.body)["id"] == event.public_id

    def test_the_headers_are_the_event_id_a_current_timestamp_a_signature_and_our_user_agent(self, delivered):
        import time

        _, received, event = delivered()

        assert received.headers["webhook-id"] == event.public_id
        assert abs(int(received.headers["webhook-timestamp"]) - time.time()) < 10
        assert received.headers["webhook-signature"].startswith("v1,")
        assert received.headers["user-agent"].startswith("Causeway-Webhooks/")
        assert f"(+{settings.BASE_URL}/docs/webhooks/)" in received.headers["user-agent"]  # the served guide
        assert received.headers["content-type"] == "application/json"

    def test_the_body_is_the_event_as_the_feed_shows_it(self, delivered, sandbox_client):
        _, received, event = delivered()

        body = json.loads(received.body)
        assert body == sandbox_client.get(f"/v1/events/{event.public_id}").json()
        assert set(body) >= {"id", "object", "type", "api_version", "created_at", "sequence", "data"}

    @pytest.mark.parametrize("part", ["webhook-id", "webhook-timestamp", "body"])
    def test_a_tampered_id_timestamp_or_body_fails_verification(self, delivered, part):
        endpoint, received, _ = delivered()
        headers, body = dict(received.headers), received.body
        if part == "body":
            body = body.replace(b'"object":"event"', b'"object":"evenT"')
        elif part == "webhook-id":
            headers[part] = "evt_" + "x" * 24
        else:
            headers[part] = str(int(headers[part]) - 1)

        for verifier in verifiers(endpoint.secret):
            with pytest.raises(
                (standardwebhooks.webhooks.WebhookVerificationError, svix.webhooks.WebhookVerificationError)
            ):
                verifier.verify(body, headers)

    def test_another_secret_fails_verification(self, delivered):
        _, received, _ = delivered()

        for verifier in verifiers(signing.new_secret()):
            with pytest.raises(Exception, match="signature"):
                verifier.verify(received.body, received.headers)

    def test_during_a_rotation_two_signatures_are_sent_and_each_secret_verifies(
        self, delivered, make_endpoint, receiver
    ):
        endpoint = make_endpoint(receiver.url + "/hooks")
        old = endpoint.secret
        new = services.endpoint_rotate_secret(endpoint=endpoint).secret

        _, received, _ = delivered(endpoint)

        signatures = received.headers["webhook-signature"].split(" ")
        assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
        for secret in (old, new):
            for verifier in verifiers(secret):
                verifier.verify(received.body, received.headers)

    def test_after_the_window_only_the_new_secret_signs(self, delivered, make_endpoint, receiver):
        from datetime import timedelta

        endpoint = make_endpoint(receiver.url + "/hooks")
        old = endpoint.secret
        new = services.endpoint_rotate_secret(endpoint=endpoint, previous_valid_for=timedelta(0)).secret

        _, received, _ = delivered(endpoint)

        assert len(received.headers["webhook-signature"].split(" ")) == 1
        standardwebhooks.Webhook(new).verify(received.body, received.headers)
        with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
            standardwebhooks.Webhook(old).verify(received.body, received.headers)

    def test_the_webhook_id_is_the_same_on_every_attempt(self, receiver, make_endpoint, partner, sandbox):
        from tests.webhooks.receiver import Answer

        make_endpoint(receiver.url + "/hooks")
        receiver.answer(Answer(status=500))
        (event,) = make_events(partner=partner, environment=sandbox, count=1)
        delivery.deliver_batch(delivery_ids=[])
        with time_machine.travel(Event.objects.get().created_at.timestamp() + 10, tick=False):
            delivery.deliver_batch(delivery_ids=[])

        first, second = receiver.wait_for(2)
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == event.public_id
