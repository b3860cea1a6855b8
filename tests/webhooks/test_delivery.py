"""Delivery against a real receiver on 127.0.0.1: outcomes, the retry schedule under time-machine, Retry-After,
410, redirects, slow answers and resets, the attempt log, auto-disable, claims and the sweeper."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from apps.core import clock
from apps.events.models import Event
from apps.partners.models import Membership
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import delivery
from tests.core.factories import UserFactory
from tests.events.factories import make_events
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db

SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


@pytest.fixture
def one_event(partner, sandbox):
    def make(type="thing.updated"):
        (event,) = make_events(partner=partner, environment=sandbox, count=1, type=type)
        return event

    return make


def only_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


class TestFanOut:
    def test_one_delivery_per_subscribed_enabled_endpoint_in_the_writers_transaction(
        self, make_endpoint, receiver, one_event, enqueued, partner
    ):
        from tests.partners.factories import LiveEnvironmentFactory

        everything = make_endpoint(receiver.url + "/a")
        postings = make_endpoint(receiver.url + "/b", enabled_events=["transaction.posted"])
        make_endpoint(receiver.url + "/c", enabled_events=["transfer.failed"])
        make_endpoint(receiver.url + "/live", environment=LiveEnvironmentFactory(partner=partner))
        disabled = make_endpoint(receiver.url + "/d")
        WebhookEndpoint.objects.filter(pk=disabled.pk).update(disabled_at=clock.now(), disabled_reason="manual")

        event = one_event("transaction.posted")

        deliveries = WebhookDelivery.objects.filter(event=event)
        assert {d.endpoint_id for d in deliveries} == {everything.pk, postings.pk}
        assert all(d.status == "pending" and d.next_attempt_at == event.created_at for d in deliveries)

    @pytest.mark.django_db(transaction=True)
    def test_after_commit_one_task_carries_every_delivery_of_the_transaction(
        self, make_endpoint, receiver, enqueued, partner, sandbox
    ):
        make_endpoint(receiver.url + "/a")
        make_endpoint(receiver.url + "/b")

        make_events(partner=partner, environment=sandbox, count=3)

        assert len(enqueued) == 1
        assert sorted(enqueued[0]) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))
        assert len(enqueued[0]) == 6

    @pytest.mark.django_db(transaction=True)
    def test_a_rolled_back_transaction_enqueues_nothing_and_the_next_one_still_does(
        self, make_endpoint, receiver, enqueued, partner, sandbox
    ):
        from django.db import transaction

        from apps.core.ids import new_public_id
        from apps.events.services import record
        from tests.events.factories import Thing

        make_endpoint(receiver.url + "/a")
        with pytest.raises(RuntimeError), transaction.atomic():
            record(type="thing.updated", partner=partner, environment=sandbox, obj=Thing(new_public_id("thg")))
            raise RuntimeError("the change failed")
        assert enqueued == [] and not WebhookDelivery.objects.exists()

        make_events(partner=partner, environment=sandbox, count=1)

        assert len(enqueued) == 1 and WebhookDelivery.objects.count() == 1


class TestOutcomes:
    def test_a_2xx_delivers_and_logs_the_attempt(self, endpoint, receiver, one_event):
        receiver.answer(Answer(status=204, body=b""))
        event = one_event()

        report = delivery.deliver_batch(delivery_ids=[])

        assert report.delivered == 1
        row = only_delivery()
        assert (row.status, row.attempts, row.last_status_code, row.next_attempt_at) == ("delivered", 1, 204, None)
        assert row.lease_until is None and row.delivered_at is not None
        (attempt,) = WebhookAttempt.objects.all()
        assert (attempt.number, attempt.outcome, attempt.status_code, attempt.error) == (1, "succeeded", 204, "")
        assert attempt.duration_ms >= 0
        assert receiver.wait_for(1)[0].headers["webhook-id"] == event.public_id

    def test_a_delivered_event_is_not_posted_again(self, endpoint, receiver, one_event):
        one_event()
        delivery.deliver_batch(delivery_ids=[])
        pk = only_delivery().pk

        report = delivery.deliver_batch(delivery_ids=[pk])

        assert report.claimed == 0
        assert len(receiver.wait_for(2, timeout=0.3)) == 1

    @pytest.mark.parametrize(
        ("answer", "error"),
        [
            (Answer(status=500, body=b"boom"), "http_status"),
            (Answer(status=400), "http_status"),
            (Answer(status=302, headers=(("Location", "http://127.0.0.1:1/elsewhere"),)), "redirect"),
            (Answer(status=301, headers=(("Location", "/other"),)), "redirect"),
            (Answer(reset=True), "connection_failed"),
        ],
    )
    def test_failures_are_logged_and_scheduled_for_a_retry(self, endpoint, receiver, one_event, answer, error):
        receiver.answer(answer)
        one_event()
        before = clock.now()

        report = delivery.deliver_batch(delivery_ids=[])

        assert report.retrying == 1
        row = only_delivery()
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, error)
        assert before + timedelta(seconds=4.4) <= row.next_attempt_at <= clock.now() + timedelta(seconds=5.6)
        (attempt,) = WebhookAttempt.objects.all()
        assert (attempt.outcome, attempt.error) == ("failed", error)
        assert len(receiver.wait_for(2, timeout=0.3)) == 1  # a redirect is not followed

    def test_the_response_excerpt_is_kept_and_capped(self, endpoint, receiver, one_event, settings):
        settings.WEBHOOK_RESPONSE_EXCERPT_BYTES = 10
        receiver.answer(Answer(status=500, body=b"0123456789abcdef"))
        one_event()

        delivery.deliver_batch(delivery_ids=[])

        assert WebhookAttempt.objects.get().response_excerpt == "0123456789"

    def test_a_slow_receiver_times_out(self, endpoint, receiver, one_event, settings):
        settings.OUTBOUND_HTTP_TIMEOUT_SECONDS = 0.3
        receiver.answer(Answer(delay=1.0))
        one_event()

        delivery.deliver_batch(delivery_ids=[])

        row = only_delivery()
        assert (row.status, row.last_error, row.last_status_code) == ("pending", "timeout", None)

    def test_a_closed_port_is_a_connection_failure(self, make_endpoint, one_event):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        make_endpoint(f"http://127.0.0.1:{port}/hooks")
        one_event()

        delivery.deliver_batch(delivery_ids=[])

        assert only_delivery().last_error == "connection_failed"

    @pytest.mark.parametrize("status", [429, 503])
    def test_429_and_503_honour_retry_after_in_seconds(self, endpoint, receiver, one_event, status):
        receiver.answer(Answer(status=status, headers=(("Retry-After", "120"),)))
        one_event()

        delivery.deliver_batch(delivery_ids=[])

        row = only_delivery()
        attempt = WebhookAttempt.objects.get()
        assert row.next_attempt_at == attempt.started_at + timedelta(seconds=120)

    def test_retry_after_as_an_http_date_is_honoured(self, endpoint, receiver, one_event):
        from email.utils import format_datetime

        when = (clock.now() + timedelta(minutes=10)).replace(microsecond=0)
        receiver.answer(Answer(status=503, headers=(("Retry-After", format_datetime(when, usegmt=True)),)))
        one_event()

        delivery.deliver_batch(delivery_ids=[])

        assert abs((only_delivery().next_attempt_at - when).total_seconds()) < 1

    def test_410_disables_the_endpoint_records_an_event_and_emails_owners_and_admins(
        self, endpoint, receiver, one_event, partner, django_capture_on_commit_callbacks
    ):
        for role in ("owner", "admin", "viewer"):
            Membership.objects.create(partner=partner, user=UserFactory(email=f"{role}@example.com"), role=role)
        receiver.answer(Answer(status=410))
        one_event()
        second = one_event()

        with django_capture_on_commit_callbacks(execute=True):
            report = delivery.deliver_batch(delivery_ids=[])

        endpoint.refresh_from_db()
        assert (endpoint.disabled, endpoint.disabled_reason) == (True, "gone")
        assert report.failed == 1
        statuses = dict(WebhookDelivery.objects.values_list("event_id", "status"))
        assert statuses[second.pk] == "canceled"
        (notice,) = Event.objects.filter(type="webhook_endpoint.disabled")
        assert notice.data["object"]["id"] == endpoint.public_id
        assert notice.data["object"]["disabled_reason"] == "gone"
        assert "secret" not in str(notice.data)
        (message,) = mail.outbox
        assert sorted(message.to) == ["admin@example.com", "owner@example.com"]
        assert endpoint.public_id in message.body


class TestRetrySchedule:
    def test_500s_follow_the_schedule_with_jitter_then_fail(self, endpoint, receiver, one_event):
        receiver.default = Answer(status=500)
        with time_machine.travel(clock.now(), tick=False) as traveller:
            one_event()
            delays = []
            for attempt in range(1, len(SCHEDULE) + 1):
                delivery.deliver_batch(delivery_ids=[])
                row = only_delivery()
                assert row.attempts == attempt
                if row.status == "failed":
                    break
                delays.append((row.next_attempt_at - clock.now()).total_seconds())
                # Not a moment early: just before the time, nothing is claimed.
                traveller.move_to(row.next_attempt_at - timedelta(milliseconds=1))
                assert delivery.deliver_batch(delivery_ids=[]).claimed == 0
                traveller.move_to(row.next_attempt_at)

        assert row.status == "failed" and row.next_attempt_at is None
        assert len(delays) == len(SCHEDULE) - 1
        for delay, expected in zip(delays, SCHEDULE[1:], strict=True):
            assert expected * 0.9 <= delay <= expected * 1.1
        assert WebhookAttempt.objects.count() == len(SCHEDULE) == len(receiver.wait_for(8))

    def test_jitter_spreads_retries(self):
        delays = {round(delivery.retry_delay(2), 3) for _ in range(20)}

        assert len(delays) > 1 and all(270 <= d <= 330 for d in delays)

    def test_a_success_after_failures_delivers(self, endpoint, receiver, one_event):
        receiver.answer(Answer(status=500), Answer(status=502))
        with time_machine.travel(clock.now(), tick=False) as traveller:
            one_event()
            for _ in range(3):
                delivery.deliver_batch(delivery_ids=[])
                if only_delivery().next_attempt_at:
                    traveller.move_to(only_delivery().next_attempt_at)

        row = only_delivery()
        assert (row.status, row.attempts) == ("delivered", 3)
        assert list(WebhookAttempt.objects.order_by("id").values_list("status_code", flat=True)) == [500, 502, 200]
        endpoint.refresh_from_db()
        assert endpoint.failing_since is None


class TestAutoDisable:
    def test_an_endpoint_failing_for_five_days_is_disabled_with_an_event(self, endpoint, receiver, one_event):
        receiver.default = Answer(status=500)
        start = clock.now()
        with time_machine.travel(start, tick=False) as traveller:
            one_event()
            delivery.deliver_batch(delivery_ids=[])
            endpoint.refresh_from_db()
            assert endpoint.failing_since == WebhookAttempt.objects.get().started_at

            traveller.move_to(start + timedelta(days=4, hours=23))
            one_event()
            delivery.deliver_batch(delivery_ids=[])
            endpoint.refresh_from_db()
            assert not endpoint.disabled

            traveller.move_to(start + timedelta(days=5, minutes=1))
            delivery.sweep()

        endpoint.refresh_from_db()
        assert (endpoint.disabled, endpoint.disabled_reason) == (True, "failing")
        assert Event.objects.filter(type="webhook_endpoint.disabled").count() == 1
        assert not WebhookDelivery.objects.filter(status="pending").exists()

    def test_a_success_ends_the_failing_run(self, endpoint, receiver, one_event):
        receiver.answer(Answer(status=500))
        start = clock.now()
        with time_machine.travel(start, tick=False) as traveller:
            one_event()
            delivery.deliver_batch(delivery_ids=[])
            one_event()
            traveller.move_to(start + timedelta(days=6))
            delivery.deliver_batch(delivery_ids=[])

        endpoint.refresh_from_db()
        assert not endpoint.disabled and endpoint.failing_since is None


class TestClaimsAndSweeper:
    def test_a_leased_delivery_is_not_claimed_by_another_worker(self, endpoint, one_event):
        one_event()
        pk = only_delivery().pk
        now = clock.now()

        first = delivery._claim(ids=[pk], claim_token="", now=now, token="a" * 32, room=10)
        second = delivery._claim(ids=[pk], claim_token="", now=now, token="b" * 32, room=10)

        assert first == [pk] and second == []
        assert only_delivery().claim_token == "a" * 32

    def test_an_expired_lease_is_claimed_again(self, endpoint, receiver, one_event):
        one_event()
        WebhookDelivery.objects.update(lease_until=clock.now() - timedelta(seconds=1), claim_token="dead")

        assert delivery.deliver_batch(delivery_ids=[]).delivered == 1

    def test_a_task_tops_its_batch_up_with_other_due_deliveries(self, endpoint, receiver, partner, sandbox):
        make_events(partner=partner, environment=sandbox, count=5)
        first = WebhookDelivery.objects.order_by("pk").first()

        report = delivery.deliver_batch(delivery_ids=[first.pk])

        assert report.delivered == 5
        assert len(receiver.wait_for(5)) == 5

    def test_the_sweeper_leaves_fresh_deliveries_to_their_task_then_picks_up_orphans(
        self, endpoint, receiver, one_event, enqueued
    ):
        with time_machine.travel(clock.now(), tick=False) as traveller:
            one_event()
            enqueued.clear()
            assert delivery.sweep() == 0

            traveller.shift(timedelta(seconds=6))
            assert delivery.sweep() == 1
            ((pk,),) = enqueued
            token = only_delivery().claim_token
            assert token.startswith("sweep-")
            # Leased by the sweep: the next sweep does not send it again...
            assert delivery.sweep() == 0
            # ...and the task it enqueued claims it with its token.
            assert delivery.deliver_batch(delivery_ids=[pk], claim_token=token).delivered == 1

    def test_the_sweeper_sends_due_retries_at_once(self, endpoint, receiver, one_event, enqueued):
        receiver.answer(Answer(status=500))
        with time_machine.travel(clock.now(), tick=False) as traveller:
            one_event()
            delivery.deliver_batch(delivery_ids=[])
            enqueued.clear()
            traveller.move_to(only_delivery().next_attempt_at)

            assert delivery.sweep() == 1

    def test_when_the_broker_is_down_the_sweeper_gives_the_rows_back(self, endpoint, one_event, monkeypatch):
        monkeypatch.setattr(delivery, "enqueue", lambda ids, claim_token="": False)
        with time_machine.travel(clock.now(), tick=False) as traveller:
            one_event()
            traveller.shift(timedelta(seconds=6))

            assert delivery.sweep() == 0

        assert only_delivery().lease_until is None

    def test_a_disabled_endpoints_deliveries_are_canceled_not_sent(self, endpoint, receiver, one_event):
        one_event()
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(disabled_at=clock.now(), disabled_reason="manual")

        delivery.deliver_batch(delivery_ids=[])

        assert only_delivery().status == "canceled"
        assert receiver.wait_for(1, timeout=0.3) == []


@pytest.mark.real_broker
@pytest.mark.django_db(transaction=True)
class TestBrokerDown:
    def test_an_enqueue_failure_after_commit_is_logged_and_the_api_still_answers(
        self, sandbox_client, make_endpoint, receiver, monkeypatch, caplog
    ):
        from apps.webhooks import tasks

        def broken(*args, **kwargs):
            raise ConnectionRefusedError("broker down")

        monkeypatch.setattr(tasks.deliver, "apply_async", broken)
        endpoint = make_endpoint(receiver.url + "/hooks")

        response = sandbox_client.post(f"/v1/webhook_endpoints/{endpoint.public_id}/test")

        assert response.status_code == 202
        row = WebhookDelivery.objects.get()
        assert row.status == "pending" and row.lease_until is None
        assert "webhook_enqueue_failed" in caplog.text
        # The sweeper sends it once it has been due for the grace period.
        monkeypatch.undo()
        sent = []
        monkeypatch.setattr(delivery, "enqueue", lambda ids, claim_token="": sent.append((ids, claim_token)) or True)
        with time_machine.travel(clock.now() + timedelta(seconds=6), tick=False):
            assert delivery.sweep() == 1
        ((ids, token),) = sent
        assert delivery.deliver_batch(delivery_ids=ids, claim_token=token).delivered == 1


class TestRaces:
    def test_an_endpoint_deleted_while_its_delivery_is_posted_is_not_an_error(
        self, endpoint, receiver, one_event, monkeypatch
    ):
        from apps.webhooks import services

        one_event()
        original = delivery._post

        def post_then_delete(*args, **kwargs):
            result = original(*args, **kwargs)
            services.endpoint_delete(endpoint=WebhookEndpoint.objects.get(pk=endpoint.pk))
            return result

        monkeypatch.setattr(delivery, "_post", post_then_delete)

        report = delivery.deliver_batch(delivery_ids=[])

        assert report.claimed == 1 and report.delivered == 0
        assert not WebhookAttempt.objects.exists() and not WebhookDelivery.objects.exists()

    def test_a_resend_during_a_post_wins_over_the_old_rounds_result(self, endpoint, receiver, one_event, monkeypatch):
        from apps.webhooks import services

        event = one_event()
        original = delivery._post

        def post_then_resend(*args, **kwargs):
            result = original(*args, **kwargs)
            services.endpoint_resend(endpoint=endpoint, event_id=event.public_id)
            return result

        monkeypatch.setattr(delivery, "_post", post_then_resend)

        delivery.deliver_batch(delivery_ids=[])

        row = only_delivery()
        assert (row.status, row.attempts) == ("pending", 0)  # the new round stands
        assert WebhookAttempt.objects.count() == 1  # the attempt made is still logged
