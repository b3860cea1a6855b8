"""Replay a range, resend one event, send a test event, and the delivery log."""

from datetime import timedelta

import pytest
import time_machine

from apps.core import clock
from apps.events.models import Event
from apps.partners.models import AuditEvent
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import delivery
from tests.events.factories import make_events
from tests.helpers import assert_problem
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def path(endpoint, action):
    return f"/v1/webhook_endpoints/{endpoint.public_id}/{action}"


class TestReplay:
    def test_replays_the_range_and_types_asked_for_with_the_original_ids(
        self, sandbox_client, endpoint, receiver, partner, sandbox
    ):
        start = clock.now().replace(microsecond=0) - timedelta(hours=3)
        with time_machine.travel(start, tick=False):
            make_events(partner=partner, environment=sandbox, count=1, type="transaction.posted")
        with time_machine.travel(start + timedelta(hours=1), tick=False):
            wanted = make_events(partner=partner, environment=sandbox, count=2, type="transaction.posted")
            make_events(partner=partner, environment=sandbox, count=1, type="wallet.balance_updated")
        delivery.deliver_batch(delivery_ids=[])
        assert len(receiver.wait_for(4)) == 4

        response = sandbox_client.post(
            path(endpoint, "replay"),
            {
                "since": clock.rfc3339(start + timedelta(minutes=30)),
                "until": clock.rfc3339(start + timedelta(hours=2)),
                "types": ["transaction.posted"],
            },
            format="json",
        )

        assert response.status_code == 202
        assert response.json()["event_count"] == 2
        assert response.json()["object"] == "webhook_replay"
        delivery.deliver_batch(delivery_ids=[])
        replayed = receiver.wait_for(6)[4:]
        assert sorted(r.headers["webhook-id"] for r in replayed) == sorted(e.public_id for e in wanted)
        assert AuditEvent.objects.filter(action="webhook_endpoint.replayed").exists()

    def test_replay_creates_deliveries_for_events_from_before_the_endpoint(
        self, sandbox_client, make_endpoint, receiver, partner, sandbox
    ):
        (event,) = make_events(partner=partner, environment=sandbox, count=1)
        endpoint = make_endpoint(receiver.url + "/late")
        assert not WebhookDelivery.objects.exists()

        response = sandbox_client.post(
            path(endpoint, "replay"), {"since": clock.rfc3339(event.created_at - timedelta(seconds=1))}, format="json"
        )

        assert response.json()["event_count"] == 1
        assert WebhookDelivery.objects.get().event == event

    def test_replay_is_idempotent(self, sandbox_client, endpoint, partner, sandbox, enqueued):
        make_events(partner=partner, environment=sandbox, count=2)
        body = {"since": clock.rfc3339(clock.now() - timedelta(hours=1))}

        first = sandbox_client.post(path(endpoint, "replay"), body, format="json", HTTP_IDEMPOTENCY_KEY="r1")
        again = sandbox_client.post(path(endpoint, "replay"), body, format="json", HTTP_IDEMPOTENCY_KEY="r1")

        assert again["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        assert AuditEvent.objects.filter(action="webhook_endpoint.replayed").count() == 1

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "since"),
            ({"since": "last week"}, "since"),
            ({"since": "2026-11-22T10:00:00Z", "types": ["nope.never"]}, "types"),
            ({"since": "2026-11-22T10:00:00Z", "endpoint": "we_x"}, "endpoint"),
        ],
    )
    def test_bad_inputs_are_400s(self, sandbox_client, endpoint, body, field):
        response = sandbox_client.post(path(endpoint, "replay"), body, format="json")

        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field

    def test_an_empty_range_replays_nothing(self, sandbox_client, endpoint, partner, sandbox):
        make_events(partner=partner, environment=sandbox, count=2)
        body = {"since": "2026-11-22T10:00:00Z", "until": "2026-11-22T09:00:00Z"}

        response = sandbox_client.post(path(endpoint, "replay"), body, format="json")

        assert (response.status_code, response.json()["event_count"]) == (202, 0)

    def test_too_many_events_is_a_422(self, sandbox_client, endpoint, partner, sandbox, settings):
        settings.WEBHOOK_REPLAY_MAX_EVENTS = 2
        make_events(partner=partner, environment=sandbox, count=3)

        response = sandbox_client.post(
            path(endpoint, "replay"), {"since": clock.rfc3339(clock.now() - timedelta(hours=1))}, format="json"
        )

        assert_problem(response, 422, "replay_too_large")

    def test_a_disabled_endpoint_is_a_409(self, sandbox_client, endpoint):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(disabled_at=clock.now(), disabled_reason="manual")

        response = sandbox_client.post(path(endpoint, "replay"), {"since": "2026-11-22T10:00:00Z"}, format="json")

        assert_problem(response, 409, "webhook_endpoint_disabled")

    def test_another_partners_endpoint_is_a_404(self, sandbox_client, make_endpoint, receiver):
        other = PartnerFactory()
        theirs = make_endpoint(receiver.url, environment=other.environments.get(kind="sandbox"))

        for action, body in (("replay", {"since": "2026-11-22T10:00:00Z"}), ("test", {}), ("resend", {"event": "e"})):
            assert sandbox_client.post(path(theirs, action), body, format="json").status_code == 404


class TestResendAndTest:
    def test_resend_starts_a_new_round_for_a_delivered_event(
        self, sandbox_client, endpoint, receiver, partner, sandbox
    ):
        (event,) = make_events(partner=partner, environment=sandbox, count=1)
        delivery.deliver_batch(delivery_ids=[])

        response = sandbox_client.post(path(endpoint, "resend"), {"event": event.public_id}, format="json")

        assert response.status_code == 202
        assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
        delivery.deliver_batch(delivery_ids=[])
        first, second = receiver.wait_for(2)
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == event.public_id
        assert WebhookDelivery.objects.get().attempt_log.count() == 2

    def test_resending_an_unknown_or_foreign_event_is_a_404(self, sandbox_client, endpoint):
        other = PartnerFactory()
        (theirs,) = make_events(partner=other, environment=other.environments.get(kind="sandbox"), count=1)

        for event_id in ("evt_nope", theirs.public_id):
            response = sandbox_client.post(path(endpoint, "resend"), {"event": event_id}, format="json")
            assert response.status_code == 404

    def test_a_test_event_goes_to_this_endpoint_only(self, sandbox_client, endpoint, make_endpoint, receiver):
        other = make_endpoint(receiver.url + "/other")

        response = sandbox_client.post(path(endpoint, "test"), format="json")

        assert response.status_code == 202
        assert response.json()["event_type"] == "webhook_endpoint.test"
        assert not WebhookDelivery.objects.filter(endpoint=other).exists()
        delivery.deliver_batch(delivery_ids=[])
        (received,) = receiver.wait_for(1)
        assert received.path == "/hooks"
        event = Event.objects.get(type="webhook_endpoint.test")
        assert received.headers["webhook-id"] == event.public_id
        assert "secret" not in str(event.data)

    def test_the_delivery_log_lists_attempts(self, sandbox_client, endpoint, partner, sandbox):
        make_events(partner=partner, environment=sandbox, count=2)
        delivery.deliver_batch(delivery_ids=[])

        body = sandbox_client.get(path(endpoint, "deliveries")).json()

        assert [d["status"] for d in body["data"]] == ["delivered", "delivered"]
        assert body["data"][0]["last_status_code"] == 200
