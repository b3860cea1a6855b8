"""Transfers under real concurrency on PostgreSQL: many threads, each with its own connection, creating, settling,
canceling, reviewing and reversing transfers at once.

Only domain refusals (``ApplicationError`` subclasses: ``insufficient_funds``, ``invalid_state_transition``, ...)
may reach a caller: a deadlock, a serialization failure, an ``IntegrityError`` or any other database error fails
the test, and so does any broken invariant at the end (money conserved, journals balanced, histories legal, one
settlement per transfer, ``reconcile()`` clean)."""

import logging
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.db.models import Sum
from rest_framework.test import APIClient

from apps.core.errors import ApplicationError
from apps.core.idempotency import IdempotencyHandle
from apps.events.models import Event
from apps.partners.models import Environment
from apps.transfers import states
from apps.transfers.lifecycle import (
    transfer_advance,
    transfer_cancel,
    transfer_reverse,
    transfer_review_reject,
    transfer_review_release,
)
from apps.transfers.models import Transfer, TransferReversal, TransferStatusChange, TransferUsage
from apps.transfers.services import TransferRequest, transfer_create
from apps.transfers.tasks import transfer_advance_task
from apps.transfers.usage import usage_rebuild
from apps.wallets import reconciliation
from apps.wallets.models import Entry, FundingSource, Hold, Journal, Transaction, Wallet
from tests.core.factories import UserFactory
from tests.helpers import TRANSFERS_URL
from tests.threads import run_threads
from tests.transfers.factories import raise_limits, transfer_problems
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, add_bank_account, make_holder, make_wallet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 16
OPERATIONS = 1_000
HOLDERS = 25
CURRENCIES = ("USD", "EUR")
OPENING_BALANCE = 60_000
# Transfers above this are held for review: the storm's "large" transfers.
REVIEW_THRESHOLD = 30_000
S = Transfer.Status
T = Transfer.Type

logger = logging.getLogger(__name__)


def _together(count: int, call: Callable[[int], object]) -> tuple[list[object], dict[str, BaseException]]:
    """``call(i)`` for i in 0..count-1, each in its own thread, all released at once by a barrier; returns the
    results in order (None where it raised) and what raised."""
    barrier = threading.Barrier(count, timeout=30)
    results: list[object] = [None] * count

    def target(index: int) -> Callable[[], None]:
        def run() -> None:
            barrier.wait()
            results[index] = call(index)

        return run

    raised = run_threads({f"thread-{i}": target(i) for i in range(count)})
    return results, raised


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """The services enqueue the next rail step on commit; these tests run every step themselves, so the messages
    are kept here instead of piling up in a broker no worker reads."""
    sent: list[dict] = []
    monkeypatch.setattr(transfer_advance_task, "apply_async", lambda *args, **kwargs: sent.append(kwargs))
    return sent


def _p2p(principal, source: Wallet, destination: Wallet, amount: int) -> Transfer:
    return transfer_create(
        principal=principal,
        request=TransferRequest(
            type="p2p",
            source=source.public_id,
            destination=destination.public_id,
            amount=amount,
            currency=source.currency,
        ),
    )


def _holder_total(currency: str) -> int:
    return Wallet.objects.filter(currency=currency).aggregate(t=Sum("ledger_balance"))["t"] or 0


def _journal_count() -> int:
    return Journal.objects.count()


@dataclass
class Book:
    """What the storm's threads saw, shared under one lock: transfers still to settle, held ones, settled ones a
    later operation may reverse, the net money that entered the wallets from outside per currency, outcomes."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    rail: list[Transfer] = field(default_factory=list)
    held: list[Transfer] = field(default_factory=list)
    settled: list[Transfer] = field(default_factory=list)
    external: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    created: list[int] = field(default_factory=list)
    known: set[int] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def pick(self, rng: random.Random, pool: list[Transfer]) -> Transfer | None:
        with self.lock:
            return rng.choice(pool) if pool else None

    def note(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1

    def track(self, transfer: Transfer) -> None:
        """File a transfer the caller just created or moved, by the status the service returned."""
        with self.lock:
            if transfer.pk not in self.known:
                self.known.add(transfer.pk)
                self.created.append(transfer.pk)
            for pool in (self.rail, self.held):
                if transfer in pool:
                    pool.remove(transfer)
            if transfer.status == S.HELD:
                self.held.append(transfer)
            elif transfer.status in (S.PENDING, S.PROCESSING):
                self.rail.append(transfer)
            elif transfer.status == S.SUCCEEDED:
                # Only the one call that settled it may see it succeed: money in or out is counted once.
                if transfer in self.settled:
                    self.failures.append(f"{transfer.public_id} was reported settled twice")
                self.settled.append(transfer)
                self.external[transfer.currency] += _external_sign(transfer) * transfer.amount


def _external_sign(transfer: Transfer) -> int:
    return {T.TOP_UP: 1, T.PAYOUT: -1}.get(transfer.type, 0)


class TestTransferStorm:
    def test_16_threads_running_1000_random_transfers_keep_the_book_whole(self, sandbox, principal, settings):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        setup_began = time.monotonic()
        raise_limits(kyc_tier="full", currencies=CURRENCIES, review_threshold=REVIEW_THRESHOLD)
        staff = UserFactory(is_staff=True)
        holders = [make_holder(partner=sandbox.partner, kyc_tier="full", name=f"Holder {i}") for i in range(HOLDERS)]
        wallets = [make_wallet(holder=h, currency=c, balance=OPENING_BALANCE) for h in holders for c in CURRENCIES]
        # Per holder a good and a declining USD bank account and a good EUR one (its declines are USD ones).
        # A USD top-up without a source starts from the declining account (first in the fallback order) and must
        # fall back to the good one.
        banks: dict[tuple[int, str], tuple[FundingSource, FundingSource | None]] = {}
        for h in holders:
            declined_usd = add_bank_account(holder=h, currency="USD", account_number=DECLINED_ACCOUNT_NUMBER)
            banks[(h.pk, "USD")] = (add_bank_account(holder=h, currency="USD"), declined_usd)
            banks[(h.pk, "EUR")] = (add_bank_account(holder=h, currency="EUR"), None)
        by_currency: dict[str, list[Wallet]] = defaultdict(list)
        for wallet in wallets:
            by_currency[wallet.currency].append(wallet)
        opening = {c: _holder_total(c) for c in CURRENCIES}
        journals_before = _journal_count()
        book = Book()
        start = threading.Barrier(THREADS + 1)
        storm_over = threading.Event()
        snapshots: list[reconciliation.ReconciliationReport] = []

        def bank(rng: random.Random, wallet: Wallet) -> FundingSource:
            good, declined = banks[(wallet.holder_id, wallet.currency)]
            return declined if declined is not None and rng.random() < 0.25 else good

        def create(request: TransferRequest) -> Transfer:
            transfer = transfer_create(principal=principal, request=request)
            book.track(transfer)
            return transfer

        def operation(rng: random.Random) -> None:
            wallet = rng.choice(wallets)
            kind = rng.choices(
                ["p2p", "top_up", "payout", "advance", "large", "cancel", "review", "reverse"],
                weights=[40, 8, 8, 24, 5, 5, 3, 7],
            )[0]
            if kind in ("p2p", "large"):
                destination = rng.choice([w for w in by_currency[wallet.currency] if w.pk != wallet.pk])
                large = kind == "large"
                amount = (
                    rng.randint(REVIEW_THRESHOLD + 1, REVIEW_THRESHOLD + 20_000) if large else rng.randint(1, 6_000)
                )
                if large and rng.random() < 0.5:
                    request = TransferRequest(
                        type="payout",
                        source=wallet.public_id,
                        destination=bank(rng, wallet).public_id,
                        amount=amount,
                        currency=wallet.currency,
                    )
                else:
                    request = TransferRequest(
                        type="p2p",
                        source=wallet.public_id,
                        destination=destination.public_id,
                        amount=amount,
                        currency=wallet.currency,
                    )
                transfer = create(request)
                book.note(f"{transfer.type}:{transfer.status}")
            elif kind == "top_up":
                source = bank(rng, wallet).public_id if rng.random() < 0.8 else None  # else the fallback order
                transfer = create(
                    TransferRequest(
                        type="top_up",
                        source=source,
                        destination=wallet.public_id,
                        amount=rng.randint(1, 8_000),
                        currency=wallet.currency,
                    )
                )
                book.note(f"top_up:{transfer.status}")
            elif kind == "payout":
                transfer = create(
                    TransferRequest(
                        type="payout",
                        source=wallet.public_id,
                        destination=bank(rng, wallet).public_id,
                        amount=rng.randint(1, 8_000),
                        currency=wallet.currency,
                    )
                )
                book.note(f"payout:{transfer.status}")
            elif kind == "advance":
                picked = book.pick(rng, book.rail)
                if picked is None:
                    return
                advanced = transfer_advance(transfer_pk=picked.pk)
                if advanced is None:
                    book.note("advance:not_due")
                    return
                book.track(advanced)
                book.note(f"advance:{advanced.status}")
            elif kind == "cancel":
                picked = book.pick(rng, book.held if rng.random() < 0.6 else book.rail)
                if picked is None:
                    return
                book.track(transfer_cancel(principal=principal, transfer_id=picked.public_id))
                book.note("cancel:canceled")
            elif kind == "review":
                picked = book.pick(rng, book.held)
                if picked is None:
                    return
                review = transfer_review_release if rng.random() < 0.6 else transfer_review_reject
                reviewed = review(transfer_pk=picked.pk, staff_user=staff)
                book.track(reviewed)
                book.note(f"{review.__name__}:{reviewed.status}")
            else:
                picked = book.pick(rng, book.settled)
                if picked is None:
                    return
                amount = None if rng.random() < 0.5 else rng.randint(1, max(1, picked.amount // 2))
                reversal = transfer_reverse(principal=principal, transfer_id=picked.public_id, amount=amount)
                with book.lock:
                    book.external[picked.currency] -= _external_sign(picked) * reversal.amount
                book.note("reverse:reversed")

        def worker(index: int) -> Callable[[], None]:
            count = OPERATIONS // THREADS + (1 if index < OPERATIONS % THREADS else 0)

            def run() -> None:
                rng = random.Random(index)
                start.wait()
                for _ in range(count):
                    try:
                        operation(rng)
                    except ApplicationError as refusal:
                        book.note(refusal.code)
                    except Exception as error:  # every other error fails the test
                        book.failures.append(f"{type(error).__name__}: {error}")

            return run

        def reconciler() -> None:
            try:
                start.wait()
                while not storm_over.wait(1.0):
                    snapshots.append(reconciliation.reconcile())
            except Exception as error:
                book.failures.append(f"reconciler: {type(error).__name__}: {error}")
            finally:
                connection.close()

        began = time.monotonic()
        logger.info("storm set up in %.1fs", began - setup_began)
        reconciling = threading.Thread(target=reconciler, name="reconciler")
        reconciling.start()
        raised = run_threads({f"worker-{i}": worker(i) for i in range(THREADS)})
        elapsed = time.monotonic() - began
        storm_over.set()
        reconciling.join(30)
        assert not raised, raised
        assert not book.failures, f"{len(book.failures)} errors reached callers, e.g. {book.failures[:5]}"

        # Settle what the storm left on the rail, as the sweeper would.
        drain_began = time.monotonic()
        for pk in Transfer.objects.filter(status__in=[S.PENDING, S.PROCESSING]).values_list("pk", flat=True):
            for _ in range(2):
                advanced = transfer_advance(transfer_pk=pk)
                if advanced is not None:
                    book.track(advanced)
        assert not Transfer.objects.filter(status__in=[S.PENDING, S.PROCESSING]).exists()
        logger.info("drained in %.1fs", time.monotonic() - drain_began)

        outcomes = book.outcomes
        logger.info(
            "%d operations on %d threads in %.1fs: %s", OPERATIONS, THREADS, elapsed, dict(sorted(outcomes.items()))
        )
        # The storm exercised what it is meant to: every kind of move, and the guards.
        for outcome in (
            "p2p:succeeded",
            "p2p:held",
            "payout:held",
            "advance:processing",
            "advance:succeeded",
            "advance:failed",
            "cancel:canceled",
            "reverse:reversed",
            "insufficient_funds",
        ):
            assert outcomes[outcome] > 0, (outcome, dict(outcomes))
        assert outcomes["p2p:succeeded"] > OPERATIONS // 4

        report = reconciliation.reconcile()
        assert report.ok, report.mismatches[:10]
        assert snapshots and all(s.ok for s in snapshots), [s.mismatches[:3] for s in snapshots if not s.ok][:3]
        assert not Wallet.objects.filter(ledger_balance__lt=0).exists()
        assert not Wallet.objects.filter(available_balance__lt=0).exists()

        transfers = Transfer.objects.all()
        assert sorted(book.created) == sorted(transfers.values_list("pk", flat=True))
        for currency in CURRENCIES:
            # Nothing lost, nothing made up: p2p moves only between the wallets; top-ups and payouts change the
            # total by exactly what the threads saw settle, less what was reversed since.
            assert _holder_total(currency) == opening[currency] + book.external[currency], currency
            in_db = 0
            for kind, sign in ((T.TOP_UP, 1), (T.PAYOUT, -1)):
                rows = transfers.filter(type=kind, currency=currency, status__in=[S.SUCCEEDED, S.REVERSED])
                totals = rows.aggregate(amount=Sum("amount"), reversed=Sum("amount_reversed"))
                in_db += sign * ((totals["amount"] or 0) - (totals["reversed"] or 0))
            assert in_db == book.external[currency], currency

        problems = transfer_problems(transfer_pks=book.created)
        assert not problems, problems[:10]
        # One journal per settlement and per reversal, and no other: nothing settled twice.
        settled = transfers.filter(status__in=[S.SUCCEEDED, S.REVERSED])
        assert settled.values("journal").distinct().count() == settled.count()
        assert _journal_count() - journals_before == settled.count() + TransferReversal.objects.count()
        # Held transfers still keep their money out of "available" (a held top-up has not brought any in yet).
        held = transfers.filter(status=S.HELD).exclude(hold=None)
        assert (
            Hold.objects.filter(status="held").aggregate(t=Sum("amount"))["t"] == held.aggregate(t=Sum("amount"))["t"]
        )
        # The limits' usage buckets, kept by every create, failure and cancel, are what the transfers add up to.
        columns = ("holder_id", "span", "period_start", "currency", "amount", "count")
        kept = set(TransferUsage.objects.exclude(count=0).values_list(*columns))
        usage_rebuild()
        assert set(TransferUsage.objects.values_list(*columns)) == kept
        logger.info("storm checked in %.1fs", time.monotonic() - drain_began)


class TestParallelSpending:
    def test_50_parallel_transfers_of_10_from_a_wallet_holding_100_let_exactly_10_through(self, sandbox, principal):
        payer = make_holder(partner=sandbox.partner, kyc_tier="full", name="Payer")
        # Destinations on both sides of the source in primary-key order, so the lock order varies.
        before = [make_wallet(holder=make_holder(partner=sandbox.partner, name=f"Before {i}")) for i in range(3)]
        source = make_wallet(holder=payer, balance=10_000)
        after = [make_wallet(holder=make_holder(partner=sandbox.partner, name=f"After {i}")) for i in range(3)]
        destinations = before + after

        def send(index: int) -> str:
            try:
                return _p2p(principal, source, destinations[index % len(destinations)], 1_000).status
            except ApplicationError as refusal:
                return refusal.code

        results, raised = _together(50, send)

        assert not raised, raised
        assert Counter(results) == {"succeeded": 10, "insufficient_funds": 40}
        source.refresh_from_db()
        assert (source.ledger_balance, source.available_balance) == (0, 0)
        assert (
            sum(Wallet.objects.filter(pk__in=[w.pk for w in destinations]).values_list("ledger_balance", flat=True))
            == 10_000
        )
        assert Transfer.objects.count() == 10  # a refusal writes nothing
        assert not transfer_problems(transfer_pks=Transfer.objects.values_list("pk", flat=True))
        assert reconciliation.reconcile().ok


class TestParallelIdempotentRequests:
    def test_10_parallel_requests_with_one_key_move_the_money_once(self, sandbox, sandbox_key, client_for, monkeypatch):
        payer = make_holder(partner=sandbox.partner, kyc_tier="full", name="Payer")
        payee = make_holder(partner=sandbox.partner, kyc_tier="full", name="Payee")
        source = make_wallet(holder=payer, balance=50_000)
        destination = make_wallet(holder=payee)
        body = {
            "type": "p2p",
            "source": source.public_id,
            "destination": destination.public_id,
            "amount": 1_000,
            "currency": "USD",
        }
        key = "7c1c4a52-0d7e-4b53-9f0f-2f5e6d1c0a11"

        # Two waves of five. The first five go at once: one claims the key and moves the money, and it completes
        # its record (in the transaction that moved the money) only once the other four have had their answer.
        # The second wave goes once that first response is out.
        first_wave = 5
        lock = threading.Lock()
        in_use_answered, first_answered = threading.Event(), threading.Event()
        answers: Counter = Counter()
        real_completion = IdempotencyHandle.completion

        def complete_when_the_others_answered(handle, result):
            in_use_answered.wait(10)
            return real_completion(handle, result)

        monkeypatch.setattr(IdempotencyHandle, "completion", complete_when_the_others_answered)

        def post(index: int) -> tuple[int, str | None, dict]:
            if index >= first_wave:
                assert first_answered.wait(20)
            client: APIClient = client_for(sandbox_key.secret)
            response = client.post(TRANSFERS_URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
            replayed = response.headers.get("Idempotent-Replayed")
            with lock:
                answers[response.status_code] += 1
                if answers[409] == first_wave - 1:
                    in_use_answered.set()
            if response.status_code == 201 and replayed is None:
                first_answered.set()
            return response.status_code, replayed, response.json()

        results, raised = _together(10, post)
        monkeypatch.setattr(IdempotencyHandle, "completion", real_completion)

        assert not raised, raised
        outcomes = Counter((status, replayed) for status, replayed, _ in results)
        assert outcomes == {(201, None): 1, (409, None): 4, (201, "true"): 5}, results
        created = [answer for status, _, answer in results if status == 201]
        assert len({r["id"] for r in created}) == 1 and all(r == created[0] for r in created), created
        assert all(answer["code"] == "idempotency_key_in_use" for status, _, answer in results if status == 409)

        client = client_for(sandbox_key.secret)
        replay = client.post(TRANSFERS_URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert (replay.status_code, replay.headers.get("Idempotent-Replayed")) == (201, "true")
        assert replay.json() == created[0]
        other = client.post(TRANSFERS_URL, {**body, "amount": 2_000}, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")

        assert Transfer.objects.count() == 1
        source.refresh_from_db()
        destination.refresh_from_db()
        assert (source.ledger_balance, destination.ledger_balance) == (49_000, 1_000)
        assert Journal.objects.filter(kind="transfer").count() == 1
        assert Event.objects.filter(type="transfer.created").count() == 1
        assert reconciliation.reconcile().ok


class TestOpposingTransfers:
    def test_500_transfers_between_two_wallets_in_both_directions_at_once_never_deadlock(self, sandbox, principal):
        raise_limits(kyc_tier="full", currencies=("USD",))
        wallet_a = make_wallet(holder=make_holder(partner=sandbox.partner, kyc_tier="full", name="A"), balance=100_000)
        wallet_b = make_wallet(holder=make_holder(partner=sandbox.partner, kyc_tier="full", name="B"), balance=100_000)
        threads, per_thread = 4, 125
        barrier = threading.Barrier(threads, timeout=30)
        results: Counter = Counter()
        lock = threading.Lock()

        def worker(index: int) -> Callable[[], None]:
            def run() -> None:
                barrier.wait()
                for step in range(per_thread):
                    # Threads start in opposite directions and alternate, so A->B and B->A always overlap.
                    forward = (index + step) % 2 == 0
                    source, destination = (wallet_a, wallet_b) if forward else (wallet_b, wallet_a)
                    status = _p2p(principal, source, destination, 100).status
                    with lock:
                        results[(forward, status)] += 1

            return run

        began = time.monotonic()
        raised = run_threads({f"worker-{i}": worker(i) for i in range(threads)})
        elapsed = time.monotonic() - began

        assert not raised, raised
        assert results == {(True, S.SUCCEEDED): 250, (False, S.SUCCEEDED): 250}
        wallet_a.refresh_from_db()
        wallet_b.refresh_from_db()
        assert (wallet_a.ledger_balance, wallet_b.ledger_balance) == (100_000, 100_000)
        assert Journal.objects.filter(kind="transfer").count() == 500
        assert reconciliation.reconcile().ok
        logger.info("500 opposing transfers on %d threads in %.1fs", threads, elapsed)


class TestParallelReversals:
    def test_10_parallel_partial_reversals_never_send_back_more_than_the_transfer(self, sandbox, principal):
        payer = make_holder(partner=sandbox.partner, kyc_tier="full", name="Payer")
        payee = make_holder(partner=sandbox.partner, kyc_tier="full", name="Payee")
        source, destination = make_wallet(holder=payer, balance=5_000), make_wallet(holder=payee, balance=5_000)
        transfer = _p2p(principal, source, destination, 1_000)

        def reverse(index: int) -> str:
            # All ask for 300 at once: three fit in 1,000, the rest must see what the first ones took.
            try:
                return transfer_reverse(principal=principal, transfer_id=transfer.public_id, amount=300).public_id
            except ApplicationError as refusal:
                return refusal.code

        results, raised = _together(10, reverse)

        assert not raised, raised
        assert Counter(r if not r.startswith("trr_") else "reversed" for r in results) == {
            "reversed": 3,
            "reversal_exceeds_remaining": 7,
        }
        transfer.refresh_from_db()
        assert (transfer.status, transfer.amount_reversed) == (S.SUCCEEDED, 900)
        source.refresh_from_db()
        destination.refresh_from_db()
        assert (source.ledger_balance, destination.ledger_balance) == (4_900, 5_100)
        assert not transfer_problems(transfer_pks=[transfer.pk])
        assert reconciliation.reconcile().ok


class TestReviewRaces:
    def test_staff_releasing_and_rejecting_while_the_partner_cancels_decide_a_held_transfer_once(
        self, sandbox, principal
    ):
        payer = make_holder(partner=sandbox.partner, kyc_tier="full", name="Payer")
        # A sanctioned counterparty: the transfer waits for review, its money held.
        payee = make_holder(partner=sandbox.partner, kyc_tier="full", name="Sanctioned Person")
        source, destination = make_wallet(holder=payer, balance=5_000), make_wallet(holder=payee)
        transfer = _p2p(principal, source, destination, 1_000)
        assert transfer.status == S.HELD
        staff = UserFactory(is_staff=True)
        actions = {
            "release": lambda: transfer_review_release(transfer_pk=transfer.pk, staff_user=staff),
            "reject": lambda: transfer_review_reject(transfer_pk=transfer.pk, staff_user=staff),
            "cancel": lambda: transfer_cancel(principal=principal, transfer_id=transfer.public_id),
        }
        names = list(actions) * 3

        def act(index: int) -> str:
            try:
                return f"{names[index]}:{actions[names[index]]().status}"
            except ApplicationError as refusal:
                return refusal.code

        results, raised = _together(len(names), act)

        assert not raised, raised
        decided = [r for r in results if r != "invalid_state_transition"]
        assert len(decided) == 1 and decided[0] in ("release:succeeded", "reject:failed", "cancel:canceled"), results
        transfer.refresh_from_db()
        source.refresh_from_db()
        moved = 1_000 if transfer.status == S.SUCCEEDED else 0
        assert (source.ledger_balance, source.available_balance) == (5_000 - moved, 5_000 - moved)
        assert not transfer_problems(transfer_pks=[transfer.pk])
        assert reconciliation.reconcile().ok


class TestSettlementRunsOnce:
    """The rail's step is decided under the transfer's lock: duplicates of the task, concurrent or after a
    worker died mid-step, settle a top-up or payout exactly once."""

    def _rail_transfer(self, principal, sandbox, kind: str) -> tuple[Transfer, Wallet]:
        holder = make_holder(partner=sandbox.partner, kyc_tier="full", name="Rail Holder")
        wallet = make_wallet(holder=holder, balance=20_000)
        bank = add_bank_account(holder=holder)
        request = (
            TransferRequest(
                type="top_up", source=bank.public_id, destination=wallet.public_id, amount=5_000, currency="USD"
            )
            if kind == T.TOP_UP
            else TransferRequest(
                type="payout", source=wallet.public_id, destination=bank.public_id, amount=5_000, currency="USD"
            )
        )
        transfer = transfer_create(principal=principal, request=request)
        assert transfer.status == S.PENDING
        return transfer, wallet

    @staticmethod
    def _assert_settled_once(transfer: Transfer, wallet: Wallet, kind: str, journals_before: int) -> None:
        transfer.refresh_from_db()
        wallet.refresh_from_db()
        assert transfer.status == S.SUCCEEDED
        assert _journal_count() - journals_before == 1
        statuses = list(
            TransferStatusChange.objects.filter(transfer=transfer).order_by("pk").values_list("status", flat=True)
        )
        assert statuses == [S.PENDING, S.PROCESSING, S.SUCCEEDED]
        assert Event.objects.filter(object_id=transfer.public_id, type="transfer.succeeded").count() == 1
        expected = 25_000 if kind == T.TOP_UP else 15_000
        assert (wallet.ledger_balance, wallet.available_balance) == (expected, expected)
        assert not transfer_problems(transfer_pks=[transfer.pk])
        assert reconciliation.reconcile().ok

    @pytest.mark.parametrize("kind", [T.TOP_UP, T.PAYOUT])
    def test_8_workers_running_each_step_at_once_settle_it_once(self, sandbox, principal, settings, kind):
        # A real delay between the steps, so the duplicates of the first step find nothing due.
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 60
        transfer, wallet = self._rail_transfer(principal, sandbox, kind)
        journals_before = _journal_count()

        def advance(_: int) -> str | None:
            advanced = transfer_advance(transfer_pk=transfer.pk)
            return advanced.status if advanced is not None else None

        submitted, raised = _together(8, advance)
        assert not raised, raised
        assert Counter(submitted) == {S.PROCESSING: 1, None: 7}
        assert _journal_count() == journals_before

        # The rail answers: move the sandbox clock past the settlement delay.
        Environment.objects.filter(pk=sandbox.pk).update(clock_offset=timedelta(seconds=61))
        settled, raised = _together(8, advance)
        assert not raised, raised
        assert Counter(settled) == {S.SUCCEEDED: 1, None: 7}
        self._assert_settled_once(transfer, wallet, kind, journals_before)

    @pytest.mark.parametrize("kind", [T.TOP_UP, T.PAYOUT])
    def test_a_worker_killed_after_posting_the_journal_leaves_nothing_and_the_retry_settles_once(
        self, sandbox, principal, settings, monkeypatch, kind
    ):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        transfer, wallet = self._rail_transfer(principal, sandbox, kind)
        assert transfer_advance(transfer_pk=transfer.pk).status == S.PROCESSING
        journals_before = _journal_count()

        # The step dies at its very end: the journal is posted and the status changed, the history is not yet
        # written, and the transaction has not committed.
        real_write = states.Change.write
        seen: dict[str, object] = {}

        def dying_write(change, **kwargs):
            if "journal" not in seen:
                seen["journal"] = change.transfer.journal_id
                seen["entries"] = Entry.objects.filter(journal_id=change.transfer.journal_id).count()
                raise RuntimeError("worker killed")
            return real_write(change, **kwargs)

        monkeypatch.setattr(states.Change, "write", dying_write)
        raised = run_threads({"killed": lambda: transfer_advance(transfer_pk=transfer.pk)})

        assert isinstance(raised.get("killed"), RuntimeError), raised
        assert seen["journal"] is not None and seen["entries"] == 2, seen
        # Rolled back whole: no journal, no history, no event, no money moved.
        transfer.refresh_from_db()
        wallet.refresh_from_db()
        assert (transfer.status, transfer.journal_id) == (S.PROCESSING, None)
        assert not Journal.objects.filter(pk=seen["journal"]).exists()
        assert _journal_count() == journals_before
        assert (wallet.ledger_balance, wallet.available_balance) == (20_000, 20_000 if kind == T.TOP_UP else 15_000)

        retried = transfer_advance(transfer_pk=transfer.pk)
        assert retried is not None and retried.status == S.SUCCEEDED
        assert transfer_advance(transfer_pk=transfer.pk) is None
        self._assert_settled_once(transfer, wallet, kind, journals_before)

    def test_a_worker_whose_connection_dies_mid_settlement_leaves_nothing_and_the_retry_settles_once(
        self, sandbox, principal, settings, monkeypatch
    ):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        transfer, wallet = self._rail_transfer(principal, sandbox, T.TOP_UP)
        assert transfer_advance(transfer_pk=transfer.pk).status == S.PROCESSING
        journals_before = _journal_count()

        # The database ends the worker's session after its journal is posted, before it commits: the worker
        # process was killed, or lost the network.
        posted, terminated = threading.Event(), threading.Event()
        real_write = states.Change.write
        backend: dict[str, int] = {}

        def write_then_wait(change, **kwargs):
            if threading.current_thread().name == "worker":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backend["pid"] = cursor.fetchone()[0]
                posted.set()
                assert terminated.wait(10)
            return real_write(change, **kwargs)

        def referee() -> None:
            assert posted.wait(10)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend["pid"]])
            terminated.set()

        monkeypatch.setattr(states.Change, "write", write_then_wait)
        raised = run_threads({"worker": lambda: transfer_advance(transfer_pk=transfer.pk), "referee": referee})

        assert "referee" not in raised, raised
        assert isinstance(raised.get("worker"), DatabaseError), raised  # its next query found the session gone
        transfer.refresh_from_db()
        assert (transfer.status, transfer.journal_id) == (S.PROCESSING, None)
        assert _journal_count() == journals_before

        assert transfer_advance(transfer_pk=transfer.pk).status == S.SUCCEEDED
        self._assert_settled_once(transfer, wallet, T.TOP_UP, journals_before)

    def test_the_celery_task_run_twice_at_each_step_settles_once(self, sandbox, principal, settings):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 60
        transfer, wallet = self._rail_transfer(principal, sandbox, T.TOP_UP)
        journals_before = _journal_count()

        # Through Celery's own call path (apply runs the task in this process), then the bare function.
        first = transfer_advance_task.apply(kwargs={"transfer_id": transfer.public_id}).get()
        again = transfer_advance_task.run(transfer_id=transfer.public_id)
        assert (first, again) == (S.PROCESSING, None)

        Environment.objects.filter(pk=sandbox.pk).update(clock_offset=timedelta(seconds=61))
        results, raised = _together(
            2, lambda _: transfer_advance_task.apply(kwargs={"transfer_id": transfer.public_id}).get()
        )
        assert not raised, raised
        assert Counter(results) == {S.SUCCEEDED: 1, None: 1}
        assert transfer_advance_task.run(transfer_id=transfer.public_id) is None
        self._assert_settled_once(transfer, wallet, T.TOP_UP, journals_before)
        assert Transaction.objects.filter(pk=transfer.pending_transaction_id, status="posted").exists()
