"""The simulated bank rail: ``transfer_advance`` runs one step of a top-up or payout when it is due (in the
environment's clock), ``transfers_due`` claims due steps with a lease for the beat sweeper, the Celery tasks
around them, and one test with a real worker on Redis and PostgreSQL."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from apps.transfers import tasks
from apps.transfers.lifecycle import transfer_advance, transfer_cancel, transfers_due
from apps.transfers.models import Transfer
from apps.transfers.services import TransferRequest, transfer_create
from tests.helpers import post_transfer, reread
from tests.transfers.factories import api_key_principal, run_rail
from tests.wallets.factories import add_bank_account, make_holder, make_wallet
from tests.webhooks.live import live_stack

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@pytest.fixture
def holder(partner):
    return make_holder(partner=partner, name="Ada Lovelace")


@pytest.fixture
def wallet(holder):
    return make_wallet(holder=holder, balance=10_000)


@pytest.fixture
def bank(holder):
    return add_bank_account(holder=holder)


def top_up(sandbox, wallet, bank, amount: int = 1_000) -> Transfer:
    return transfer_create(
        principal=api_key_principal(environment=sandbox),
        request=TransferRequest(
            type="top_up", source=bank.public_id, destination=wallet.public_id, amount=amount, currency="USD"
        ),
    )


def payout(sandbox, wallet, bank, amount: int = 1_000) -> Transfer:
    return transfer_create(
        principal=api_key_principal(environment=sandbox),
        request=TransferRequest(
            type="payout", source=wallet.public_id, destination=bank.public_id, amount=amount, currency="USD"
        ),
    )


@pytest.mark.django_db
class TestTransferAdvance:
    @time_machine.travel(NOW, tick=False)
    def test_submits_then_settles_after_the_configured_delay(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 3
        transfer = top_up(sandbox, wallet, bank)
        assert transfer.next_action_at == NOW

        submitted = transfer_advance(transfer_pk=transfer.pk)

        assert submitted.status == "processing"
        assert submitted.next_action_at == NOW + timedelta(seconds=3)
        assert transfer_advance(transfer_pk=transfer.pk) is None  # not due yet
        assert reread(transfer).status == "processing"

        with time_machine.travel(NOW + timedelta(seconds=3), tick=False):
            settled = transfer_advance(transfer_pk=transfer.pk)

        assert settled.status == "succeeded"
        assert (settled.next_action_at, settled.lease_until) == (None, None)

    def test_a_step_run_again_after_settling_changes_nothing(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        transfer = run_rail(payout(sandbox, wallet, bank))

        assert transfer_advance(transfer_pk=transfer.pk) is None
        wallet.refresh_from_db()
        assert (wallet.ledger_balance, wallet.available_balance) == (9_000, 9_000)
        assert transfer.status_changes.count() == 3

    def test_the_sandbox_clock_makes_the_settlement_due_earlier(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 3_600
        transfer = top_up(sandbox, wallet, bank)
        transfer_advance(transfer_pk=transfer.pk)
        assert transfer_advance(transfer_pk=transfer.pk) is None

        sandbox.clock_offset = timedelta(hours=2)
        sandbox.save()

        assert transfer_advance(transfer_pk=transfer.pk).status == "succeeded"
        # History and journal carry the sandbox clock's time.
        assert reread(transfer).status_changes.last().at > timezone.now() + timedelta(minutes=119)

    def test_p2p_canceled_and_held_transfers_are_never_advanced(self, settings, sandbox, partner, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        other = make_wallet(holder=make_holder(partner=partner, name="Other"))
        p2p = transfer_create(
            principal=api_key_principal(environment=sandbox),
            request=TransferRequest(
                type="p2p", source=wallet.public_id, destination=other.public_id, amount=100, currency="USD"
            ),
        )
        canceled = top_up(sandbox, wallet, bank)
        transfer_cancel(principal=api_key_principal(environment=sandbox), transfer_id=canceled.public_id)
        sanctioned = make_holder(partner=partner, name="Sanctioned Person")
        held = top_up(sandbox, make_wallet(holder=sanctioned), add_bank_account(holder=sanctioned))
        assert held.status == "held"

        for transfer in (p2p, canceled, held):
            assert transfer_advance(transfer_pk=transfer.pk) is None
        assert [reread(t).status for t in (p2p, canceled, held)] == ["succeeded", "canceled", "held"]


@pytest.mark.django_db
class TestTransfersDue:
    def test_claims_due_top_ups_and_payouts_with_a_lease(self, sandbox, wallet, bank):
        with time_machine.travel(NOW, tick=False):
            first, second = top_up(sandbox, wallet, bank), payout(sandbox, wallet, bank)

            claimed = transfers_due(now=NOW)

        assert sorted(claimed) == sorted([first.public_id, second.public_id])
        lease = timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)
        assert {reread(t).lease_until for t in (first, second)} == {NOW + lease}
        assert transfers_due(now=NOW + timedelta(seconds=1)) == []  # still leased

    def test_a_claim_whose_worker_died_is_claimed_again_once_the_lease_runs_out(self, sandbox, wallet, bank):
        with time_machine.travel(NOW, tick=False):
            transfer = top_up(sandbox, wallet, bank)
        transfers_due(now=NOW)
        lease = timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)

        assert transfers_due(now=NOW + lease) == []
        assert transfers_due(now=NOW + lease + timedelta(microseconds=1)) == [transfer.public_id]

    def test_a_submitted_step_is_left_to_its_countdown_until_that_is_overdue(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 3
        with time_machine.travel(NOW, tick=False):
            transfer = top_up(sandbox, wallet, bank)
            transfer_advance(transfer_pk=transfer.pk)
        lease = timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)

        assert transfers_due(now=NOW + timedelta(seconds=3)) == []  # due, but the countdown message has it
        assert transfers_due(now=NOW + timedelta(seconds=4) + lease) == [transfer.public_id]  # the message was lost

    def test_steps_not_due_yet_are_not_claimed(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 3_600
        with time_machine.travel(NOW, tick=False):
            transfer = top_up(sandbox, wallet, bank)
            transfer_advance(transfer_pk=transfer.pk)
        transfer.refresh_from_db()
        Transfer.objects.filter(pk=transfer.pk).update(lease_until=None)

        assert transfers_due(now=NOW + timedelta(minutes=59)) == []
        assert transfers_due(now=NOW + timedelta(minutes=60)) == [transfer.public_id]

    def test_the_sandbox_clock_makes_a_submitted_step_due_earlier(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 3_600
        with time_machine.travel(NOW, tick=False):
            transfer = top_up(sandbox, wallet, bank)
            transfer_advance(transfer_pk=transfer.pk)
        assert transfers_due(now=NOW + timedelta(seconds=1)) == []

        sandbox.clock_offset = timedelta(hours=2)
        sandbox.save()

        assert transfers_due(now=NOW + timedelta(seconds=1)) == [transfer.public_id]
        with time_machine.travel(NOW + timedelta(seconds=1), tick=False):
            assert transfer_advance(transfer_pk=transfer.pk).status == "succeeded"

    def test_a_sandbox_clock_ahead_does_not_delay_recovering_a_lost_message(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 3
        sandbox.clock_offset = timedelta(days=1)
        sandbox.save()
        with time_machine.travel(NOW, tick=False):
            transfer = top_up(sandbox, wallet, bank)
            assert transfers_due(now=NOW) == [transfer.public_id]
            transfer_advance(transfer_pk=transfer.pk)
        lease = timedelta(seconds=settings.TRANSFER_LEASE_SECONDS)

        # The countdown message never arrives: a sweep a little after delay + lease (real time) recovers it.
        assert transfers_due(now=NOW + timedelta(seconds=4) + lease) == [transfer.public_id]

    def test_finished_canceled_and_held_transfers_are_never_claimed(self, settings, sandbox, partner, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        run_rail(top_up(sandbox, wallet, bank))
        canceled = payout(sandbox, wallet, bank)
        transfer_cancel(principal=api_key_principal(environment=sandbox), transfer_id=canceled.public_id)
        sanctioned = make_holder(partner=partner, name="Sanctioned Person")
        held = top_up(sandbox, make_wallet(holder=sanctioned), add_bank_account(holder=sanctioned))
        assert held.status == "held"

        assert transfers_due(now=timezone.now() + timedelta(days=1)) == []

    def test_at_most_limit_are_claimed_oldest_step_first(self, sandbox, wallet, bank):
        made = []
        for second in range(3):
            with time_machine.travel(NOW + timedelta(seconds=second), tick=False):
                made.append(top_up(sandbox, wallet, bank, amount=100 + second))

        assert transfers_due(now=NOW + timedelta(minutes=1), limit=2) == [made[0].public_id, made[1].public_id]
        assert transfers_due(now=NOW + timedelta(minutes=1), limit=2) == [made[2].public_id]


@pytest.mark.django_db
class TestTasks:
    def test_the_sweeper_enqueues_every_claimed_step(self, sandbox, wallet, bank):
        first, second = top_up(sandbox, wallet, bank), payout(sandbox, wallet, bank)

        with mock.patch.object(tasks.transfer_advance_task, "apply_async") as enqueue:
            assert tasks.sweep_due_transfers() == 2

        assert enqueue.call_args_list == [
            mock.call(kwargs={"transfer_id": first.public_id}),
            mock.call(kwargs={"transfer_id": second.public_id}),
        ]
        with mock.patch.object(tasks.transfer_advance_task, "apply_async") as enqueue:
            assert tasks.sweep_due_transfers() == 0  # leased
        enqueue.assert_not_called()

    def test_the_sweeper_stops_enqueueing_when_the_broker_is_down(self, sandbox, wallet, bank):
        top_up(sandbox, wallet, bank)
        payout(sandbox, wallet, bank)

        with mock.patch.object(tasks.transfer_advance_task, "apply_async", side_effect=OSError("down")) as enqueue:
            assert tasks.sweep_due_transfers() == 2

        assert enqueue.call_count == 1
        # Nothing was lost: both steps are still due, and a sweep after the lease picks them up.
        later = timezone.now() + timedelta(seconds=settings.TRANSFER_LEASE_SECONDS + 1)
        assert len(transfers_due(now=later)) == 2

    def test_the_advance_task_runs_one_step_and_returns_the_status_it_left(self, settings, sandbox, wallet, bank):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        transfer = payout(sandbox, wallet, bank)

        assert tasks.transfer_advance_task(transfer_id=transfer.public_id) == "processing"
        assert tasks.transfer_advance_task(transfer_id=transfer.public_id) == "succeeded"
        assert tasks.transfer_advance_task(transfer_id=transfer.public_id) is None
        assert tasks.transfer_advance_task(transfer_id="tr_doesnotexist") is None

    def test_creating_and_submitting_enqueue_the_next_step_after_commit(
        self, settings, sandbox_client, wallet, bank, django_capture_on_commit_callbacks
    ):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 5
        body = {"type": "top_up", "source": bank.public_id, "destination": wallet.public_id, "amount": 100}
        with mock.patch.object(tasks.transfer_advance_task, "apply_async") as enqueue:
            with django_capture_on_commit_callbacks(execute=True):
                transfer_id = post_transfer(sandbox_client, {**body, "currency": "USD"}).json()["id"]
            enqueue.assert_called_once_with(kwargs={"transfer_id": transfer_id}, countdown=0.0)
            enqueue.reset_mock()

            with django_capture_on_commit_callbacks(execute=True):
                tasks.transfer_advance_task(transfer_id=transfer_id)

        enqueue.assert_called_once_with(kwargs={"transfer_id": transfer_id}, countdown=5.0)

    def test_a_broker_outage_while_enqueueing_does_not_fail_the_request(
        self, sandbox_client, wallet, bank, django_capture_on_commit_callbacks
    ):
        body = {"type": "payout", "source": wallet.public_id, "destination": bank.public_id, "amount": 100}
        down = mock.patch.object(tasks.transfer_advance_task, "apply_async", side_effect=OSError("down"))
        with down, django_capture_on_commit_callbacks(execute=True):
            response = post_transfer(sandbox_client, {**body, "currency": "USD"})

        assert response.status_code == 201
        assert transfers_due(now=timezone.now()) == [response.json()["id"]]


# --- A real worker ------------------------------------------------------------------------------------------------
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_settles_a_top_up_and_a_payout(sandbox_client, holder, wallet, bank, monkeypatch):
    # A redis-server of its own (tests/webhooks/live.py): the lane's broker holds messages earlier tests sent and no
    # worker took (transaction monitoring sends one for every posting they commit). Celery prefers the variable to
    # its configuration: without it, this process publishes to the stack's broker.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    with live_stack(TRANSFER_SETTLEMENT_DELAY_SECONDS="1") as (_redis, _workers, _beat, var_dir):
        ids = []
        for key, body in (
            ("top-up", {"type": "top_up", "source": bank.public_id, "destination": wallet.public_id}),
            ("payout", {"type": "payout", "source": wallet.public_id, "destination": bank.public_id}),
        ):
            response = post_transfer(sandbox_client, {**body, "amount": 2_000, "currency": "USD"}, key=key)
            assert response.status_code == 201, response.content
            ids.append(response.json()["id"])

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            statuses = [sandbox_client.get(f"/v1/transfers/{transfer_id}").json()["status"] for transfer_id in ids]
            if statuses == ["succeeded", "succeeded"]:
                break
            time.sleep(0.2)
        assert statuses == ["succeeded", "succeeded"], (Path(var_dir) / "celery.log").read_text()[-4000:]
    wallet.refresh_from_db()
    assert (wallet.ledger_balance, wallet.available_balance) == (10_000, 10_000)
    assert [len(Transfer.objects.get(public_id=i).status_changes.all()) for i in ids] == [3, 3]
