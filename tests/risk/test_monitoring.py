"""Transaction monitoring end to end: a posting commits, its holders are sent to the worker once, the run raises
each finding as an alert on the holder's one case, a run repeated raises nothing new, and nothing of it can fail
or hold up the payment. Sandbox postings are monitored on the sandbox's clock."""

import uuid
from datetime import timedelta

import pytest
from kombu.exceptions import OperationalError

from apps.core.background import BatchWriter, PerProcess
from apps.risk import tasks
from apps.risk.models import Alert, Case
from apps.risk.monitoring import trigger
from apps.risk.monitoring.run import holder_monitor
from apps.risk.monitoring.trigger import BATCH, MONITOR_TASK, enqueue
from apps.wallets import services
from apps.wallets.ledger import TransactionSpec
from apps.wallets.models import Transaction
from tests.risk.monitoring import deposit, pay
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(wallet):
    return wallet.holder


def structure(wallet, at):
    return [deposit(wallet, 950_000, at=at, hours=hours) for hours in (20, 10, 1)]


@pytest.fixture
def sent(monkeypatch):
    """The ``monitor_holders`` messages sent, recorded instead of published."""
    messages = []
    monkeypatch.setattr(tasks.monitor_holders, "apply_async", lambda *args, **options: messages.append(args[1]))
    return messages


@pytest.fixture
def eager(monkeypatch):
    """``monitor_holders`` run at once, in this process, when the posting commits."""
    monkeypatch.setattr(tasks.monitor_holders, "apply_async", lambda args, kwargs, **_: tasks.monitor_holders(**kwargs))


class TestMonitoringRun:
    def test_a_structuring_pattern_raises_an_alert_on_the_holders_case(self, holder, wallet, at):
        made = structure(wallet, at)

        holder_monitor(holder=holder, at=at)

        alert = Alert.objects.get()
        assert (alert.kind, alert.case.holder_id, alert.case.status) == ("structuring", holder.pk, "open")
        assert alert.dedupe_key == f"structuring:{made[0].public_id}"
        assert alert.evidence["transactions"] == [txn.public_id for txn in made]
        assert alert.evidence["figures"]["count"] == 3 and alert.evidence["figures"]["reporting_threshold"] == 1_000_000
        assert alert.summary.startswith("3 deposits just below the 10000.00 USD reporting threshold")

    def test_alerts_of_several_rules_about_one_holder_gather_on_one_case(self, holder, wallet, at):
        structure(wallet, at)
        for hours in (9, 8, 7, 6, 5):
            deposit(wallet, 2_000, at=at, hours=hours, sender=f"Sender {hours}")

        holder_monitor(holder=holder, at=at)

        assert sorted(Alert.objects.values_list("kind", flat=True)) == ["mule_pattern", "structuring"]
        assert Case.objects.get().holder_id == holder.pk

    def test_running_again_or_after_one_more_deposit_raises_nothing_new(self, holder, wallet, at):
        structure(wallet, at)
        holder_monitor(holder=holder, at=at)
        holder_monitor(holder=holder, at=at)
        deposit(wallet, 960_000, at=at, hours=0)
        holder_monitor(holder=holder, at=at + timedelta(seconds=1))

        assert Alert.objects.count() == 1 and Case.objects.count() == 1

    def test_each_holder_has_a_case_of_their_own(self, partner, holder, wallet, at):
        other = make_wallet(holder=make_holder(partner=partner, name="Other Holder"))
        structure(wallet, at)
        structure(other, at)

        holder_monitor(holder=holder, at=at)
        holder_monitor(holder=other.holder, at=at)

        assert sorted(Case.objects.values_list("holder_id", flat=True)) == sorted([holder.pk, other.holder_id])

    def test_monitoring_can_be_turned_off(self, holder, wallet, at, settings):
        structure(wallet, at)
        settings.RISK_MONITORING = {"enabled": False}

        assert holder_monitor(holder=holder, at=at) == []
        assert not Alert.objects.exists()


class TestTrigger:
    def test_a_posting_sends_its_holder_once_it_commits(self, wallet, sent, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            txn = services.external_credit(wallet=wallet, amount=500, type="deposit", category="income")
            assert sent == []  # nothing before the commit

        for callback in callbacks:
            callback()
        journal = Transaction.objects.get(pk=txn.pk).journal
        assert sent == [{"holder_ids": [wallet.holder_id], "at": journal.posted_at.isoformat()}]

    def test_a_transaction_of_several_postings_sends_one_message_with_every_holder(
        self, partner, wallet, sent, at, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            payer = make_wallet(holder=make_holder(partner=partner, name="Pay Er"), balance=10_000)
            with services.transaction.atomic():
                pay(payer, wallet, 1_000, at=at)
                pay(payer, wallet, 2_000, at=at)

        assert len(callbacks) == 1
        [message] = sent
        assert message["holder_ids"] == sorted([payer.holder_id, wallet.holder_id])

    def test_the_thread_sender_sends_one_message_for_a_rounds_commits(
        self, partner, wallet, sent, at, settings, monkeypatch, django_capture_on_commit_callbacks
    ):
        settings.RISK_MONITORING_SENDER = "thread"
        # A round that ends only when flushed, so the test decides when the thread sends.
        round_ = PerProcess(
            lambda: BatchWriter(
                name="monitoring-test",
                log_prefix="monitoring_notes",
                queue_size=100,
                batch_size=100,
                flush_seconds=60,
                write=trigger.send,
            )
        )
        monkeypatch.setattr(trigger, "sender", round_)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            payer = make_wallet(holder=make_holder(partner=partner, name="Pay Er"), balance=10_000)
            other = make_wallet(holder=make_holder(partner=partner, name="Oth Er"))
            first = pay(payer, wallet, 1_000, at=at)
        with django_capture_on_commit_callbacks(execute=True):
            second = pay(payer, other, 2_000, at=at)
        assert len(callbacks) == 1 and sent == []  # committed, noted, not sent yet

        assert round_.flush(timeout=10)

        posted = [Transaction.objects.get(pk=txn.pk).journal.posted_at for txn in (first, second)]
        if posted[0].hour == posted[1].hour:  # (two messages only if the clock crossed an hour in between)
            assert sent == [
                {
                    "holder_ids": sorted([payer.holder_id, wallet.holder_id, other.holder_id]),
                    "at": max(posted).isoformat(),
                }
            ]

    def test_notes_hours_apart_on_one_clock_are_sent_apart_with_their_own_times(self, sent, at):
        trigger.send(
            [(7, frozenset({1}), at), (7, frozenset({2}), at + timedelta(days=200)), (None, frozenset({1}), at)]
        )

        assert sorted((message["holder_ids"], message["at"]) for message in sent) == sorted(
            [([1], at.isoformat()), ([2], (at + timedelta(days=200)).isoformat()), ([1], at.isoformat())]
        )

    def test_many_holders_are_spread_over_messages_of_a_batch_each(self, sent, at):
        assert enqueue(range(450), at=at)

        assert [len(message["holder_ids"]) for message in sent] == [BATCH, BATCH, 50]

    def test_after_a_posting_rolled_back_the_next_one_is_still_sent_once(
        self, wallet, sent, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), services.transaction.atomic():
                services.external_credit_inner(wallet=wallet, amount=500, spec=_spec())
                raise RuntimeError("rolled back")
            services.external_credit(wallet=wallet, amount=700, type="deposit", category="income")

        assert len(sent) == 1

    def test_points_alone_send_nothing(self, holder, sent, django_capture_on_commit_callbacks):
        points = make_wallet(holder=holder, currency="XPT")
        with django_capture_on_commit_callbacks(execute=True):
            services.external_credit(wallet=points, amount=50, type="points", category="other")

        assert sent == []

    def test_a_broker_outage_never_fails_the_payment(
        self, wallet, sandbox_client, monkeypatch, django_capture_on_commit_callbacks, caplog
    ):
        def down(*args, **options):
            raise OperationalError("broker down")

        monkeypatch.setattr(tasks.monitor_holders, "apply_async", down)
        with django_capture_on_commit_callbacks(execute=True):
            response = _deposit(sandbox_client, wallet, 950_000)

        assert response.status_code == 201, response.content
        assert Transaction.objects.filter(wallet=wallet).count() == 1


class TestSandbox:
    def test_sandbox_deposits_through_the_api_raise_a_structuring_alert(
        self, wallet, sandbox_client, eager, django_capture_on_commit_callbacks
    ):
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                assert _deposit(sandbox_client, wallet, 980_000).status_code == 201

        alert = Alert.objects.get()
        assert alert.kind == "structuring" and len(alert.evidence["transactions"]) == 3

    def test_the_sandbox_clock_drives_the_windows(
        self, wallet, sandbox_client, eager, django_capture_on_commit_callbacks
    ):
        """Half a year on the sandbox's clock makes the holder dormant; a day later the deposits are apart."""
        for advance in (0, 200 * 86_400, 13 * 3600, 13 * 3600):
            if advance:
                clock = sandbox_client.post("/v1/sandbox/clock/advance", {"seconds": advance}, format="json", **_key())
                assert clock.status_code == 200, clock.content
            with django_capture_on_commit_callbacks(execute=True):
                assert _deposit(sandbox_client, wallet, 950_000).status_code == 201

        # The second deposit woke a dormant holder; the last three span 26 h of sandbox time: no structuring.
        assert list(Alert.objects.values_list("kind", flat=True)) == ["dormant_reactivated"]


def _spec() -> TransactionSpec:
    return TransactionSpec(type="deposit", category="income")


def _key() -> dict[str, str]:
    return {"HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}


def _deposit(client, wallet, amount):
    body = {"wallet": wallet.public_id, "amount": amount, "currency": "USD"}
    return client.post("/v1/sandbox/deposits", body, format="json", **_key())


def test_the_task_is_sent_by_its_name():
    assert tasks.monitor_holders.name == MONITOR_TASK
