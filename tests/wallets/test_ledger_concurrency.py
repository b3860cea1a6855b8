"""The ledger under real concurrency on PostgreSQL: many threads, each with its own connection, posting at once.

Only domain refusals (``InsufficientFunds``, ``InvalidStateTransition``) may reach a caller: a deadlock, a
serialization failure or any other database error fails the test, and so does any broken invariant at the end."""

import contextlib
import logging
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from apps.wallets import ledger, reconciliation, services
from apps.wallets import store as wallet_store
from apps.wallets.ledger import InsufficientFunds, InvalidStateTransition, Line, TransactionSpec
from apps.wallets.models import Hold, Journal, Transaction, Wallet
from tests.threads import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 32
OPERATIONS = 2_000
WALLETS = 20
CURRENCIES = ("USD", "EUR")
OPENING_BALANCE = 50_000
DOMAIN_REFUSALS = (InsufficientFunds, InvalidStateTransition)

logger = logging.getLogger(__name__)


def move(source: Wallet, destination: Wallet, amount: int) -> ledger.Posting:
    """A wallet-to-wallet journal in its own durable transaction, as a transfer posts it."""
    spec = TransactionSpec(type="transfer", category="transfer")
    with transaction.atomic(durable=True):
        return ledger.journal_post(
            kind="transfer",
            lines=[
                Line(ledger.wallet_account(source), -amount, spec),
                Line(ledger.wallet_account(destination), amount, spec),
            ],
            environment=source.holder.environment,
            partner=source.holder.partner,
        )


@dataclass
class Flows:
    """What each thread saw succeed: money in and out of the wallets per currency, for the conservation check."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    external: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)

    def add(self, currency: str, amount: int, outcome: str) -> None:
        with self.lock:
            self.external[currency] += amount
            self.outcomes[outcome] += 1


class TestLedgerUnderConcurrency:
    def test_32_threads_posting_2000_random_journals_keep_the_book_whole(self, partner):
        holders = [
            services.holder_create(environment="sandbox", partner=partner, name=f"Holder {i}")
            for i in range(WALLETS // len(CURRENCIES))
        ]
        wallets = [services.wallet_open(holder=h, currency=c) for h in holders for c in CURRENCIES]
        for wallet in wallets:
            # Only the bank clearing accounts exist before the storm: the first card debits and captures create
            # the card clearing accounts while other threads are posting.
            services.external_credit(wallet=wallet, amount=OPENING_BALANCE, type="deposit", category="salary")
        wallets = list(Wallet.objects.select_related("holder__partner").filter(pk__in=[w.pk for w in wallets]))
        by_currency = defaultdict(list)
        for wallet in wallets:
            by_currency[wallet.currency].append(wallet)

        flows = Flows()
        holds: list[Hold] = []
        holds_lock = threading.Lock()
        failures: list[str] = []
        start = threading.Barrier(THREADS + 1)
        storm_over = threading.Event()
        snapshots: list[reconciliation.ReconciliationReport] = []

        # Posted transactions a later operation may reverse: (transaction, what it moved in or out, currency). Both
        # sides of a move go in, so two threads may race to reverse one journal from its two ends.
        posted: list[tuple[Transaction, int, str]] = []

        def remember(txn: Transaction, external: int) -> None:
            with holds_lock:
                posted.append((txn, external, txn.currency))

        def take_hold() -> Hold | None:
            with holds_lock:
                return holds.pop(rng_for_holds.randrange(len(holds))) if holds else None

        rng_for_holds = random.Random(7)

        def operation(rng: random.Random) -> None:
            wallet = rng.choice(wallets)
            amount = rng.randint(1, 5_000)
            kind = rng.choices(
                ["credit", "debit", "move", "hold", "capture", "release", "reverse"], weights=[15, 20, 30, 20, 10, 5, 5]
            )[0]
            if kind == "credit":
                txn = services.external_credit(wallet=wallet, amount=amount, type="deposit", category="income")
                flows.add(wallet.currency, amount, kind)
                remember(txn, amount)
            elif kind == "debit":
                txn = services.external_debit(wallet=wallet, amount=amount, type="card_payment", category="dining")
                flows.add(wallet.currency, -amount, kind)
                remember(txn, -amount)
            elif kind == "move":
                destination = rng.choice([w for w in by_currency[wallet.currency] if w.pk != wallet.pk])
                for txn in move(wallet, destination, amount).transactions:
                    remember(txn, 0)
                flows.add(wallet.currency, 0, kind)
            elif kind == "reverse":
                with holds_lock:
                    picked = rng.choice(posted) if posted else None
                if picked is None:
                    return
                txn, external, currency = picked
                services.transaction_reverse(txn=txn)
                flows.add(currency, -external, kind)
            elif kind == "hold":
                placed = services.hold_place(wallet=wallet, amount=amount)
                with holds_lock:
                    holds.append(placed.hold)
                flows.add(wallet.currency, 0, kind)
            else:
                hold = take_hold()
                if hold is None:
                    return
                if kind == "release":
                    services.hold_release(hold=hold)
                    flows.add(hold.wallet.currency, 0, kind)
                    return
                partial = rng.random() < 0.5
                captured = rng.randint(1, hold.amount) if partial else None
                txn = services.hold_capture(hold=hold, amount=captured)
                flows.add(hold.wallet.currency, -(captured or hold.amount), kind)
                remember(txn, -(captured or hold.amount))

        def worker(index: int) -> Callable[[], None]:
            count = OPERATIONS // THREADS + (1 if index < OPERATIONS % THREADS else 0)

            def run() -> None:
                rng = random.Random(index)
                start.wait()
                for _ in range(count):
                    try:
                        operation(rng)
                    except DOMAIN_REFUSALS as refusal:
                        flows.add("", 0, type(refusal).__name__)
                    except Exception as error:  # every other error fails the test
                        failures.append(f"{type(error).__name__}: {error}")

            return run

        def reconciler() -> None:
            # A reconciliation racing the writers must see one consistent snapshot, never a half-applied posting.
            try:
                start.wait()
                while not storm_over.wait(0.25):
                    snapshots.append(reconciliation.reconcile())
            except Exception as error:
                failures.append(f"reconciler: {type(error).__name__}: {error}")
            finally:
                connection.close()

        targets = {f"worker-{i}": worker(i) for i in range(THREADS)}
        began = time.monotonic()
        reconciling = threading.Thread(target=reconciler, name="reconciler")
        reconciling.start()
        raised = run_threads(targets)
        elapsed = time.monotonic() - began
        storm_over.set()
        reconciling.join(30)

        assert not raised, raised
        assert not failures, f"{len(failures)} database errors reached callers, e.g. {failures[:5]}"
        outcomes = flows.outcomes
        assert sum(outcomes.values()) <= OPERATIONS
        assert outcomes["credit"] + outcomes["debit"] + outcomes["move"] + outcomes["capture"] > OPERATIONS // 2
        assert outcomes["InsufficientFunds"] > 0, "the storm never ran a wallet dry: it did not test the guard"

        report = reconciliation.reconcile()
        assert report.ok, report.mismatches[:10]
        assert snapshots and all(s.ok for s in snapshots), [s.mismatches[:3] for s in snapshots if not s.ok][:3]
        assert not Wallet.objects.filter(ledger_balance__lt=0).exists()
        assert not Wallet.objects.filter(available_balance__lt=0).exists()
        for currency in CURRENCIES:
            # Nothing lost, nothing made up: the wallets hold what came in minus what left.
            total = Wallet.objects.filter(currency=currency).aggregate(t=Sum("ledger_balance"))["t"]
            opening = OPENING_BALANCE * len(by_currency[currency])
            assert total == opening + flows.external[currency], currency
        held = Hold.objects.filter(status="held").aggregate(t=Sum("amount"))["t"] or 0
        assert held == sum(h.amount for h in holds)
        assert Journal.objects.count() == len(wallets) + sum(
            outcomes[k] for k in ("credit", "debit", "move", "capture", "reverse")
        )
        # Shown with -o log_cli=true --log-cli-level=INFO (about 15 s on a 2-core machine).
        logger.info("%d operations on %d threads in %.1fs: %s", OPERATIONS, THREADS, elapsed, dict(outcomes))


class TestLockOrder:
    """Regression tests for two lock-order deadlocks, each forced deterministically by pausing a thread at the
    point where the old code held one lock and wanted the other."""

    def test_a_capture_and_a_debit_creating_the_same_clearing_account_do_not_deadlock(self, partner, monkeypatch):
        holder = services.holder_create(environment="sandbox", partner=partner, name="Ada")
        wallet = services.wallet_open(holder=holder, currency="USD")
        services.external_credit(wallet=wallet, amount=1_000, type="deposit", category="income")
        placed = services.hold_place(wallet=wallet, amount=300)
        assert not ledger.LedgerAccount.objects.filter(code=ledger.CLEARING_CARD).exists()

        # The debit has inserted the (uncommitted) card clearing account and is about to lock the wallet: pause it
        # there while the capture starts. Had the capture locked the wallet before resolving the clearing account,
        # it would now wait for the debit's insert while the debit waits for the wallet.
        debit_paused, resume_debit = threading.Event(), threading.Event()
        real_lock_wallets = wallet_store.lock_wallets

        def pausing_lock_wallets(wallet_ids, **options):
            if threading.current_thread().name == "debit" and not debit_paused.is_set():
                debit_paused.set()
                resume_debit.wait(10)
            return real_lock_wallets(wallet_ids, **options)

        monkeypatch.setattr(wallet_store, "lock_wallets", pausing_lock_wallets)

        def debit() -> None:
            services.external_debit(wallet=wallet, amount=200, type="card_payment", category="dining")

        def capture() -> None:
            assert debit_paused.wait(10)
            services.hold_capture(hold=placed.hold)

        def release_when_capture_waits() -> None:
            assert debit_paused.wait(10)
            _wait_for_a_lock_waiter()
            resume_debit.set()

        raised = run_threads({"debit": debit, "capture": capture, "referee": release_when_capture_waits})

        assert not raised, raised
        wallet.refresh_from_db()
        assert (wallet.ledger_balance, wallet.available_balance) == (500, 500)
        assert ledger.LedgerAccount.objects.filter(code=ledger.CLEARING_CARD, currency="USD").count() == 1
        assert reconciliation.reconcile().ok

    def test_reversing_both_sides_of_one_journal_at_once_reverses_it_once(self, partner, monkeypatch):
        holder = services.holder_create(environment="sandbox", partner=partner, name="Ada")
        other = services.holder_create(environment="sandbox", partner=partner, name="Grace")
        source = services.wallet_open(holder=holder, currency="USD")
        destination = services.wallet_open(holder=other, currency="USD")
        services.external_credit(wallet=source, amount=1_000, type="deposit", category="income")
        sent, received = move(Wallet.objects.select_related("holder").get(pk=source.pk), destination, 300).transactions

        # Both reversals reach their first wallet lock together. Had each locked its own transaction row first,
        # each would now hold the row the other must mark reversed.
        both_ready = threading.Barrier(2, timeout=3)
        waited: set[str] = set()

        def meeting_lock_wallets(real):
            def lock(wallet_ids, **options):
                name = threading.current_thread().name
                if name not in waited:
                    waited.add(name)
                    with contextlib.suppress(threading.BrokenBarrierError):
                        both_ready.wait()
                return real(wallet_ids, **options)

            return lock

        monkeypatch.setattr(wallet_store, "lock_wallets", meeting_lock_wallets(wallet_store.lock_wallets))
        monkeypatch.setattr(services, "lock_wallets", meeting_lock_wallets(services.lock_wallets))
        results: dict[str, str] = {}

        def reverse(txn) -> Callable[[], None]:
            def run() -> None:
                try:
                    services.transaction_reverse(txn=txn)
                    results[threading.current_thread().name] = "reversed"
                except InvalidStateTransition:
                    results[threading.current_thread().name] = "conflict"

            return run

        raised = run_threads({"sender-side": reverse(sent), "receiver-side": reverse(received)})

        assert not raised, raised
        assert sorted(results.values()) == ["conflict", "reversed"]
        source.refresh_from_db()
        destination.refresh_from_db()
        assert (source.ledger_balance, destination.ledger_balance) == (1_000, 0)
        assert Journal.objects.filter(kind="reversal").count() == 1
        assert reconciliation.reconcile().ok


class TestConcurrentWalletOpen:
    def test_the_loser_of_two_concurrent_opens_gets_wallet_exists_not_a_database_error(self, partner):
        holder = services.holder_create(environment="sandbox", partner=partner, name="Ada")
        first_written, commit_first = threading.Event(), threading.Event()
        outcome: dict[str, object] = {}

        def first() -> None:
            # Open, then hold the transaction open until the second open is blocked on the unique index.
            with transaction.atomic():
                outcome["first"] = services.wallet_open_inner(holder=holder, currency="USD")
                first_written.set()
                assert commit_first.wait(10)

        def second() -> None:
            assert first_written.wait(10)
            try:
                services.wallet_open(holder=holder, currency="USD")
                outcome["second"] = "opened"
            except services.WalletExists as refused:
                outcome["second"] = refused.status

        def referee() -> None:
            assert first_written.wait(10)
            _wait_for_a_lock_waiter()
            commit_first.set()

        raised = run_threads({"first": first, "second": second, "referee": referee})

        assert not raised, raised
        assert outcome["second"] == 409
        assert list(Wallet.objects.filter(holder=holder).values_list("currency", flat=True)) == ["USD"]


def _wait_for_a_lock_waiter(timeout: float = 10) -> None:
    """Until another backend of this database waits on a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("no backend started waiting on a lock")
